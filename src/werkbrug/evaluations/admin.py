"""Admin for study set-up only. Participants, allocations and answers are not in the admin:
researchers reach them through the pseudonymised pages, and allocations can never be changed."""

from django.contrib import admin

from .models import Arm, Code, FidelityReview, Question, Questionnaire, Study


class ArmInline(admin.TabularInline):
    model = Arm
    extra = 0
    fields = ["name", "code", "ratio", "is_control", "strata", "order"]


@admin.register(Study)
class StudyAdmin(admin.ModelAdmin):
    list_display = ["title", "design", "status", "starts_on", "ends_on", "organisation"]
    list_filter = ["design", "status"]
    filter_horizontal = ["researchers"]
    exclude = ["seed"]
    inlines = [ArmInline]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["title", "study", "status", "closes_on"]
    inlines = [QuestionInline]


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "study"]


@admin.register(FidelityReview)
class FidelityReviewAdmin(admin.ModelAdmin):
    list_display = ["team_name", "organisation", "reviewed_on", "total"]

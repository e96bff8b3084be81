from django.urls import path

from . import views

app_name = "ambassadors"

urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("ask/check/", views.ask_check, name="ask_check"),
    path("questions/", views.question_list, name="questions"),
    path("questions/<int:pk>/", views.question_detail, name="question"),
    path("questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
    path("questions/<int:pk>/follow-up/", views.question_follow_up, name="question_follow_up"),
    path("questions/<int:pk>/rate/", views.question_rate, name="question_rate"),
    path("questions/<int:pk>/publish/", views.question_publish, name="question_publish"),
    path("questions/<int:pk>/unpublish/", views.question_unpublish, name="question_unpublish"),
    path("qa/", views.qa_list, name="qa"),
    path("qa/<int:pk>/", views.qa_detail, name="qa_detail"),
    path("groups/", views.group_list, name="groups"),
    path("groups/rebuild/", views.group_rebuild, name="groups_rebuild"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("report/", views.report, name="report"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("settings/", views.settings_page, name="settings"),
    path("people/", views.ambassadors_page, name="people"),
]

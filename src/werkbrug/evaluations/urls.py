from django.urls import path

from . import builder_views, qualitative_views, schedule_views, trial_views, views

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("studies/new/", views.study_create, name="study_create"),
    path("studies/<int:pk>/", views.study, name="study"),
    path("studies/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("studies/<int:pk>/participants/<int:participant_pk>/", views.participant, name="participant"),
    path("studies/<int:pk>/questionnaires/new/", views.questionnaire_create, name="questionnaire_create"),
    path("studies/<int:pk>/questionnaires/<int:questionnaire_pk>/", views.questionnaire, name="questionnaire"),
    path("studies/<int:pk>/questionnaires/<int:questionnaire_pk>/preview/", builder_views.questionnaire_preview,
         name="questionnaire_preview"),
    path("studies/<int:pk>/questionnaires/<int:questionnaire_pk>/questions/<int:question_pk>/",
         builder_views.question_edit, name="question_edit"),
    path("studies/<int:pk>/questionnaires/<int:questionnaire_pk>/questions/<int:question_pk>/delete/",
         builder_views.question_delete, name="question_delete"),
    path("studies/<int:pk>/questionnaires/<int:questionnaire_pk>/questions/<int:question_pk>/move/",
         builder_views.question_move, name="question_move"),
    path("studies/<int:pk>/interviews/", views.interviews, name="interviews"),
    path("studies/<int:pk>/interviews/<int:interview_pk>/", views.interview, name="interview"),
    path("studies/<int:pk>/codes/", views.codes, name="codes"),
    path("studies/<int:pk>/codes/export.<str:fmt>", views.codebook_export, name="codebook_export"),
    path("studies/<int:pk>/agreement/", views.agreement, name="agreement"),
    path("studies/<int:pk>/expectations/", views.expectations, name="expectations"),
    path("studies/<int:pk>/outcomes/", views.outcomes, name="outcomes"),
    path("studies/<int:pk>/report/", views.report, name="report"),
    path("studies/<int:pk>/export/", views.export, name="export"),
    path("fidelity/", views.fidelity, name="fidelity"),
    path("my-questionnaires/", views.my_questionnaires, name="my_questionnaires"),
    path("my-questionnaires/<int:invitation_pk>/", views.my_questionnaire, name="my_questionnaire"),
    path("q/<str:token>/", views.token_questionnaire, name="token_questionnaire"),
    # The trial: lifecycle, screening log, allocation log, unblinding, imports (trial_views.py).
    path("studies/<int:pk>/lifecycle/", trial_views.lifecycle, name="lifecycle"),
    path("studies/<int:pk>/screening/", trial_views.screening, name="screening"),
    path("studies/<int:pk>/auditors/", trial_views.auditor_add, name="auditor_add"),
    path("studies/<int:pk>/allocations/", trial_views.allocations, name="allocations"),
    path("studies/<int:pk>/unblind/", trial_views.unblind, name="unblind"),
    path("studies/<int:pk>/import/", trial_views.data_import, name="import"),
    # qualitative work: span coding, memos, code changes, co-occurrence, REFI-QDA project
    path("studies/<int:pk>/interviews/<int:interview_pk>/codings/", qualitative_views.coding_add, name="coding_add"),
    path("studies/<int:pk>/interviews/<int:interview_pk>/passages/<int:passage_pk>/memos/", qualitative_views.passage_memo,
         name="passage_memo"),
    path("studies/<int:pk>/memos/<int:memo_pk>/", qualitative_views.memo_change, name="memo_change"),
    path("studies/<int:pk>/codes/<int:code_pk>/", qualitative_views.code, name="code"),
    path("studies/<int:pk>/codes/changes/", qualitative_views.code_changes, name="code_changes"),
    path("studies/<int:pk>/codes/co-occurrence/", qualitative_views.co_occurrence, name="co_occurrence"),
    path("studies/<int:pk>/project/", qualitative_views.project, name="project"),
    path("studies/<int:pk>/project.qdpx", qualitative_views.project_export, name="project_export"),
    # the longitudinal schedule: events, response tracking, survey queues, portal accounts (schedule_views.py)
    path("studies/<int:pk>/schedule/", schedule_views.schedule, name="schedule"),
    path("studies/<int:pk>/schedule/<int:event_pk>/delete/", schedule_views.schedule_event_delete,
         name="schedule_event_delete"),
    path("studies/<int:pk>/participants/<int:participant_pk>/queue/", schedule_views.survey_queue, name="survey_queue"),
    path("account/<str:uidb64>/<str:token>/", schedule_views.account_welcome, name="account_welcome"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("research/studies/", views.StudyList.as_view(), name="research-studies"),
    path("research/studies/<int:pk>/", views.StudyDetail.as_view(), name="research-study"),
    path("research/studies/<int:pk>/participants/", views.ParticipantList.as_view(), name="research-participants"),
    path("research/studies/<int:pk>/participants/enrol/", views.Enrol.as_view(), name="research-enrol"),
    path("research/studies/<int:pk>/participants/<int:participant_pk>/jobs/", views.RecordedJobCreate.as_view(), name="research-jobs"),
    path("research/studies/<int:pk>/participants/<int:participant_pk>/randomise/", views.Randomise.as_view(), name="research-randomise"),
    path("research/studies/<int:pk>/participants/<int:participant_pk>/stage/", views.StageChange.as_view(), name="research-stage"),
    path("research/studies/<int:pk>/questionnaires/<int:questionnaire_pk>/results/", views.QuestionnaireResults.as_view(), name="research-questionnaire-results"),
    path("research/studies/<int:pk>/codings/", views.CodingCreate.as_view(), name="research-codings"),
    path("research/studies/<int:pk>/agreement/", views.AgreementView.as_view(), name="research-agreement"),
    path("research/studies/<int:pk>/outcomes/", views.OutcomesView.as_view(), name="research-outcomes"),
    path("research/my-questionnaires/<int:invitation_pk>/response/", views.MyQuestionnaireResponse.as_view(), name="research-my-response"),
    path("research/fidelity-reviews/", views.FidelityReviews.as_view(), name="research-fidelity-reviews"),
    path("research/studies/<int:pk>/questionnaires/", views.QuestionnaireCreate.as_view(), name="research-questionnaires"),
    path("research/studies/<int:pk>/questionnaires/<int:questionnaire_pk>/send/", views.QuestionnaireSend.as_view(), name="research-questionnaire-send"),
    path("research/studies/<int:pk>/questionnaires/<int:questionnaire_pk>/remind/", views.QuestionnaireRemind.as_view(), name="research-questionnaire-remind"),
    path("research/studies/<int:pk>/rounds/", views.RoundCreate.as_view(), name="research-rounds"),
    path("research/studies/<int:pk>/rounds/<int:round_pk>/interviews/", views.InterviewCreate.as_view(), name="research-interviews"),
    path("research/studies/<int:pk>/questionnaires/<int:questionnaire_pk>/questions/", views.QuestionAdd.as_view(), name="research-questions"),
    path("research/studies/<int:pk>/questionnaires/<int:questionnaire_pk>/close/", views.QuestionnaireClose.as_view(), name="research-questionnaire-close"),
    path("research/studies/<int:pk>/interviews/", views.InterviewList.as_view(), name="research-interview-list"),
    path("research/studies/<int:pk>/interviews/<int:interview_pk>/passages/", views.InterviewPassages.as_view(), name="research-passages"),
    path("research/studies/<int:pk>/codes/", views.Codes.as_view(), name="research-codes"),
    path("research/studies/<int:pk>/codes/import/", views.CodebookImport.as_view(), name="research-codes-import"),
    path("research/studies/<int:pk>/expectations/", views.Expectations.as_view(), name="research-expectations"),
    path("research/studies/<int:pk>/expectations/<int:expectation_pk>/assess/", views.ExpectationAssess.as_view(), name="research-expectation-assess"),
    path("research/studies/<int:pk>/export/", views.Export.as_view(), name="research-export"),
    path("research/studies/<int:pk>/codebook.<str:fmt>", views.CodebookExport.as_view(), name="research-codebook"),
]

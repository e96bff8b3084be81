from django.urls import path

from . import views

urlpatterns = [
    path("ambassadors/topics/", views.TopicList.as_view(), name="ambassador-topics"),
    path("ambassadors/topics/<int:pk>/", views.TopicDetail.as_view(), name="ambassador-topic"),
    path("ambassadors/settings/", views.SettingsView.as_view(), name="ambassador-settings"),
    path("ambassadors/ambassadors/", views.AmbassadorList.as_view(), name="ambassador-ambassadors"),
    path("ambassadors/ambassadors/<int:pk>/", views.AmbassadorDetail.as_view(), name="ambassador-ambassador"),
    path("ambassadors/ambassadors/<int:pk>/stand-ins/", views.AmbassadorStandIns.as_view(), name="ambassador-stand-ins"),
    path("ambassadors/ambassadors/<int:pk>/absences/", views.AmbassadorAbsences.as_view(), name="ambassador-absences-of"),
    path("ambassadors/absences/", views.AbsenceCreate.as_view(), name="ambassador-absences"),
    path("ambassadors/absences/<int:pk>/", views.AbsenceDetail.as_view(), name="ambassador-absence"),
    path("ambassadors/questions/", views.QuestionList.as_view(), name="ambassador-questions"),
    path("ambassadors/questions/check/", views.SimilarCheck.as_view(), name="ambassador-check"),
    path("ambassadors/questions/<int:pk>/", views.QuestionDetail.as_view(), name="ambassador-question"),
    path("ambassadors/questions/<int:pk>/answer/", views.QuestionAnswer.as_view(), name="ambassador-question-answer"),
    path("ambassadors/questions/<int:pk>/follow-up/", views.QuestionFollowUp.as_view(), name="ambassador-question-follow-up"),
    path("ambassadors/questions/<int:pk>/rate/", views.QuestionRate.as_view(), name="ambassador-question-rate"),
    path("ambassadors/questions/<int:pk>/publish/", views.QuestionPublish.as_view(), name="ambassador-question-publish"),
    path("ambassadors/questions/<int:pk>/unpublish/", views.QuestionUnpublish.as_view(), name="ambassador-question-unpublish"),
    path("ambassadors/qa/", views.QAList.as_view(), name="ambassador-qas"),
    path("ambassadors/qa/<int:pk>/", views.QADetail.as_view(), name="ambassador-qa"),
    path("ambassadors/groups/", views.GroupList.as_view(), name="ambassador-groups"),
    path("ambassadors/groups/<int:pk>/", views.GroupDetail.as_view(), name="ambassador-group"),
    path("ambassadors/groups/rebuild/", views.GroupRebuild.as_view(), name="ambassador-groups-rebuild"),
    path("ambassadors/groups/merge/", views.GroupMerge.as_view(), name="ambassador-groups-merge"),
    path("ambassadors/groups/<int:pk>/split/", views.GroupSplit.as_view(), name="ambassador-group-split"),
    path("ambassadors/proposals/", views.ProposalList.as_view(), name="ambassador-proposals"),
    path("ambassadors/proposals/<int:pk>/", views.ProposalDetail.as_view(), name="ambassador-proposal"),
    path("ambassadors/proposals/<int:pk>/transition/", views.ProposalTransition.as_view(), name="ambassador-proposal-transition"),
    path("ambassadors/report/", views.ReportView.as_view(), name="ambassador-report"),
]

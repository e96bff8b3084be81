from django.urls import path

from . import views

urlpatterns = [
    path("trajectories/<int:trajectory_pk>/signals/", views.TrajectorySignals.as_view(), name="collaboration-signal-list"),
    path("signals/<int:pk>/", views.SignalDetail.as_view(), name="collaboration-signal-detail"),
    path("signals/<int:pk>/acknowledge/", views.SignalAcknowledge.as_view(), name="collaboration-signal-acknowledge"),
    path("trajectories/<int:trajectory_pk>/referrals/", views.TrajectoryReferrals.as_view(),
         name="collaboration-referral-list"),
    path("referrals/incoming/", views.IncomingReferrals.as_view(), name="collaboration-referral-incoming"),
    path("referrals/<int:pk>/", views.ReferralDetail.as_view(), name="collaboration-referral-detail"),
    path("referrals/<int:pk>/accept/", views.ReferralAccept.as_view(), name="collaboration-referral-accept"),
    path("referrals/<int:pk>/reject/", views.ReferralReject.as_view(), name="collaboration-referral-reject"),
    path("referrals/<int:pk>/withdraw/", views.ReferralWithdraw.as_view(), name="collaboration-referral-withdraw"),
    path("referrals/<int:pk>/complete/", views.ReferralComplete.as_view(), name="collaboration-referral-complete"),
    path("referrals/<int:pk>/join-team/", views.ReferralJoinTeam.as_view(), name="collaboration-referral-join-team"),
]

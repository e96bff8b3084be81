from django.urls import path

from . import views

app_name = "collaboration"

urlpatterns = [
    path("", views.index, name="index"),
    path("trajectories/<int:trajectory_pk>/signals/", views.signals, name="signals"),
    path("trajectories/<int:trajectory_pk>/signals/new/", views.signal_create, name="signal_create"),
    path("trajectories/<int:trajectory_pk>/signals/<int:pk>/acknowledge/", views.signal_acknowledge,
         name="signal_acknowledge"),
    path("trajectories/<int:trajectory_pk>/referrals/", views.referrals, name="referrals"),
    path("trajectories/<int:trajectory_pk>/referrals/new/", views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/accept/", views.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/reject/", views.referral_reject, name="referral_reject"),
    path("referrals/<int:pk>/withdraw/", views.referral_withdraw, name="referral_withdraw"),
    path("referrals/<int:pk>/complete/", views.referral_complete, name="referral_complete"),
    path("referrals/<int:pk>/join/", views.referral_join, name="referral_join"),
]

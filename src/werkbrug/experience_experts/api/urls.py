from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("ee-domains", views.DomainViewSet, basename="ee-domain")
router.register("ee-profiles", views.ProfileViewSet, basename="ee-profile")
router.register("ee-requests", views.RequestViewSet, basename="ee-request")
router.register("ee-deployments", views.DeploymentViewSet, basename="ee-deployment")
router.register("ee-checkins", views.CheckInViewSet, basename="ee-checkin")
router.register("ee-signals", views.SignalViewSet, basename="ee-signal")
router.register("ee-support-groups", views.SupportGroupViewSet, basename="ee-support-group")
router.register("ee-meetings", views.MeetingViewSet, basename="ee-meeting")
router.register("ee-client-wishes", views.ClientWishViewSet, basename="ee-client-wish")
router.register("ee-reports", views.ReportViewSet, basename="ee-report")

urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("admin/organisations", views.AdminOrganisationViewSet, basename="admin-organisation")
router.register("admin/people", views.AdminPersonViewSet, basename="admin-person")
router.register("admin/events", views.AdministrationEventViewSet, basename="admin-event")

urlpatterns = router.urls

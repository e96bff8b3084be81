from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("knowledge-items", views.ItemViewSet, basename="knowledge-item")
router.register("knowledge-relations", views.RelationViewSet, basename="knowledge-relation")

urlpatterns = router.urls

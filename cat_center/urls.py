from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from clients.api import CompanyViewSet, DiagnosisViewSet, EntrepreneurViewSet, NeedViewSet
from core.api import CentreViewSet, MeView

router = DefaultRouter()
router.register("centres", CentreViewSet, basename="centre")
router.register("companies", CompanyViewSet, basename="company")
router.register("entrepreneurs", EntrepreneurViewSet, basename="entrepreneur")
router.register("diagnoses", DiagnosisViewSet, basename="diagnosis")
router.register("needs", NeedViewSet, basename="need")

api_v1 = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    *router.urls,
]

urlpatterns = [
    path("", include("core.urls")),
    path("clients/", include("clients.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

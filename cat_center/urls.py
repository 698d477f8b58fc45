from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from assistance.api import ServiceViewSet
from clients.api import CompanyViewSet, DiagnosisViewSet, EntrepreneurViewSet, NeedViewSet
from consultants.api import ConsultantViewSet
from consultations.api import ConsultationViewSet, FactSheetViewSet, SupplierViewSet
from core.api import CentreViewSet, MeView, NotificationViewSet, ReportJobViewSet
from credit.api import LedgerViewSet, LoanViewSet, OperatorViewSet, RepaymentViewSet, SimulateView
from training.api import EnrolmentViewSet, ModuleViewSet, OfferingViewSet

router = DefaultRouter()
router.register("centres", CentreViewSet, basename="centre")
router.register("reports", ReportJobViewSet, basename="report")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("companies", CompanyViewSet, basename="company")
router.register("entrepreneurs", EntrepreneurViewSet, basename="entrepreneur")
router.register("diagnoses", DiagnosisViewSet, basename="diagnosis")
router.register("needs", NeedViewSet, basename="need")
router.register("consultants", ConsultantViewSet, basename="consultant")
router.register("services", ServiceViewSet, basename="service")
router.register("consultations", ConsultationViewSet, basename="consultation")
router.register("suppliers", SupplierViewSet, basename="supplier")
router.register("fact-sheets", FactSheetViewSet, basename="fact-sheet")
router.register("modules", ModuleViewSet, basename="module")
router.register("offerings", OfferingViewSet, basename="offering")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("loans", LoanViewSet, basename="loan")
router.register("repayments", RepaymentViewSet, basename="repayment")
router.register("operators", OperatorViewSet, basename="operator")
router.register("ledger", LedgerViewSet, basename="ledger")

api_v1 = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("credit/simulate/", SimulateView.as_view(), name="credit-simulate"),
    *router.urls,
]

urlpatterns = [
    path("", include("core.urls")),
    path("clients/", include("clients.urls")),
    # The directory keeps the addresses it had inside assistance, so bookmarks still work.
    path("assistance/consultants/", include("consultants.urls")),
    path("assistance/", include("assistance.urls")),
    path("consultations/", include("consultations.urls")),
    path("training/", include("training.urls")),
    path("credit/", include("credit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# Media files are never served by URL: uploads are personal documents, served by views that check access.

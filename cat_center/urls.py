from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from assistance.api import ServiceViewSet
from clients.api import CompanyViewSet, DiagnosisViewSet, EntrepreneurViewSet, NeedViewSet
from consultants.api import ConsultantViewSet
from consultations.api import ConsultationViewSet, FactSheetViewSet, SupplierViewSet
from core.api import CentreViewSet, MeView, NotificationViewSet, ReportJobViewSet
from credit.api import LedgerViewSet, LoanViewSet, OperatorViewSet, RepaymentViewSet, SimulateView
from funds.api import AEOViewSet, BusinessPlanViewSet, ContestViewSet, VoucherViewSet
from monitoring.api import SummaryView
from training.api import EnrolmentViewSet, ModuleViewSet, OfferingViewSet


class Router(DefaultRouter):
    """Records are addressed by their whole-number id: anything else in the URL is a 404 there, never a
    500 from the query (``/api/v1/loans/null/``). A viewset with another kind of key sets its own
    ``lookup_value_regex``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._default_value_pattern = "[0-9]+"


router = Router()
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
router.register("vouchers", VoucherViewSet, basename="voucher")
router.register("aeos", AEOViewSet, basename="aeo")
router.register("contests", ContestViewSet, basename="contest")
router.register("business-plans", BusinessPlanViewSet, basename="business-plan")

api_v1 = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("credit/simulate/", SimulateView.as_view(), name="credit-simulate"),
    path("monitoring/summary/", SummaryView.as_view(), name="monitoring-summary"),
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
    path("monitoring/", include("monitoring.urls")),
    path("funds/", include("funds.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    # The API's description, for signed-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]): it names every
    # field of every record. The Swagger page sends a visitor to the sign-in page first.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the Content-Security-Policy allows no inline script.
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]

# Media files are never served by URL: uploads are personal documents, served by views that check access.

handler404 = "core.views.not_found"

"""The consultant directory's rows of the page/API parity test (tests/test_policy_parity.py)."""

from django.urls import reverse

from consultants.models import Consultant
from consultants.tests.factories import ConsultantFactory
from core.tests.parity import Case, get, post, row

# --- Consultant directory ---------------------------------------------------------------------------


def _entry(ctx):
    return ConsultantFactory(centres=[ctx["lima"]], status=Consultant.Status.PROPOSED)


CASES = {
    # History pages have no API: the auditors only (core.policy.AUDITORS and the record's view rule).
    "history_view": Case(_entry, page=lambda c: get(reverse("consultants:consultant_history", args=[c.pk]))),
    "consultant_view": Case(
        _entry,
        page=lambda c: get(reverse("consultants:consultant_detail", args=[c.pk])),
        api=lambda c: get(reverse("consultant-detail", args=[c.pk])),
    ),
    "consultant_edit": Case(
        _entry,
        page=lambda c: post(reverse("consultants:consultant_update", args=[c.pk]), {"last_name": ""}),
        api=lambda c: ("patch", reverse("consultant-detail", args=[c.pk]), {"phone": "964111222"}),
        snapshot=row(Consultant, "last_name", "phone"),
    ),
    "consultant_validate": Case(
        _entry,
        page=lambda c: post(reverse("consultants:consultant_status", args=[c.pk]), {"status": "rejected"}),
        snapshot=row(Consultant, "status"),
    ),
    "document_upload": Case(
        _entry,
        page=lambda c: post(reverse("consultants:document_upload", args=[c.pk]), {"kind": "degree"}),
        snapshot=lambda c: c.documents.count(),
    ),
}

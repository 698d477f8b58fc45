"""Writes of the consultant directory, kept by administrators.

Every service takes the acting ``user`` and asks the directory's policy first
(``NotAllowed``: a 403, and nothing changes).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.uploads import EVIDENCE
from core.uploads import check_upload as core_check_upload

from .models import EXPIRES_BEFORE_ISSUE, AccreditationDocument, Consultant
from .permissions import policy
from .selectors import missing_requirements

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024


def check_upload(upload) -> None:
    """Accreditation evidence: PDF, JPG or PNG only, at most 5 MB, the content matching the extension."""
    core_check_upload(upload, kinds=EVIDENCE, max_bytes=MAX_DOCUMENT_BYTES)


# The consultant's own fields that consultant_save accepts, in the order the form shows them.
CONSULTANT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "is_staff_member",
    "profession",
    "hourly_fee",
    "notes",
    "user",
)


@transaction.atomic
def consultant_save(
    *, user, consultant: Consultant | None = None, fields: dict, subsectors=None, areas=None, centres=None
) -> Consultant:
    """Create or update a directory entry. A new entry starts as proposed."""
    policy.check(user, "consultant_edit", consultant)
    unknown = set(fields) - set(CONSULTANT_FIELDS)
    if unknown:
        raise ValueError(f"unknown consultant fields: {sorted(unknown)}")
    consultant = consultant or Consultant()
    for name, value in fields.items():
        setattr(consultant, name, value)
    if consultant.hourly_fee is None or consultant.hourly_fee < 0:
        raise DomainError(_("The fee cannot be negative."), field="hourly_fee")
    if consultant.user_id and Consultant.objects.filter(user_id=consultant.user_id).exclude(pk=consultant.pk).exists():
        raise DomainError(_("That user account is already linked to another consultant."), field="user")
    consultant.save()
    if subsectors is not None:
        consultant.subsectors.set(subsectors)
    if areas is not None:
        consultant.areas.set(areas)
    if centres is not None:
        if not centres:
            raise DomainError(_("Choose at least one centre served."), field="centres")
        consultant.centres.set(centres)
    return consultant


@transaction.atomic
def consultant_set_status(*, user, consultant: Consultant, status: str) -> Consultant:
    """Validate, reject or deactivate a consultant, recording who decided and when.

    Validation needs evidence of each of the three requirements (degree, consulting
    experience, methodology training or references): the refusal names what is missing.
    """
    policy.check(user, "consultant_validate", consultant)
    if status not in Consultant.Status.values:
        raise DomainError(_("Unknown status."), field="status")
    if status == Consultant.Status.VALIDATED:
        missing = missing_requirements(consultant)
        if missing:
            raise DomainError(
                _("A consultant is validated on documented evidence of each requirement. Missing: %(missing)s.")
                % {"missing": "; ".join(str(label) for label in missing)},
                field="status",
            )
    consultant.status = status
    consultant.status_decided_by = user
    consultant.status_decided_at = timezone.now()
    consultant.save(update_fields=["status", "status_decided_by", "status_decided_at", "updated_at"])
    return consultant


@transaction.atomic
def document_upload(
    *,
    user,
    consultant: Consultant,
    kind: str,
    file,
    description: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> AccreditationDocument:
    """Store one piece of accreditation evidence (checked to be a real PDF, JPG or PNG of at most 5 MB).

    ``expires_on``, when the evidence lapses, feeds the daily reminders to the directory's keepers.
    """
    policy.check(user, "document_upload", consultant)
    if kind not in AccreditationDocument.Kind.values:
        raise DomainError(_("Unknown kind of document."), field="kind")
    if issued_on and expires_on and expires_on < issued_on:
        raise DomainError(EXPIRES_BEFORE_ISSUE, field="expires_on")
    check_upload(file)
    return AccreditationDocument.objects.create(
        consultant=consultant,
        kind=kind,
        file=file,
        description=(description or "").strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        uploaded_by=user,
    )

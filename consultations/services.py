"""Writes of consultations and the desk's library. Pages, API, demo and admin all call these."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients import services as client_services
from clients.models import Company, Entrepreneur, NeedType
from core.access import scope_to_user, visible_centres
from core.exceptions import DomainError
from core.models import Centre
from core.selectors import centre_settings
from core.uploads import check_new_upload

from .models import Consultation, FactSheet, Referral, Supplier
from .permissions import policy

CONSULTATION_FIELDS = (
    "channel",
    "topic",
    "subsector",
    "question",
    "answer",
    "started_at",
    "ended_at",
    "company",
    "entrepreneur",
    "contact_name",
    "contact_phone",
    "contact_district",
    "referral",
    "referral_course",
)

# What each referral asks for, in the client registry's words.
REFERRAL_NEED = {
    Referral.ASSISTANCE: NeedType.ASSISTANCE,
    Referral.TRAINING: NeedType.TRAINING,
    Referral.CREDIT: NeedType.CREDIT,
}

NEED_SOURCE = "consultation"


def _check_client(*, user, centre: Centre, consultation: Consultation) -> None:
    """The company or person asking must be a record of the consultation's centre that the user sees."""
    for field, model in (("company", Company), ("entrepreneur", Entrepreneur)):
        record = getattr(consultation, field)
        if record is None:
            continue
        if record.centre_id != centre.pk or not scope_to_user(model.objects.filter(pk=record.pk), user).exists():
            raise DomainError(_("That client belongs to another centre."), field=field)
    if consultation.entrepreneur and consultation.company is None and consultation.entrepreneur.company_id:
        consultation.company = consultation.entrepreneur.company


def _time_it(consultation: Consultation) -> None:
    """Duration from start and end; longer than the centre's limit is allowed but flagged."""
    if consultation.ended_at < consultation.started_at:
        raise DomainError(_("The consultation cannot end before it starts."), field="ended_at")
    if consultation.started_at > timezone.now() + datetime.timedelta(minutes=5):
        raise DomainError(_("The consultation cannot start in the future."), field="started_at")
    seconds = int((consultation.ended_at - consultation.started_at).total_seconds())
    consultation.duration_seconds = seconds
    limit = centre_settings(consultation.centre_id).consultation_limit_minutes
    consultation.over_limit = seconds > limit * 60


def _referral_note(consultation: Consultation) -> str:
    parts = [_("Consultation of %(date)s") % {"date": f"{timezone.localtime(consultation.started_at):%d/%m/%Y}"}]
    parts.append(str(consultation.topic))
    if consultation.referral_course:
        parts.append(_("course: %(course)s") % {"course": consultation.referral_course})
    parts.append(consultation.question[:150])
    return " · ".join(parts)[:300]


def _record_referral(*, user, consultation: Consultation) -> None:
    """The referral becomes a need of the client registry, once the person asking is a client."""
    if not consultation.referral or consultation.need_id or consultation.is_quick_contact:
        return
    consultation.need = client_services.need_create(
        user=user,
        centre=consultation.centre,
        need_type=REFERRAL_NEED[consultation.referral],
        source=NEED_SOURCE,
        company=consultation.company,
        entrepreneur=consultation.entrepreneur,
        note=_referral_note(consultation),
    )
    consultation.save(update_fields=["need", "updated_at"])


@transaction.atomic
def consultation_create(
    *,
    user,
    centre: Centre,
    fields: dict,
    suppliers=(),
    fact_sheets=(),
) -> Consultation:
    """Log a consultation. The end defaults to now; a referral records a need for the client (source
    "consultation"), or waits until a quick contact is completed into a client."""
    policy.check(user, "consultation_create")
    unknown = set(fields) - set(CONSULTATION_FIELDS)
    if unknown:
        raise ValueError(f"unknown consultation fields: {sorted(unknown)}")
    fields = dict(fields)
    if fields.get("ended_at") is None:  # the end is when the desk saves it, unless typed
        fields["ended_at"] = timezone.now()
    consultation = Consultation(centre=centre, recorded_by=user)
    for name, value in fields.items():
        setattr(consultation, name, value)
    for name in ("question", "answer", "contact_name", "contact_phone", "referral", "referral_course"):
        setattr(consultation, name, (getattr(consultation, name) or "").strip())
    if not consultation.question:
        raise DomainError(_("Write the question."), field="question")
    if consultation.started_at is None:
        raise DomainError(_("Say when the consultation started."), field="started_at")
    if consultation.referral and consultation.referral not in Referral.values:
        raise DomainError(_("Unknown referral."), field="referral")
    if consultation.referral != Referral.TRAINING:
        consultation.referral_course = ""
    _check_client(user=user, centre=centre, consultation=consultation)
    if consultation.company is None and consultation.entrepreneur is None and not consultation.contact_name:
        raise DomainError(
            _("Say who asked: find the company or person, or write the contact's name."), field="contact_name"
        )
    if not consultation.is_quick_contact:
        # A known client needs no quick contact beside it.
        consultation.contact_name = consultation.contact_phone = ""
        consultation.contact_district = None
    _time_it(consultation)
    consultation.save()
    library_centres = {None, centre.pk}
    if any(s.centre_id not in library_centres for s in suppliers) or any(
        f.centre_id not in library_centres for f in fact_sheets
    ):
        raise DomainError(_("That source belongs to another centre's library."), field="suppliers")
    consultation.suppliers.set(suppliers)
    consultation.fact_sheets.set(fact_sheets)
    _record_referral(user=user, consultation=consultation)
    return consultation


@transaction.atomic
def consultation_complete_contact(*, user, consultation: Consultation, fields: dict) -> Entrepreneur:
    """Register the quick contact as a person of the client registry (``entrepreneur_create``), link the
    consultation to them, and record the referral waiting for a client."""
    policy.check(user, "consultation_complete_contact", consultation)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.is_quick_contact:
        raise DomainError(_("This consultation is already linked to a client."))
    person = client_services.entrepreneur_create(user=user, centre=consultation.centre, fields=fields)
    consultation.entrepreneur = person
    consultation.company = person.company
    consultation.save(update_fields=["entrepreneur", "company", "updated_at"])
    _record_referral(user=user, consultation=consultation)
    return person


def contact_initial(consultation: Consultation) -> dict:
    """The contact's data as the client registry's person form takes them: nothing is typed twice."""
    first, _space, last = consultation.contact_name.strip().partition(" ")
    initial = {"first_name": first, "last_name": last, "phone": consultation.contact_phone}
    if consultation.contact_district_id:
        initial["district"] = consultation.contact_district_id
    return initial


# --- Library ------------------------------------------------------------------------------------------

SUPPLIER_FIELDS = ("centre", "name", "supplies", "subsector", "contact", "district", "source", "is_active")
FACT_SHEET_FIELDS = ("centre", "title", "body", "file", "subsector", "is_active")


def _save_entry(*, user, entry, fields: dict, allowed: tuple):
    policy.check(user, "library_edit")
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(entry, name, value)
    if entry.centre_id and not visible_centres(user).filter(pk=entry.centre_id).exists():
        raise DomainError(_("You cannot keep another centre's library."), field="centre")
    entry.save()
    return entry


@transaction.atomic
def supplier_save(*, user, fields: dict, supplier: Supplier | None = None) -> Supplier:
    """Add or change an entry of the supplier directory."""
    return _save_entry(user=user, entry=supplier or Supplier(), fields=fields, allowed=SUPPLIER_FIELDS)


@transaction.atomic
def fact_sheet_save(*, user, fields: dict, fact_sheet: FactSheet | None = None) -> FactSheet:
    """Add or change a fact sheet; it needs a text or a file."""
    policy.check(user, "library_edit")
    fields = dict(fields)
    if fields.get("file") is False:  # "clear" ticked on the form: the sheet keeps no file
        fields["file"] = ""
    check_new_upload(fields.get("file"))
    entry = fact_sheet or FactSheet()
    for name in ("body", "file"):
        if name in fields:
            setattr(entry, name, fields[name])
    if not (entry.body or "").strip() and not entry.file:
        raise DomainError(_("Write the text of the sheet or attach its file."), field="body")
    return _save_entry(user=user, entry=entry, fields=fields, allowed=FACT_SHEET_FIELDS)

"""Writes of the client registry. Every rule about companies, people, diagnoses and
needs lives here; views, the API, the admin and commands all call these functions."""

import datetime
import re
import unicodedata
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, Value
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.pe import ruc as stdnum_ruc

from core.exceptions import DomainError

from .models import (
    Company,
    Diagnosis,
    Entrepreneur,
    Need,
    NeedType,
    ProblemNode,
    RucStatus,
    SizeClass,
    SizeRule,
    UitValue,
)
from .permissions import diagnosis_editable_by, policy

# --- Size class -------------------------------------------------------------------------


def size_reference_date(sales_year: int) -> datetime.date:
    """Annual sales are known at the end of their year: the law in force then applies.

    (Ley 30056 took effect on 3 July 2013, so the figures of 2013 are measured by it.)
    """
    return datetime.date(sales_year, 12, 31)


def uit_for_year(year: int) -> Decimal | None:
    """The UIT of a year; for a year not yet in the table, the latest one before it."""
    value = UitValue.objects.filter(year__lte=year).order_by("-year").values_list("amount", flat=True).first()
    return value


def size_rules_for_year(sales_year: int) -> tuple[Decimal | None, list[SizeRule]]:
    """The UIT and the size rules that measure the figures of a year (two queries)."""
    on = size_reference_date(sales_year)
    rules = SizeRule.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on).order_by("rank")
    return uit_for_year(sales_year), list(rules)


def classify(*, workers: int, annual_sales: Decimal, uit: Decimal | None, rules: list[SizeRule]) -> str:
    """The first rule (by rank) whose limits both hold gives the class; none: outside the MyPE regime."""
    if uit is None or not rules:
        return ""
    sales_in_uit = Decimal(annual_sales) / uit
    for rule in rules:
        workers_ok = rule.max_workers is None or workers <= rule.max_workers
        sales_ok = rule.max_sales_uit is None or sales_in_uit <= rule.max_sales_uit
        if workers_ok and sales_ok:
            return rule.size_class
    return SizeClass.OUTSIDE


def size_class_for(*, workers: int, annual_sales: Decimal | None, sales_year: int | None) -> str:
    """Micro / small / medium / outside under the law in force for the year of the figures.

    Returns "" when the sales figure or its year is unknown, or no UIT is known.
    """
    if annual_sales is None or sales_year is None:
        return ""
    uit, rules = size_rules_for_year(sales_year)
    return classify(workers=workers, annual_sales=annual_sales, uit=uit, rules=rules)


@transaction.atomic
def companies_recompute_size_class(*, user) -> int:
    """Recompute every company's size class (after the UIT table or the rules change).

    The UIT and the rules are read once per sales year and the changes written in
    batches, so 100,000 companies take seconds, not hundreds of thousands of queries.
    """
    policy.check(user, "size_classes_recompute")
    fields = [
        "id",
        "permanent_men",
        "permanent_women",
        "temporary_men",
        "temporary_women",
        "annual_sales",
        "sales_year",
    ]
    by_year: dict[int, tuple] = {}
    pending: list[Company] = []
    changed = 0
    for company in Company.objects.only(*fields, "size_class").iterator(chunk_size=2000):
        if company.annual_sales is None or company.sales_year is None:
            size = ""
        else:
            if company.sales_year not in by_year:
                by_year[company.sales_year] = size_rules_for_year(company.sales_year)
            uit, rules = by_year[company.sales_year]
            size = classify(workers=company.workers_total, annual_sales=company.annual_sales, uit=uit, rules=rules)
        if size != company.size_class:
            company.size_class = size
            pending.append(company)
            changed += 1
        if len(pending) >= 1000:
            Company.objects.bulk_update(pending, ["size_class"])
            pending = []
    if pending:
        Company.objects.bulk_update(pending, ["size_class"])
    return changed


# --- Identity checks ----------------------------------------------------------------------

_LEGAL_SUFFIXES = re.compile(r"\b(s\.?\s?a\.?\s?c\.?|e\.?\s?i\.?\s?r\.?\s?l\.?|s\.?\s?r\.?\s?l\.?|s\.?\s?a\.?)$")


def name_key(name: str) -> str:
    """A company name reduced for comparison: no accents, no legal suffix, lower case."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()
    text = _LEGAL_SUFFIXES.sub("", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def clean_ruc(value: str | None) -> str | None:
    """An empty RUC is allowed (many clients are informal); a given one must be valid."""
    value = (value or "").strip().replace(" ", "")
    if not value:
        return None
    if not stdnum_ruc.is_valid(value):
        raise DomainError(
            _("The RUC %(ruc)s is not valid: it must have 11 digits and a correct check digit.") % {"ruc": value},
            field="ruc",
        )
    return value


def clean_dni(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{8}", value):
        raise DomainError(_("The DNI must have exactly 8 digits."), field="dni")
    return value


def similar_companies(*, legal_name: str, district_id: str, exclude_id: int | None = None):
    """Companies of the same district whose name looks like this one (the duplicate warning)."""
    key = name_key(legal_name)
    if len(key) < 3:
        return Company.objects.none()
    # Either name may contain the other: "Santa Rosa" and "Panificadora Santa Rosa" warn both ways.
    candidates = (
        Company.objects.filter(district_id=district_id)
        .alias(new_key=Value(key), key_length=Length("name_key"))
        .filter(Q(name_key=key) | Q(name_key__contains=key) | Q(new_key__contains=F("name_key"), key_length__gte=4))
    )
    if exclude_id:
        candidates = candidates.exclude(pk=exclude_id)
    return candidates.select_related("centre").order_by("legal_name")[:5]


# --- Companies ------------------------------------------------------------------------------

# The fields a form or the API may set, in the order forms show them.
COMPANY_FIELDS = (
    "legal_name",
    "trade_name",
    "ruc",
    "ruc_status",
    "is_formal",
    "legal_form",
    "subsector",
    "product_lines",
    "address",
    "district",
    "start_year",
    "permanent_men",
    "permanent_women",
    "temporary_men",
    "temporary_women",
    "annual_sales",
    "sales_year",
    "sanitary_registration_number",
    "sanitary_registration_date",
    "brand_registration_number",
    "brand_registration_date",
    "phone",
    "email",
    "consent_to_contact",
)


def _check_company(company: Company) -> None:
    this_year = timezone.localdate().year
    if company.start_year is not None and not 1900 <= company.start_year <= this_year:
        raise DomainError(
            _("The start year must be between 1900 and %(year)s.") % {"year": this_year}, field="start_year"
        )
    if company.sales_year is not None and not 1990 <= company.sales_year <= this_year:
        raise DomainError(
            _("The year of the sales must be between 1990 and %(year)s.") % {"year": this_year}, field="sales_year"
        )
    if company.annual_sales is not None and company.annual_sales < 0:
        raise DomainError(_("Annual sales cannot be negative."), field="annual_sales")
    if company.annual_sales is not None and company.sales_year is None:
        raise DomainError(_("Say which year the sales figure is for."), field="sales_year")
    for field in ("permanent_men", "permanent_women", "temporary_men", "temporary_women"):
        if getattr(company, field) is None or getattr(company, field) < 0:
            raise DomainError(_("The number of workers cannot be negative."), field=field)
    if company.ruc:
        _refuse_duplicate(
            company,
            "ruc",
            _("A company with RUC %(ruc)s is already registered: %(name)s (%(centre)s)."),
        )


def _refuse_duplicate(record, field: str, message) -> None:
    """One RUC, one DNI: refuse a second record with the same id, naming the first (``error.existing``)."""
    value = getattr(record, field)
    existing = type(record).objects.select_related("centre").filter(**{field: value}).exclude(pk=record.pk).first()
    if existing is None:
        return
    error = DomainError(
        message % {field: value, "name": existing, "centre": existing.centre}, field=field, code="duplicate"
    )
    error.existing = existing
    raise error


def _apply_company_fields(company: Company, fields: dict) -> None:
    unknown = set(fields) - set(COMPANY_FIELDS)
    if unknown:
        raise ValueError(f"unknown company fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(company, name, value)
    company.ruc = clean_ruc(company.ruc)
    # The RUC status follows the RUC: none without one, active unless told otherwise with one.
    if not company.ruc:
        company.ruc_status = RucStatus.NONE
    elif company.ruc_status == RucStatus.NONE:
        company.ruc_status = RucStatus.ACTIVE
    company.name_key = name_key(company.legal_name)


def _set_size_class(company: Company) -> None:
    # After _check_company: a missing worker count must be refused there, not crash the sum here.
    company.size_class = size_class_for(
        workers=company.workers_total, annual_sales=company.annual_sales, sales_year=company.sales_year
    )


def _save_guarded(instance, **kwargs) -> None:
    """Save; a unique clash that slipped past the checks (two clerks at once) becomes a DomainError."""
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError as exc:
        raise DomainError(
            _("This record clashes with another one saved at the same time. Check and try again.")
        ) from exc


@transaction.atomic
def company_create(*, user, centre, fields: dict, confirm_similar: bool = False) -> Company:
    """Register a company. Refuses a duplicate RUC; warns (unless confirmed) about similar names nearby."""
    policy.check(user, "company_create")
    company = Company(centre=centre, created_by=user)
    _apply_company_fields(company, fields)
    _check_company(company)
    _set_size_class(company)
    if not confirm_similar:
        similar = list(similar_companies(legal_name=company.legal_name, district_id=company.district_id))
        if similar:
            error = DomainError(
                _("There are companies with a similar name in this district. Check they are not the same one."),
                field="legal_name",
                code="similar",
            )
            error.similar = similar
            raise error
    _save_guarded(company)
    return company


@transaction.atomic
def company_update(*, user, company: Company, fields: dict) -> Company:
    policy.check(user, "company_update", company)
    _apply_company_fields(company, fields)
    _check_company(company)
    _set_size_class(company)
    _save_guarded(company)
    return company


# --- Entrepreneurs ------------------------------------------------------------------------

ENTREPRENEUR_FIELDS = (
    "first_name",
    "last_name",
    "dni",
    "gender",
    "birth_year",
    "education",
    "phone",
    "email",
    "company",
    "relationship",
    "district",
    "business_idea",
    "consent_to_contact",
    "data_consent",
)


def _apply_entrepreneur_fields(person: Entrepreneur, fields: dict) -> None:
    unknown = set(fields) - set(ENTREPRENEUR_FIELDS)
    if unknown:
        raise ValueError(f"unknown entrepreneur fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(person, name, value)
    person.dni = clean_dni(person.dni)
    this_year = timezone.localdate().year
    if person.birth_year is not None and not this_year - 100 <= person.birth_year <= this_year - 12:
        raise DomainError(
            _("The year of birth must be between %(first)s and %(last)s.")
            % {"first": this_year - 100, "last": this_year - 12},
            field="birth_year",
        )
    if person.company_id and person.company.centre_id != person.centre_id:
        raise DomainError(_("The company belongs to another centre."), field="company")
    if person.company_id and not person.relationship:
        person.relationship = "owner"
    if not person.company_id:
        person.relationship = ""
    if person.dni:
        _refuse_duplicate(
            person,
            "dni",
            _("A person with DNI %(dni)s is already registered: %(name)s (%(centre)s)."),
        )


@transaction.atomic
def entrepreneur_create(*, user, centre, fields: dict) -> Entrepreneur:
    policy.check(user, "entrepreneur_create")
    person = Entrepreneur(centre=centre, created_by=user)
    _apply_entrepreneur_fields(person, fields)
    _record_consent_answer(person, user=user, fields=fields, previous=None)
    _save_guarded(person)
    return person


@transaction.atomic
def entrepreneur_update(*, user, person: Entrepreneur, fields: dict) -> Entrepreneur:
    policy.check(user, "entrepreneur_update", person)
    # Read from the row, not the caller's copy: it may have been anonymised since the page was opened.
    previous, anonymised_at = Entrepreneur.objects.filter(pk=person.pk).values_list(
        "data_consent", "anonymised_at"
    ).first() or (None, None)
    if anonymised_at is not None:
        raise DomainError(_("This person was anonymised on their request: their record can no longer be edited."))
    _apply_entrepreneur_fields(person, fields)
    _record_consent_answer(person, user=user, fields=fields, previous=previous)
    _save_guarded(person)
    return person


# --- Diagnosis --------------------------------------------------------------------------

DIAGNOSIS_FIELDS = (
    "date",
    "product_line_count",
    "patrimonial_band",
    "equipment_band",
    "working_day",
    "workers_men",
    "workers_women",
    "monthly_sales",
    "is_formal",
    "notes",
)


def ensure_diagnosis_editable(*, user, diagnosis: Diagnosis) -> None:
    """A completed diagnosis is read-only, except for an administrator (history keeps the change).

    The status is read again, locked, from the database: a copy loaded before someone
    else completed the diagnosis must not let a change through.
    """
    if diagnosis.pk is not None:
        diagnosis.status = (
            Diagnosis.objects.select_for_update().filter(pk=diagnosis.pk).values_list("status", flat=True).get()
        )
    if not diagnosis_editable_by(user, diagnosis):
        raise DomainError(_("This diagnosis is completed and can no longer be changed."))


def _apply_diagnosis_fields(diagnosis: Diagnosis, fields: dict) -> None:
    unknown = set(fields) - set(DIAGNOSIS_FIELDS)
    if unknown:
        raise ValueError(f"unknown diagnosis fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(diagnosis, name, value)
    if diagnosis.date and diagnosis.date > timezone.localdate():
        raise DomainError(_("The date of the interview cannot be in the future."), field="date")
    if diagnosis.monthly_sales is not None and diagnosis.monthly_sales < 0:
        raise DomainError(_("Sales cannot be negative."), field="monthly_sales")


@transaction.atomic
def diagnosis_create(*, user, company: Company, fields: dict, needs: dict | None = None) -> Diagnosis:
    """Open a draft diagnosis of a company, signed by the promoter who runs it."""
    policy.check(user, "diagnosis_create", company)
    diagnosis = Diagnosis(company=company, centre_id=company.centre_id, promoter=user)
    fields = {"date": timezone.localdate(), **fields}
    _apply_diagnosis_fields(diagnosis, fields)
    diagnosis.save()
    if needs is not None:
        diagnosis_set_needs(user=user, diagnosis=diagnosis, needs=needs)
    return diagnosis


@transaction.atomic
def diagnosis_update(*, user, diagnosis: Diagnosis, fields: dict, needs: dict | None = None) -> Diagnosis:
    policy.check(user, "diagnosis_update", diagnosis)
    diagnosis = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    ensure_diagnosis_editable(user=user, diagnosis=diagnosis)
    _apply_diagnosis_fields(diagnosis, fields)
    diagnosis.save()
    if needs is not None:
        diagnosis_set_needs(user=user, diagnosis=diagnosis, needs=needs)
    return diagnosis


@transaction.atomic
def diagnosis_set_needs(*, user, diagnosis: Diagnosis, needs: dict) -> None:
    """Make the needs found match ``needs``: {need type: note}. Answered needs are kept as they are."""
    policy.check(user, "diagnosis_update", diagnosis)
    ensure_diagnosis_editable(user=user, diagnosis=diagnosis)
    unknown = set(needs) - set(NeedType.values)
    if unknown:
        raise DomainError(_("Unknown need: %(need)s") % {"need": ", ".join(sorted(unknown))}, field="needs")
    existing = {n.need_type: n for n in diagnosis.needs.all()}
    for need_type, note in needs.items():
        need = existing.get(need_type)
        if need is None:
            Need.objects.create(
                centre_id=diagnosis.centre_id,
                company_id=diagnosis.company_id,
                diagnosis=diagnosis,
                need_type=need_type,
                note=note or "",
                source="diagnosis",
            )
        elif need.note != (note or ""):
            need.note = note or ""
            need.save(update_fields=["note", "updated_at"])
    for need_type, need in existing.items():
        if need_type not in needs and need.status == Need.Status.OPEN:
            need.delete()


@transaction.atomic
def diagnosis_complete(*, user, diagnosis: Diagnosis) -> Diagnosis:
    """Close the interview: the baseline is filled and the tree has a central problem, causes and effects."""
    policy.check(user, "diagnosis_complete", diagnosis)
    diagnosis = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    if diagnosis.is_completed:
        raise DomainError(_("This diagnosis is already completed."))
    missing = [
        str(Diagnosis._meta.get_field(name).verbose_name)
        for name in ("product_line_count", "patrimonial_band", "equipment_band", "working_day")
        if getattr(diagnosis, name) in (None, "")
    ]
    if missing:
        raise DomainError(_("Fill in the baseline before completing: %(fields)s.") % {"fields": ", ".join(missing)})
    kinds = set(diagnosis.nodes.values_list("kind", flat=True))
    if ProblemNode.Kind.CENTRAL not in kinds:
        raise DomainError(_("The problem tree needs a central problem."))
    if ProblemNode.Kind.CAUSE not in kinds or ProblemNode.Kind.EFFECT not in kinds:
        raise DomainError(_("The problem tree needs at least one cause and one effect."))
    diagnosis.status = Diagnosis.Status.COMPLETED
    diagnosis.completed_at = timezone.now()
    diagnosis.save(update_fields=["status", "completed_at", "updated_at"])
    return diagnosis


# --- Problem tree --------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the problem, cause or effect."), field="text")
    if len(text) > 300:
        raise DomainError(_("Keep it under 300 characters."), field="text")
    return text


def _next_position(diagnosis: Diagnosis, parent: ProblemNode | None) -> int:
    top = ProblemNode.objects.filter(diagnosis=diagnosis, parent=parent).aggregate(m=Max("position"))["m"]
    return 0 if top is None else top + 1


@transaction.atomic
def problem_node_add(
    *, user, diagnosis: Diagnosis, kind: str, text: str, parent: ProblemNode | None = None
) -> ProblemNode:
    """Add the central problem (no parent), or a cause or effect under the central problem or under another
    node of the same kind (a cause of a cause)."""
    policy.check(user, "problem_tree_edit", diagnosis)
    ensure_diagnosis_editable(user=user, diagnosis=diagnosis)
    text = _clean_text(text)
    if kind == ProblemNode.Kind.CENTRAL:
        if parent is not None:
            raise DomainError(_("The central problem has no parent."), field="parent")
        if diagnosis.nodes.filter(kind=kind).exists():
            raise DomainError(_("The tree already has a central problem: rename it instead."))
    elif kind in (ProblemNode.Kind.CAUSE, ProblemNode.Kind.EFFECT):
        if parent is None:
            parent = diagnosis.nodes.filter(kind=ProblemNode.Kind.CENTRAL).first()
            if parent is None:
                raise DomainError(_("Write the central problem first."))
        _check_parent(diagnosis=diagnosis, kind=kind, parent=parent)
    else:
        raise DomainError(_("Unknown kind of node."), field="kind")
    node = ProblemNode(
        diagnosis=diagnosis, parent=parent, kind=kind, text=text, position=_next_position(diagnosis, parent)
    )
    # Two clerks adding a central problem at once: the database constraint decides, the loser gets a message.
    _save_guarded(node)
    return node


def _check_parent(*, diagnosis: Diagnosis, kind: str, parent: ProblemNode) -> None:
    if parent.diagnosis_id != diagnosis.pk:
        raise DomainError(_("That node belongs to another diagnosis."), field="parent")
    if parent.kind not in (ProblemNode.Kind.CENTRAL, kind):
        raise DomainError(
            _("A cause hangs from the central problem or from another cause; an effect likewise."), field="parent"
        )


@transaction.atomic
def problem_node_update(
    *, user, node: ProblemNode, text: str | None = None, to_address: bool | None = None
) -> ProblemNode:
    policy.check(user, "problem_tree_edit", node.diagnosis)
    ensure_diagnosis_editable(user=user, diagnosis=node.diagnosis)
    fields = []
    if text is not None:
        node.text = _clean_text(text)
        fields.append("text")
    if to_address is not None:
        node.to_address = to_address
        fields.append("to_address")
    if fields:
        node.save(update_fields=fields)
    return node


def _descendant_ids(node: ProblemNode) -> set[int]:
    """Every node under this one (trees are small: a few dozen nodes at most)."""
    by_parent: dict[int | None, list[int]] = {}
    for node_id, parent_id in ProblemNode.objects.filter(diagnosis_id=node.diagnosis_id).values_list("id", "parent_id"):
        by_parent.setdefault(parent_id, []).append(node_id)
    found, stack = set(), [node.pk]
    while stack:
        for child in by_parent.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


@transaction.atomic
def problem_node_move(*, user, node: ProblemNode, new_parent: ProblemNode) -> ProblemNode:
    """Hang a cause or effect from another node of the same tree (not from itself or its own branch)."""
    policy.check(user, "problem_tree_edit", node.diagnosis)
    ensure_diagnosis_editable(user=user, diagnosis=node.diagnosis)
    if node.kind == ProblemNode.Kind.CENTRAL:
        raise DomainError(_("The central problem stays at the centre of the tree."))
    _check_parent(diagnosis=node.diagnosis, kind=node.kind, parent=new_parent)
    if new_parent.pk == node.pk or new_parent.pk in _descendant_ids(node):
        raise DomainError(_("A node cannot hang from itself or from its own branch."))
    node.parent = new_parent
    node.position = _next_position(node.diagnosis, new_parent)
    node.save(update_fields=["parent", "position"])
    return node


@transaction.atomic
def problem_node_delete(*, user, node: ProblemNode) -> None:
    """Delete a node and its branch. The central problem goes only when it stands alone."""
    policy.check(user, "problem_tree_edit", node.diagnosis)
    ensure_diagnosis_editable(user=user, diagnosis=node.diagnosis)
    if node.kind == ProblemNode.Kind.CENTRAL and node.children.exists():
        raise DomainError(_("Delete the causes and effects first, or rename the central problem."))
    node.delete()


# --- Needs ----------------------------------------------------------------------------------


@transaction.atomic
def need_create(
    *,
    user,
    centre,
    need_type: str,
    source: str,
    company: Company | None = None,
    entrepreneur: Entrepreneur | None = None,
    note: str = "",
) -> Need:
    """Record demand found by another app (an evaluation asking for more, a consultation's referral).

    The one way other apps create a need: they never write Need rows themselves.
    """
    policy.check(user, "need_record")
    if need_type not in NeedType.values:
        raise DomainError(_("Unknown need: %(need)s") % {"need": need_type}, field="need_type")
    if company is None and entrepreneur is None:
        raise DomainError(_("A need belongs to a company or a person."))
    need = Need(
        centre=centre,
        company=company,
        entrepreneur=entrepreneur,
        need_type=need_type,
        note=(note or "")[:300],
        source=source[:20],
    )
    need.save()
    return need


@transaction.atomic
def need_mark_answered(*, user, need: Need, answered_by: str) -> Need:
    """Called by the app whose service answers a need (a service, a course, a loan)."""
    policy.check(user, "need_answer", need)
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status == Need.Status.ANSWERED:
        return need
    need.status = Need.Status.ANSWERED
    need.answered_at = timezone.now()
    need.answered_by = answered_by[:120]
    need.save(update_fields=["status", "answered_at", "answered_by", "updated_at"])
    return need


# --- Personal data (Ley 29733) -----------------------------------------------------------------


def _record_consent_answer(person: Entrepreneur, *, user, fields: dict, previous: bool | None) -> None:
    """The consent answer is dated and signed by whoever recorded it, each time it changes."""
    if "data_consent" not in fields:
        return
    if previous is None or bool(fields["data_consent"]) != previous or person.data_consent_date is None:
        person.data_consent_date = timezone.localdate()
        person.data_consent_recorded_by = user


def entrepreneur_export_data(*, user, person: Entrepreneur) -> dict:
    """Everything the centres hold about a person, as JSON-ready data (the right of access).

    The registry's own fields, the consent answer, the company, the needs, who changed the record
    and when, and each app's section (``clients.privacy`` sources).
    """
    from .privacy import json_value, personal_data_sources

    policy.check(user, "entrepreneur_data_export", person)
    fields = (
        "id", "first_name", "last_name", "dni", "gender", "birth_year", "education", "phone", "email",
        "relationship", "business_idea", "consent_to_contact", "created_at", "updated_at", "anonymised_at",
    )  # fmt: skip
    data = {
        "law": "Ley 29733",
        "exported_at": timezone.now().isoformat(),
        "exported_by": user.get_username(),
        "centre": person.centre.name,
        "person": {name: json_value(getattr(person, name)) for name in fields},
        "district": str(person.district) if person.district_id else None,
        "consent": {
            "given": person.data_consent,
            "date": json_value(person.data_consent_date),
            "recorded_by": person.data_consent_recorded_by.get_username() if person.data_consent_recorded_by else None,
        },
        "company": (
            {"id": person.company_id, "name": person.company.legal_name, "ruc": person.company.ruc}
            if person.company_id
            else None
        ),
        "needs": [
            {
                "date": json_value(n.created_at),
                "need": n.get_need_type_display(),
                "note": n.note,
                "status": n.get_status_display(),
            }
            for n in person.needs.order_by("created_at")
        ],  # fmt: skip
        "history": [
            {
                "date": json_value(h.history_date),
                "change": h.get_history_type_display(),
                "by": h.history_user.get_username() if h.history_user else None,
            }
            for h in person.history.select_related("history_user").order_by("history_date")
        ],  # fmt: skip
    }
    for source in personal_data_sources():
        data[source.key] = source.export(person)
    return data


@transaction.atomic
def entrepreneur_anonymise(*, user, person: Entrepreneur) -> Entrepreneur:
    """Forget who the person is, on their request, and keep what the statistics count.

    Names, DNI, phone, e-mail and the business idea are replaced, in the record and in every
    earlier version of its history (otherwise the history would still tell who it was); gender,
    year of birth (so the age band), education, district, company and every service, course,
    consultation and loan stay, so counts and indicators do not change. The history keeps a
    version saying who anonymised the record and when. Each app's source removes what it typed
    about the person in its own rows. Irreversible.
    """
    from .privacy import IDENTIFYING_FIELDS, anonymous_values, personal_data_sources

    policy.check(user, "entrepreneur_anonymise", person)
    person = Entrepreneur.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at is not None:
        raise DomainError(_("This person was already anonymised."))
    values = anonymous_values(person)
    person.history.update(**values)
    for name, value in values.items():
        setattr(person, name, value)
    person.consent_to_contact = False
    person.anonymised_at = timezone.now()
    person._change_reason = "Ley 29733: anonymised on request"
    person._history_user = user
    person.save(update_fields=[*IDENTIFYING_FIELDS, "consent_to_contact", "anonymised_at", "updated_at"])
    for source in personal_data_sources():
        if source.anonymise is not None:
            source.anonymise(person)
    return person

"""The managers' dashboard: one function per panel, each one or two aggregate queries.

Every panel takes ``(user, date_from, date_to, centre=None)`` and reads only what the
user may see: the service apps' records scoped with ``core.access`` (a coordinator of
Lima sees Lima; the national manager every centre, or the one chosen). Nothing here
runs a query per record: the number of queries is the same with a hundred companies
or a hundred thousand (``tests/test_selectors.py`` holds it).

What counts in a period:

* training: the participants (enrolled, not withdrawn nor waiting) of the courses that
  started in it (cancelled courses apart);
* technical assistance: the services opened in it (cancelled ones apart);
* credit: the loans paid out in it;
* consultations: the consultations started in it;
* the credit portfolio and the assistance pipeline are read at the end of the period
  (the portfolio) or today (the pipeline, which has no past).

A company (a record of the registry) and a protoempresa (an emprendedor who came without
a company) are counted apart everywhere, as the seed does. A person enrolled or lent to
with their company counts as the company.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Avg,
    BigIntegerField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance.models import OPEN_STAGES, STAGE_ORDER, BudgetLine, Evaluation, Indicator, Service, Stage
from clients.models import Company, EducationLevel, Entrepreneur, Gender
from consultations.models import Channel, Consultation, Referral
from consultations.selectors import converted_condition
from core.access import scope_to_user, visible_centres
from core.money import MONEY, ZERO, to_money
from core.selectors import centre_settings, settings_by_centre
from credit.models import Allocation, Instalment, LedgerEntry, Loan, Operator
from training.models import Enrolment, FollowUp, Offering

SERVICES = ("training", "assistance", "credit")
MONEY_FIELD = DecimalField(**MONEY)


@dataclass(frozen=True)
class Period:
    date_from: datetime.date
    date_to: datetime.date

    @property
    def starts(self) -> datetime.datetime:
        """The first instant of the period in the site's time zone (datetime columns are compared to it)."""
        return timezone.make_aware(datetime.datetime.combine(self.date_from, datetime.time.min))

    @property
    def ends(self) -> datetime.datetime:
        """The first instant after the period."""
        return timezone.make_aware(
            datetime.datetime.combine(self.date_to + datetime.timedelta(days=1), datetime.time.min)
        )


def _scoped(queryset: QuerySet, user, centre, field: str = "centre") -> QuerySet:
    """What the user may see, narrowed to one centre when one is chosen."""
    queryset = scope_to_user(queryset, user, centre_field=field)
    if centre is not None:
        queryset = queryset.filter(**{field: centre})
    return queryset


def _decimal(value) -> Decimal:
    """A sum read with a raw cursor as Decimal (SQLite sums decimals as floats or integers)."""
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _pct(part, whole) -> float | None:
    if not whole:
        return None
    return round(100 * float(part or 0) / float(whole), 1)


# --- Who was served: the querysets behind Cuadro 2 and the profile ---------------------------------


def training_participants(user, period: Period, centre=None) -> QuerySet[Enrolment]:
    """Participants of the courses that started in the period (enrolled, not waiting nor withdrawn)."""
    return (
        _scoped(Enrolment.objects.all(), user, centre)
        .filter(
            status=Enrolment.Status.ENROLLED,
            offering__starts_on__gte=period.date_from,
            offering__starts_on__lte=period.date_to,
        )
        .exclude(offering__status=Offering.Status.CANCELLED)
    )


def assistance_services(user, period: Period, centre=None) -> QuerySet[Service]:
    """Technical-assistance services opened in the period, cancelled ones apart."""
    return (
        _scoped(Service.objects.all(), user, centre)
        .filter(created_at__gte=period.starts, created_at__lt=period.ends)
        .exclude(stage=Stage.CANCELLED)
    )


def credit_loans(user, period: Period, centre=None) -> QuerySet[Loan]:
    """Loans paid out in the period."""
    return _scoped(Loan.objects.all(), user, centre).filter(
        disbursed_on__gte=period.date_from, disbursed_on__lte=period.date_to
    )


def _proto_of_person():
    """The person when they came without a company (a protoempresa), else NULL."""
    return Case(When(company__isnull=True, then=F("entrepreneur_id")), default=None, output_field=BigIntegerField())


def _served_sql(user, period: Period, centre) -> tuple[str, list]:
    """SQL of the rows (service, centre, company, protoempresa) served in the period, and its parameters.

    The three services' scoped querysets, compiled by the ORM and stacked with UNION ALL, so that
    a company served by two services is one company in the totals (COUNT DISTINCT over the stack)
    without joining the three tables to each other (which would multiply rows).
    """
    parts = [
        training_participants(user, period, centre).annotate(proto=_proto_of_person()),
        assistance_services(user, period, centre),
        credit_loans(user, period, centre).annotate(proto=_proto_of_person()),
    ]
    sql, params, selects = [], [], []
    for name, queryset in zip(SERVICES, parts, strict=True):
        fields = ("centre_id", "company_id", "proto") if name != "assistance" else ("centre_id", "company_id")
        part_sql, part_params = queryset.order_by().values_list(*fields).query.sql_with_params()
        columns = "centre_id, company_id, proto_id" if name != "assistance" else "centre_id, company_id"
        sql.append(f"served_{name}({columns}) AS ({part_sql})")
        params += list(part_params)
        proto = "proto_id" if name != "assistance" else "NULL"
        selects.append(f"SELECT '{name}' AS service, centre_id, company_id, {proto} AS proto_id FROM served_{name}")  # noqa: S608  # nosec B608 - our own names; values are parameters
    return "WITH " + ", ".join(sql) + ", served AS (" + " UNION ALL ".join(selects) + ")", params


def cuadro2(user, date_from: datetime.date, date_to: datetime.date, centre=None) -> dict:
    """The seed's Cuadro 2: companies and protoempresas served, by service and centre, with totals.

    One query. A company is counted once per service (however many courses, services or loans
    it had) and once in each total (however many services it used).
    """
    period = Period(date_from, date_to)
    with_served, params = _served_sql(user, period, centre)
    count = "COUNT(DISTINCT company_id), COUNT(DISTINCT proto_id)"
    # Our own constants only; the values are parameters.
    grouped = f"SELECT service, centre_id, {count} FROM served GROUP BY service, centre_id"  # noqa: S608  # nosec B608
    by_centre = f"SELECT 'total', centre_id, {count} FROM served GROUP BY centre_id"  # noqa: S608  # nosec B608
    total = f"SELECT 'total', NULL, {count} FROM served"  # noqa: S608  # nosec B608
    sql = f"{with_served} {grouped} UNION ALL {by_centre} UNION ALL {total}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    centres = _centres(user, centre)
    found = {(service, centre_id): (companies, protos) for service, centre_id, companies, protos in rows}
    table = [
        {
            "service": service,
            "centre": name,
            "centre_id": centre_id,
            "companies": found.get((service, centre_id), (0, 0))[0],
            "protoempresas": found.get((service, centre_id), (0, 0))[1],
        }
        for service in SERVICES
        for centre_id, name in centres
    ]
    by_centre = [
        {
            "centre": name,
            "centre_id": centre_id,
            "companies": found.get(("total", centre_id), (0, 0))[0],
            "protoempresas": found.get(("total", centre_id), (0, 0))[1],
        }
        for centre_id, name in centres
    ]
    companies, protos = found.get(("total", None), (0, 0))
    return {"rows": table, "by_centre": by_centre, "totals": {"companies": companies, "protoempresas": protos}}


def _centres(user, centre) -> list[tuple[int, str]]:
    """(id, name) of the centres the dashboard shows, in name order (read once per user object, as
    ``core.access`` keeps the user's roles: every panel of a request asks)."""
    if centre is not None:
        return [(centre.pk, centre.name)]
    cached = getattr(user, "_monitoring_centres", None)
    if cached is None:
        cached = list(visible_centres(user).order_by("name").values_list("pk", "name"))
        user._monitoring_centres = cached
    return cached


# --- Technical assistance: the pipeline -------------------------------------------------------------

AGE_BANDS = [(0, 30, "0-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, None, ">90")]


def _late_condition(centre_ids, now: datetime.datetime) -> Q:
    """Q: an open service has been in its stage longer than its centre's limit (the board's rule)."""
    late = Q(pk__in=[])
    for centre_id, rules in settings_by_centre(centre_ids).items():
        for stage in OPEN_STAGES:
            if stage == Stage.EVALUATION:
                continue
            days = rules.stage_limit_days(stage) or 60
            late |= Q(centre_id=centre_id, stage=stage, stage_changed_at__lt=now - datetime.timedelta(days=days))
    return late


def _evaluation_condition(centre_ids, today: datetime.date, *, overdue: bool) -> Q:
    """Q: a service in evaluation whose window has opened (due) or closed (overdue), by its centre's settings."""
    found = Q(pk__in=[])
    for centre_id, rules in settings_by_centre(centre_ids).items():
        days = rules.evaluation_until_days if overdue else rules.evaluation_from_days
        if overdue:
            found |= Q(centre_id=centre_id, execution_ended_on__lt=today - datetime.timedelta(days=days))
        else:
            found |= Q(centre_id=centre_id, execution_ended_on__lte=today - datetime.timedelta(days=days))
    return Q(stage=Stage.EVALUATION) & found


def pipeline(user, date_from: datetime.date, date_to: datetime.date, centre=None, *, now=None) -> dict:
    """Services by stage: those opened in the period, and today's open ones with their age in the stage,
    the late ones (over the centre's limit) and the evaluations due and overdue. One query."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    period = Period(date_from, date_to)
    centre_ids = [pk for pk, _name in _centres(user, centre)]
    services = _scoped(Service.objects.all(), user, centre)
    opened = Q(created_at__gte=period.starts, created_at__lt=period.ends)
    bands = {}
    for low, high, label in AGE_BANDS:
        condition = Q(stage__in=OPEN_STAGES, stage_changed_at__lte=now - datetime.timedelta(days=low))
        if high is not None:
            condition &= Q(stage_changed_at__gt=now - datetime.timedelta(days=high + 1))
        bands[label] = condition
    due = _evaluation_condition(centre_ids, today, overdue=False)
    overdue = _evaluation_condition(centre_ids, today, overdue=True)
    rows = (
        services.order_by()
        .values("stage")
        .annotate(
            opened=Count("pk", filter=opened),
            now=Count("pk"),
            late=Count("pk", filter=_late_condition(centre_ids, now)),
            due=Count("pk", filter=due & ~overdue),
            overdue=Count("pk", filter=overdue),
            **{f"age_{n}": Count("pk", filter=condition) for n, condition in enumerate(bands.values())},
        )
    )
    by_stage = {row["stage"]: row for row in rows}
    stages = []
    for stage in [*STAGE_ORDER, Stage.CANCELLED]:
        row = by_stage.get(stage, {})
        is_open = stage in OPEN_STAGES
        stages.append(
            {
                "stage": str(stage),
                "label": str(Stage(stage).label),
                "opened": row.get("opened", 0),
                "now": row.get("now", 0) if is_open else None,
                "late": row.get("late", 0) if is_open else None,
                "ages": [row.get(f"age_{n}", 0) for n in range(len(AGE_BANDS))] if is_open else None,
            }
        )
    evaluation = by_stage.get(Stage.EVALUATION, {})
    return {
        "stages": stages,
        "age_bands": [label for _low, _high, label in AGE_BANDS],
        "opened": sum(s["opened"] for s in stages),
        "open_now": sum(s["now"] or 0 for s in stages),
        "late": sum(s["late"] or 0 for s in stages),
        "evaluations_due": evaluation.get("due", 0),
        "evaluations_overdue": evaluation.get("overdue", 0),
    }


# --- Impact ---------------------------------------------------------------------------------------


def _met_target() -> Q:
    """Q: an indicator's measure reached its target, in the direction the target lies from the baseline."""
    return Q(measured_value__isnull=False) & (
        (Q(target__gte=F("baseline")) & Q(measured_value__gte=F("target")))
        | (Q(target__lt=F("baseline")) & Q(measured_value__lte=F("target")))
    )


def impact(user, date_from: datetime.date, date_to: datetime.date, centre=None) -> dict:
    """Results of the services evaluated in the period: indicators against target, the owners'
    satisfaction (as a share of each centre's scale) and, of the companies with a service opened in
    the period, how many obtained a sanitary or brand registration after it opened. Three queries."""
    centre_ids = [pk for pk, _name in _centres(user, centre)]
    evaluations = _scoped(Evaluation.objects.all(), user, centre, "service__centre").filter(
        date__gte=date_from, date__lte=date_to
    )
    scales = settings_by_centre(centre_ids)
    satisfaction_pct = Case(
        *[
            When(service__centre_id=pk, then=F("satisfaction") * Value(100.0) / Value(float(rules.satisfaction_scale)))
            for pk, rules in scales.items()
        ],
        default=None,
        output_field=FloatField(),
    )
    evaluated = evaluations.aggregate(
        services=Count("pk"),
        satisfaction=Avg(satisfaction_pct),
    )
    indicators = (
        _scoped(Indicator.objects.all(), user, centre, "service__centre")
        .filter(service__evaluation__date__gte=date_from, service__evaluation__date__lte=date_to)
        .aggregate(
            indicators=Count("pk"),
            measured=Count("pk", filter=Q(measured_value__isnull=False)),
            met=Count("pk", filter=_met_target()),
        )
    )
    opened = TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    period = Period(date_from, date_to)
    registrations = assistance_services(user, period, centre).aggregate(
        companies=Count("company", distinct=True),
        sanitary_after=Count("company", distinct=True, filter=Q(company__sanitary_registration_date__gte=opened)),
        brand_after=Count("company", distinct=True, filter=Q(company__brand_registration_date__gte=opened)),
    )
    return {
        "services_evaluated": evaluated["services"],
        "satisfaction_pct": round(evaluated["satisfaction"], 1) if evaluated["satisfaction"] is not None else None,
        "indicators": indicators["indicators"],
        "indicators_measured": indicators["measured"],
        "indicators_met": indicators["met"],
        "indicators_met_pct": _pct(indicators["met"], indicators["measured"]),
        "companies_served": registrations["companies"],
        "sanitary_after": registrations["sanitary_after"],
        "sanitary_after_pct": _pct(registrations["sanitary_after"], registrations["companies"]),
        "brand_after": registrations["brand_after"],
        "brand_after_pct": _pct(registrations["brand_after"], registrations["companies"]),
    }


# --- Training -------------------------------------------------------------------------------------


def training(user, date_from: datetime.date, date_to: datetime.date, centre=None) -> dict:
    """Courses that started in the period and their participants: business owners against emprendedores
    (the seed's 58 %), completion, the average gain between the entry and exit tests, follow-ups. Two queries."""
    period = Period(date_from, date_to)
    offerings = (
        _scoped(Offering.objects.all(), user, centre)
        .filter(starts_on__gte=date_from, starts_on__lte=date_to)
        .aggregate(
            offerings=Count("pk", filter=~Q(status=Offering.Status.CANCELLED)),
            finished=Count("pk", filter=Q(status=Offering.Status.FINISHED)),
            cancelled=Count("pk", filter=Q(status=Offering.Status.CANCELLED)),
        )
    )
    gain = ExpressionWrapper(F("exit_score") - F("entry_score"), output_field=FloatField())
    tested = Q(entry_score__isnull=False, exit_score__isnull=False)
    # An enrolment has at most one follow-up (one-to-one): the join does not multiply the rows.
    people = training_participants(user, period, centre).aggregate(
        participants=Count("pk"),
        owners=Count("pk", filter=Q(company__isnull=False)),
        emprendedores=Count("pk", filter=Q(company__isnull=True)),
        decided=Count("pk", filter=Q(completed__isnull=False)),
        completed=Count("pk", filter=Q(completed=True)),
        tested=Count("pk", filter=tested),
        gain=Avg(gain, filter=tested),
        followups=Count("followup"),
        followups_done=Count("followup", filter=Q(followup__date__isnull=False)),
        applied=Count("followup", filter=Q(followup__result=FollowUp.Result.APPLIED)),
        partly=Count("followup", filter=Q(followup__result=FollowUp.Result.PARTLY)),
        wants_assistance=Count("followup", filter=Q(followup__wants_assistance=True)),
    )
    return {
        **offerings,
        **{k: v for k, v in people.items() if k != "gain"},
        "owners_pct": _pct(people["owners"], people["participants"]),
        "completed_pct": _pct(people["completed"], people["decided"]),
        "average_gain": round(people["gain"], 1) if people["gain"] is not None else None,
        "applied_pct": _pct(people["applied"] + people["partly"], people["followups_done"]),
    }


# --- Consultations --------------------------------------------------------------------------------


def consultations(user, date_from: datetime.date, date_to: datetime.date, centre=None) -> dict:
    """Consultations started in the period by topic and by channel, the referrals and their conversion
    (the need answered within the centre's window, read from ``clients.Need``). One query, grouped by
    topic, channel and referral (rows bounded by the catalogues, not by the data)."""
    period = Period(date_from, date_to)
    centre_ids = [pk for pk, _name in _centres(user, centre)]
    rows = list(
        _scoped(Consultation.objects.all(), user, centre)
        .filter(started_at__gte=period.starts, started_at__lt=period.ends)
        .order_by()
        .values("topic_id", "topic__name", "channel", "referral")
        .annotate(
            total=Count("pk"),
            over_limit=Count("pk", filter=Q(over_limit=True)),
            converted=Count("pk", filter=~Q(referral="") & converted_condition(centre_ids)),
        )
    )

    def roll_up(key, label) -> list[dict]:
        groups: dict = {}
        for row in rows:
            group = groups.setdefault(row[key], {"key": row[key], "label": label(row), "total": 0, "referred": 0,
                                                 "converted": 0})  # fmt: skip
            group["total"] += row["total"]
            if row["referral"]:
                group["referred"] += row["total"]
                group["converted"] += row["converted"]
        result = sorted(groups.values(), key=lambda g: (-g["total"], g["label"]))
        for group in result:
            group["conversion_pct"] = _pct(group["converted"], group["referred"])
        return result

    channels = dict(Channel.choices)
    referrals = dict(Referral.choices)
    total = sum(r["total"] for r in rows)
    referred = sum(r["total"] for r in rows if r["referral"])
    converted = sum(r["converted"] for r in rows if r["referral"])
    return {
        "total": total,
        "over_limit": sum(r["over_limit"] for r in rows),
        "referred": referred,
        "converted": converted,
        "conversion_pct": _pct(converted, referred),
        "by_topic": roll_up("topic_id", lambda r: r["topic__name"]),
        "by_channel": roll_up("channel", lambda r: str(channels.get(r["channel"], r["channel"]))),
        "by_referral": [
            g for g in roll_up("referral", lambda r: str(referrals.get(r["referral"], r["referral"]))) if g["key"]
        ],
    }


# --- Credit ---------------------------------------------------------------------------------------


def par_days(centre=None) -> int:
    """Days late from which a loan is at risk: the chosen centre's setting, else the network default."""
    return centre_settings(centre.pk if centre is not None else None).credit_par_days


def _portfolio_sql(user, centre, as_of: datetime.date, threshold: int) -> tuple[str, list]:
    """SQL of the portfolio at the end of ``as_of`` grouped by operator (with its name) and by whether the borrower also
    had technical assistance (their company) or a course (themselves): loans, principal owed, and the
    owed principal and loans at risk (the oldest instalment then unpaid is over ``threshold`` days late).

    The same reading of the schedule and its allocations as ``credit.arrears``, computed once per loan
    in CTEs: written with the ORM, each per-loan subquery was repeated in every aggregate that used it
    (PostgreSQL does not share them) and the panel took a quarter of a second at 100,000 companies.
    """
    loans_sql, loans_params = (
        _scoped(Loan.objects.all(), user, centre)
        .filter(disbursed_on__isnull=False, disbursed_on__lte=as_of)
        .exclude(written_off_on__lte=as_of)
        .order_by()
        .values_list("pk", "operator_id", "amount", "company_id", "entrepreneur_id")
        .query.sql_with_params()
    )
    table = {m: m._meta.db_table for m in (Allocation, Instalment, Service, Enrolment, Operator)}
    repayment = Allocation._meta.get_field("repayment").related_model._meta.db_table
    sql = f"""
        WITH portfolio(id, operator_id, amount, company_id, entrepreneur_id) AS ({loans_sql}),
        paid AS (
            SELECT a.instalment_id, SUM(a.principal) AS principal, SUM(a.principal + a.interest + a.fee) AS total
            FROM {table[Allocation]} a
            JOIN {repayment} r ON r.id = a.repayment_id
            JOIN {table[Instalment]} i ON i.id = a.instalment_id
            WHERE r.date <= %s AND i.loan_id IN (SELECT id FROM portfolio)
            GROUP BY a.instalment_id
        ),
        per_loan AS (
            SELECT l.id, l.operator_id, l.company_id, l.entrepreneur_id,
                   l.amount - COALESCE(SUM(p.principal), 0) AS outstanding,
                   MIN(i.due_date) FILTER (
                       WHERE i.due_date < %s
                       AND COALESCE(p.total, 0) < i.principal_due + i.interest_due + i.fee_due
                   ) AS oldest_late
            FROM portfolio l
            LEFT JOIN {table[Instalment]} i ON i.loan_id = l.id
            LEFT JOIN paid p ON p.instalment_id = i.id
            GROUP BY l.id, l.operator_id, l.company_id, l.entrepreneur_id, l.amount
        ),
        owed AS (
            SELECT operator_id, outstanding, oldest_late < %s AS at_risk,
                   (EXISTS (SELECT 1 FROM {table[Service]} s WHERE s.company_id = per_loan.company_id
                                                              AND s.stage <> %s)
                    OR EXISTS (SELECT 1 FROM {table[Enrolment]} e WHERE e.entrepreneur_id = per_loan.entrepreneur_id
                                                                 AND e.status = %s)) AS other_service
            FROM per_loan
            -- Not > 0: SQLite sums decimals as floats, and a repaid loan may leave a residue of 1e-12.
            WHERE outstanding >= 0.01
        )
        SELECT owed.operator_id, o.name, other_service, COUNT(*), SUM(outstanding),
               COALESCE(SUM(outstanding) FILTER (WHERE at_risk), 0), COUNT(*) FILTER (WHERE at_risk)
        FROM owed JOIN {table[Operator]} o ON o.id = owed.operator_id
        GROUP BY owed.operator_id, o.name, other_service
    """  # noqa: S608  # nosec B608 - our own table names; every value is a parameter
    params = [
        *loans_params,
        as_of,
        as_of,
        as_of - datetime.timedelta(days=threshold),
        Stage.CANCELLED.value,
        Enrolment.Status.ENROLLED.value,
    ]
    return sql, params


def credit(user, date_from: datetime.date, date_to: datetime.date, centre=None) -> dict:
    """The fund's portfolio at the end of the period (principal owed, PAR at the centre's threshold,
    delinquency by operator, and PAR of borrowers who also had assistance or training against those
    who did not) and the loans paid out in the period. Three queries."""
    as_of = date_to
    threshold = par_days(centre)
    with connection.cursor() as cursor:
        cursor.execute(*_portfolio_sql(user, centre, as_of, threshold))
        found = cursor.fetchall()
    rows = [
        {
            "operator_id": operator_id,
            "operator__name": operator_name,
            "other_service": bool(other_service),
            "loans": loans,
            "outstanding_sum": _decimal(outstanding),
            "at_risk_sum": _decimal(at_risk),
            "at_risk_loans": at_risk_loans,
        }
        for operator_id, operator_name, other_service, loans, outstanding, at_risk, at_risk_loans in found
    ]
    disbursed = credit_loans(user, Period(date_from, date_to), centre).aggregate(
        loans=Count("pk"),
        amount=Coalesce(Sum("amount"), ZERO, output_field=MONEY_FIELD),
        borrowers=Count("entrepreneur", distinct=True),
    )

    def group(key, label) -> list[dict]:
        groups: dict = {}
        for row in rows:
            g = groups.setdefault(row[key], {"key": row[key], "label": label(row), "loans": 0, "outstanding": ZERO,
                                             "at_risk": ZERO, "at_risk_loans": 0})  # fmt: skip
            g["loans"] += row["loans"]
            g["outstanding"] += row["outstanding_sum"]
            g["at_risk"] += row["at_risk_sum"]
            g["at_risk_loans"] += row["at_risk_loans"]
        result = sorted(groups.values(), key=lambda g: str(g["label"]))
        for g in result:
            g["outstanding"], g["at_risk"] = to_money(g["outstanding"]), to_money(g["at_risk"])
            g["par"] = to_money(g["at_risk"] * 100 / g["outstanding"]) if g["outstanding"] else None
        return result

    outstanding = sum((r["outstanding_sum"] for r in rows), ZERO)
    risky = sum((r["at_risk_sum"] for r in rows), ZERO)
    return {
        "as_of": as_of,
        "par_days": threshold,
        "loans": sum(r["loans"] for r in rows),
        "outstanding": to_money(outstanding),
        "at_risk": to_money(risky),
        "par": to_money(risky * 100 / outstanding) if outstanding else None,
        "disbursed_loans": disbursed["loans"],
        "disbursed_amount": to_money(disbursed["amount"]),
        "disbursed_borrowers": disbursed["borrowers"],
        "by_operator": group("operator_id", lambda r: r["operator__name"]),
        "by_other_service": group(
            "other_service",
            lambda r: _("Also had assistance or training") if r["other_service"] else _("Credit only"),
        ),
    }


# --- Client profile (the seed's figures 7 to 14) ---------------------------------------------------

EDUCATION_GROUPS = {
    "none": [EducationLevel.NONE],
    "primary": [EducationLevel.PRIMARY_INCOMPLETE, EducationLevel.PRIMARY],
    "secondary": [EducationLevel.SECONDARY_INCOMPLETE, EducationLevel.SECONDARY],
    "higher": [EducationLevel.HIGHER_INCOMPLETE, EducationLevel.HIGHER],
}


def _served_company_ids(user, period: Period, centre) -> list[QuerySet]:
    return [
        training_participants(user, period, centre).filter(company__isnull=False).values("company_id"),
        assistance_services(user, period, centre).values("company_id"),
        credit_loans(user, period, centre).filter(company__isnull=False).values("company_id"),
    ]


def _served_company_union(user, period: Period, centre) -> QuerySet:
    first, *others = (subquery.order_by() for subquery in _served_company_ids(user, period, centre))
    return first.union(*others)


def profile(user, date_from: datetime.date, date_to: datetime.date, centre=None) -> dict:
    """Who the clients served in the period were: the owners' and emprendedores' gender, education and
    age; the companies' workers by gender and stability, years in business, and brand and sanitary
    registration by centre (the seed's zones). Two queries."""
    period = Period(date_from, date_to)
    year = date_to.year
    # One UNION of the three services' companies: PostgreSQL reads it once and joins (an OR of three IN
    # subqueries made it filter every company of the registry, in parallel workers that each built them).
    served = _served_company_union(user, period, centre)
    companies = Company.objects.filter(pk__in=served)
    firms = companies.aggregate(
        companies=Count("pk"),
        men=Coalesce(Sum(F("permanent_men") + F("temporary_men")), 0),
        women=Coalesce(Sum(F("permanent_women") + F("temporary_women")), 0),
        permanent=Coalesce(Sum(F("permanent_men") + F("permanent_women")), 0),
        temporary=Coalesce(Sum(F("temporary_men") + F("temporary_women")), 0),
        young=Count("pk", filter=Q(start_year__isnull=False, start_year__gte=year - 2)),
        middle=Count("pk", filter=Q(start_year__lt=year - 2, start_year__gte=year - 10)),
        old=Count("pk", filter=Q(start_year__lt=year - 10)),
        unknown_age=Count("pk", filter=Q(start_year__isnull=True)),
        **{
            f"{kind}_{pk}": Count("pk", filter=Q(centre_id=pk) & condition)
            for pk, _name in _centres(user, centre)
            for kind, condition in (
                ("all", Q()),
                ("sanitary", ~Q(sanitary_registration_number="")),
                ("brand", ~Q(brand_registration_number="")),
            )
        },
    )
    # The people: the owners of the companies served and the protoempresas served.
    protos = Q(
        pk__in=training_participants(user, period, centre)
        .filter(company__isnull=True)
        .order_by()
        .values("entrepreneur_id")
        .union(credit_loans(user, period, centre).filter(company__isnull=True).order_by().values("entrepreneur_id"))
    )
    owners = Q(relationship="owner", company_id__in=served)
    people = Entrepreneur.objects.filter(owners | protos).aggregate(
        people=Count("pk"),
        women=Count("pk", filter=Q(gender=Gender.FEMALE)),
        men=Count("pk", filter=Q(gender=Gender.MALE)),
        under_30=Count("pk", filter=Q(birth_year__gt=year - 30)),
        from_30_to_40=Count("pk", filter=Q(birth_year__lte=year - 30, birth_year__gte=year - 40)),
        over_40=Count("pk", filter=Q(birth_year__lt=year - 40)),
        unknown_age=Count("pk", filter=Q(birth_year__isnull=True)),
        **{
            f"education_{group}": Count("pk", filter=Q(education__in=levels))
            for group, levels in EDUCATION_GROUPS.items()
        },
        education_unknown=Count("pk", filter=Q(education="")),
    )
    zones = [
        {
            "centre": name,
            "centre_id": pk,
            "companies": firms[f"all_{pk}"],
            "sanitary": firms[f"sanitary_{pk}"],
            "sanitary_pct": _pct(firms[f"sanitary_{pk}"], firms[f"all_{pk}"]),
            "brand": firms[f"brand_{pk}"],
            "brand_pct": _pct(firms[f"brand_{pk}"], firms[f"all_{pk}"]),
        }
        for pk, name in _centres(user, centre)
    ]
    workers = firms["men"] + firms["women"]
    return {
        "people": people,
        "women_pct": _pct(people["women"], people["people"]),
        "companies": firms["companies"],
        "workers": {"men": firms["men"], "women": firms["women"], "women_pct": _pct(firms["women"], workers)},
        "stability": {
            "permanent": firms["permanent"],
            "temporary": firms["temporary"],
            "permanent_pct": _pct(firms["permanent"], workers),
        },
        "years_in_business": {k: firms[k] for k in ("young", "middle", "old", "unknown_age")},
        "registrations": zones,
    }


# --- Centre economics -----------------------------------------------------------------------------


def economics(user, date_from: datetime.date, date_to: datetime.date, centre=None) -> dict:
    """What each service brought in and cost in the period: for assistance (services opened in it) the
    owners' share, the subsidies and co-financing, and the consultant fees budgeted; for training
    (courses started in it) the participants' fees and the subsidy; for credit the interest and fees
    collected (the fund's ledger). Four queries. Instructors' fees are not recorded anywhere."""
    period = Period(date_from, date_to)
    services = assistance_services(user, period, centre)
    assistance = services.aggregate(
        services=Count("pk"),
        cost=Coalesce(Sum("total_cost"), ZERO, output_field=MONEY_FIELD),
        revenue=Coalesce(Sum("owner_share"), ZERO, output_field=MONEY_FIELD),
        subsidy=Coalesce(Sum("total_funding"), ZERO, output_field=MONEY_FIELD),
    )
    # Apart: summed over the join with the services, the budget lines would multiply the services' totals.
    assistance["fees"] = BudgetLine.objects.filter(
        kind=BudgetLine.Kind.FEES, service__in=services.values("pk")
    ).aggregate(total=Coalesce(Sum("amount"), ZERO, output_field=MONEY_FIELD))["total"]
    courses = training_participants(user, period, centre).aggregate(
        participants=Count("pk"),
        revenue=Coalesce(Sum(F("offering__price") - F("offering__subsidy")), ZERO, output_field=MONEY_FIELD),
        subsidy=Coalesce(Sum("offering__subsidy"), ZERO, output_field=MONEY_FIELD),
    )
    ledger = (
        _scoped(LedgerEntry.objects.all(), user, centre, "operator__centre")
        .filter(date__gte=date_from, date__lte=date_to)
        .aggregate(
            interest=Coalesce(Sum("amount", filter=Q(kind=LedgerEntry.Kind.INTEREST)), ZERO, output_field=MONEY_FIELD),
            fee=Coalesce(Sum("amount", filter=Q(kind=LedgerEntry.Kind.FEE)), ZERO, output_field=MONEY_FIELD),
        )
    )
    rows = [
        {"service": "assistance", "units": assistance["services"], "cost": assistance["cost"],
         "revenue": assistance["revenue"], "subsidy": assistance["subsidy"], "fees": assistance["fees"]},
        {"service": "training", "units": courses["participants"], "cost": courses["revenue"] + courses["subsidy"],
         "revenue": courses["revenue"], "subsidy": courses["subsidy"], "fees": None},
        {"service": "credit", "units": None, "cost": None, "revenue": ledger["interest"] + ledger["fee"],
         "subsidy": None, "fees": None},
    ]  # fmt: skip
    for row in rows:
        for key in ("cost", "revenue", "subsidy", "fees"):
            if row[key] is not None:
                row[key] = to_money(row[key])
    return {
        "rows": rows,
        "revenue": to_money(sum((r["revenue"] for r in rows), ZERO)),
        "subsidy": to_money(sum((r["subsidy"] or ZERO for r in rows), ZERO)),
    }


# --- The whole dashboard --------------------------------------------------------------------------

PANELS = {
    "cuadro2": cuadro2,
    "pipeline": pipeline,
    "impact": impact,
    "training": training,
    "consultations": consultations,
    "credit": credit,
    "profile": profile,
    "economics": economics,
}


def dashboard(user, date_from: datetime.date, date_to: datetime.date, centre=None) -> dict:
    """Every panel for the period and centre (None: every centre the user sees)."""
    return {name: panel(user, date_from, date_to, centre) for name, panel in PANELS.items()}


def service_label(service: str) -> str:
    return {"training": _("Training"), "assistance": _("Technical assistance"), "credit": _("Credit")}[service]

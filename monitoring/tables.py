"""The dashboard's tables: what the page shows under each chart and what each CSV/XLSX download holds.

One builder per table turns a panel of ``selectors.dashboard`` into a ``Table`` (headers and rows);
a cell may carry the address of the filtered list behind its number. Page and downloads read the
same tables, so they never disagree.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import service_label


@dataclass(frozen=True)
class Link:
    value: object
    url: str

    def __str__(self) -> str:
        return str(self.value)


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart: dict | None = None  # {"type": "bar", "labels": [...], "datasets": [{"label": ..., "data": [...]}]}

    def plain_rows(self) -> list[list]:
        """The rows for a download: the numbers without their links."""
        return [[cell.value if isinstance(cell, Link) else cell for cell in row] for row in self.rows]


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


def _pct(value) -> str:
    return "" if value is None else f"{value}\u00a0%"  # a no-break space: "57.9 %" never splits on a phone


def _chart(spec: dict) -> dict | None:
    """The chart, unless it would be empty (nothing to draw: the table says so)."""
    if not any(value for dataset in spec["datasets"] for value in dataset["data"]):
        return None
    return spec


def _figures(key: str, title: str, rows: list[tuple]) -> Table:
    return Table(key, title, [_("Figure"), _("Value")], [list(row) for row in rows])


def cuadro2_table(panel: dict, period) -> Table:
    lists = {"training": "training:offering_list", "assistance": "assistance:service_list"}
    rows = []
    for row in panel["rows"]:
        companies = row["companies"]
        if row["service"] in lists:
            companies = Link(companies, _url(lists[row["service"]], centre=row["centre_id"]))
        elif row["service"] == "credit":
            companies = Link(companies, _url("credit:loan_list"))
        rows.append([service_label(row["service"]), row["centre"], companies, row["protoempresas"]])
    if len(panel["by_centre"]) > 1:
        rows += [[_("All services"), r["centre"], r["companies"], r["protoempresas"]] for r in panel["by_centre"]]
    rows.append([_("Total"), "", panel["totals"]["companies"], panel["totals"]["protoempresas"]])
    # Two lines per bar (service, centre): a phone has no room for both on one.
    labels = [[service_label(r["service"]), r["centre"]] for r in panel["rows"]]
    chart = {
        "type": "bar",
        "stacked": True,
        "labels": labels,
        "datasets": [
            {"label": _("Companies"), "data": [r["companies"] for r in panel["rows"]]},
            {"label": _("Protoempresas"), "data": [r["protoempresas"] for r in panel["rows"]]},
        ],
    }
    return Table(
        "cuadro2", _("Clients served by service and centre"), [_("Service"), _("Centre"), _("Companies"),
                                                               _("Protoempresas")], rows, _chart(chart),
    )  # fmt: skip


def pipeline_table(panel: dict, centre_id) -> Table:
    rows = []
    for stage in panel["stages"]:
        now = stage["now"]
        if now is not None:
            now = Link(now, _url("assistance:service_list", stage=stage["stage"], centre=centre_id))
        rows.append([stage["label"], stage["opened"], now, *(stage["ages"] or [None] * 4), stage["late"]])
    headers = [_("Stage"), _("Opened in the period"), _("Open today")]
    headers += [_("%(days)s days in the stage") % {"days": band} for band in panel["age_bands"]]
    headers.append(_("Late"))
    open_stages = [s for s in panel["stages"] if s["now"] is not None]
    chart = {
        "type": "bar",
        "stacked": True,
        "labels": [s["label"] for s in open_stages],
        "datasets": [
            {"label": _("%(days)s days in the stage") % {"days": band}, "data": [s["ages"][n] for s in open_stages]}
            for n, band in enumerate(panel["age_bands"])
        ],
    }
    return Table("pipeline", _("Technical assistance: the pipeline"), headers, rows, _chart(chart))


def evaluations_table(panel: dict, centre_id) -> Table:
    return _figures(
        "evaluations",
        _("Evaluations"),
        [
            (_("Open services today"), panel["open_now"]),
            (_("Late in their stage"), panel["late"]),
            (
                _("Evaluations due"),
                Link(panel["evaluations_due"], _url("assistance:service_list", stage="evaluation", centre=centre_id)),
            ),
            (_("Evaluations overdue"), panel["evaluations_overdue"]),
        ],
    )


def impact_table(panel: dict) -> Table:
    return _figures(
        "impact",
        _("Impact of the services evaluated"),
        [
            (_("Services evaluated"), panel["services_evaluated"]),
            (_("Owners' satisfaction (% of the scale)"), _pct(panel["satisfaction_pct"])),
            (_("Indicators"), panel["indicators"]),
            (_("Indicators measured"), panel["indicators_measured"]),
            (_("Indicators that met their target"), panel["indicators_met"]),
            (_("Share that met the target"), _pct(panel["indicators_met_pct"])),
            (_("Companies with a service opened in the period"), panel["companies_served"]),
            (_("... with a sanitary registration obtained after it"), panel["sanitary_after"]),
            (_("Share with a sanitary registration after the service"), _pct(panel["sanitary_after_pct"])),
            (_("... with a brand registration obtained after it"), panel["brand_after"]),
            (_("Share with a brand registration after the service"), _pct(panel["brand_after_pct"])),
        ],
    )


def training_table(panel: dict, centre_id) -> Table:
    table = _figures(
        "training",
        _("Training"),
        [
            (_("Courses started"), Link(panel["offerings"], _url("training:offering_list", centre=centre_id))),
            (_("Courses finished"), panel["finished"]),
            (_("Courses cancelled"), panel["cancelled"]),
            (_("Participants"), panel["participants"]),
            (_("Business owners (with a company)"), panel["owners"]),
            (_("Emprendedores (without a company)"), panel["emprendedores"]),
            (_("Share of business owners"), _pct(panel["owners_pct"])),
            (_("Completed the course"), panel["completed"]),
            (_("Completion (of those decided)"), _pct(panel["completed_pct"])),
            (_("Average gain, exit test over entry test (0-20)"), panel["average_gain"]),
            (_("Follow-up visits done"), panel["followups_done"]),
            (_("Applied what they learnt (fully or partly)"), _pct(panel["applied_pct"])),
            (_("Asked for technical assistance"), panel["wants_assistance"]),
        ],
    )
    table.chart = _chart(
        {
            "type": "doughnut",
            "labels": [_("Business owners"), _("Emprendedores")],
            "datasets": [{"label": _("Participants"), "data": [panel["owners"], panel["emprendedores"]]}],
        }
    )
    return table


def _conversion_rows(groups, link) -> list[list]:
    return [[g["label"], link(g), g["referred"], g["converted"], _pct(g["conversion_pct"])] for g in groups]


def consultation_tables(panel: dict, period, centre_id) -> list[Table]:
    headers = [_("Consultations"), _("Referred"), _("Converted"), _("Conversion")]
    dates = {"date_from": period[0].isoformat(), "date_to": period[1].isoformat(), "centre": centre_id}

    by_topic = Table(
        "consultations_topic",
        _("Consultations by topic"),
        [_("Topic"), *headers],
        _conversion_rows(
            panel["by_topic"],
            lambda g: Link(g["total"], _url("consultations:consultation_list", **dates, topic=g["key"])),
        ),
    )
    by_topic.chart = _chart(
        {
            "type": "bar",
            "labels": [g["label"] for g in panel["by_topic"]],
            "datasets": [
                {"label": _("Consultations"), "data": [g["total"] for g in panel["by_topic"]]},
                {"label": _("Referred"), "data": [g["referred"] for g in panel["by_topic"]]},
                {"label": _("Converted"), "data": [g["converted"] for g in panel["by_topic"]]},
            ],
        }
    )
    by_channel = Table(
        "consultations_channel",
        _("Consultations by channel"),
        [_("Channel"), *headers],
        _conversion_rows(
            panel["by_channel"],
            lambda g: Link(g["total"], _url("consultations:consultation_list", **dates, channel=g["key"])),
        ),
    )
    by_referral = Table(
        "consultations_referral",
        _("Referrals and their conversion"),
        [_("Referred to"), *headers],
        _conversion_rows(
            panel["by_referral"],
            lambda g: Link(g["total"], _url("consultations:consultation_list", **dates, referral=g["key"])),
        ),
    )
    return [by_topic, by_channel, by_referral]


def credit_tables(panel: dict) -> list[Table]:
    summary = _figures(
        "credit",
        _("Credit"),
        [
            (_("Loans paid out in the period"), panel["disbursed_loans"]),
            (_("Amount paid out (S/)"), panel["disbursed_amount"]),
            (_("Borrowers paid out to"), panel["disbursed_borrowers"]),
            (_("Loans in the portfolio at the end of the period"), Link(panel["loans"], reverse("credit:loan_list"))),
            (_("Principal owed (S/)"), panel["outstanding"]),
            (_("At risk (S/)"), panel["at_risk"]),
            (_("Portfolio at risk (PAR%(days)s)") % {"days": panel["par_days"]}, _pct(panel["par"])),
        ],
    )
    headers = [_("Loans"), _("Principal owed (S/)"), _("At risk (S/)"), _("Loans at risk"), _("PAR")]
    operators = Table(
        "credit_operator",
        _("Delinquency by operator"),
        [_("Operator"), *headers],
        [
            [
                g["label"],
                Link(g["loans"], _url("credit:loan_list", operator=g["key"])),
                g["outstanding"],
                g["at_risk"],
                Link(g["at_risk_loans"], _url("credit:loan_list", operator=g["key"], in_arrears="true")),
                _pct(g["par"]),
            ]
            for g in panel["by_operator"]
        ],
    )
    cross = Table(
        "credit_cross",
        _("Portfolio at risk of borrowers who also had assistance or training"),
        [_("Borrowers"), *headers],
        [
            [g["label"], g["loans"], g["outstanding"], g["at_risk"], g["at_risk_loans"], _pct(g["par"])]
            for g in panel["by_other_service"]
        ],
    )
    groups = panel["by_operator"] + panel["by_other_service"]
    cross.chart = _chart(
        {
            "type": "bar",
            "labels": [str(g["label"]) for g in groups],
            "datasets": [{"label": _("PAR (%)"), "data": [float(g["par"] or 0) for g in groups]}],
        }
    )
    return [summary, operators, cross]


def profile_tables(panel: dict) -> list[Table]:
    people = panel["people"]
    owners = _figures(
        "profile_people",
        _("Business owners and emprendedores served"),
        [
            (_("People"), people["people"]),
            (_("Women"), people["women"]),
            (_("Men"), people["men"]),
            (_("Share of women"), _pct(panel["women_pct"])),
            (_("Under 30 years"), people["under_30"]),
            (_("30 to 40 years"), people["from_30_to_40"]),
            (_("Over 40 years"), people["over_40"]),
            (_("Age not recorded"), people["unknown_age"]),
            (_("Higher education (complete or not)"), people["education_higher"]),
            (_("Secondary education (complete or not)"), people["education_secondary"]),
            (_("Primary education (complete or not)"), people["education_primary"]),
            (_("No formal education"), people["education_none"]),
            (_("Education not recorded"), people["education_unknown"]),
        ],
    )
    years = panel["years_in_business"]
    companies = _figures(
        "profile_companies",
        _("Companies served"),
        [
            (_("Companies"), panel["companies"]),
            (_("Workers, men"), panel["workers"]["men"]),
            (_("Workers, women"), panel["workers"]["women"]),
            (_("Share of women among the workers"), _pct(panel["workers"]["women_pct"])),
            (_("Permanent workers"), panel["stability"]["permanent"]),
            (_("Temporary workers"), panel["stability"]["temporary"]),
            (_("Share of permanent workers"), _pct(panel["stability"]["permanent_pct"])),
            (_("In business up to 2 years"), years["young"]),
            (_("3 to 10 years"), years["middle"]),
            (_("More than 10 years"), years["old"]),
            (_("Start year not recorded"), years["unknown_age"]),
        ],
    )
    zones = Table(
        "profile_registrations",
        _("Sanitary and brand registration by centre"),
        [_("Centre"), _("Companies"), _("Sanitary registration"), _("Share"), _("Brand registration"), _("Share")],
        [
            [
                z["centre"],
                z["companies"],
                Link(z["sanitary"], _url("clients:company_list", centre=z["centre_id"], sanitary="true")),
                _pct(z["sanitary_pct"]),
                z["brand"],
                _pct(z["brand_pct"]),
            ]
            for z in panel["registrations"]
        ],
    )
    zones.chart = _chart(
        {
            "type": "bar",
            "labels": [z["centre"] for z in panel["registrations"]],
            "datasets": [
                {
                    "label": _("Sanitary registration (%)"),
                    "data": [z["sanitary_pct"] or 0 for z in panel["registrations"]],
                },
                {"label": _("Brand registration (%)"), "data": [z["brand_pct"] or 0 for z in panel["registrations"]]},
            ],
        }
    )
    return [owners, companies, zones]


def economics_table(panel: dict) -> Table:
    return Table(
        "economics",
        _("Centre economics by service (S/)"),
        [_("Service"), _("Services or participants"), _("Cost"), _("Revenue"), _("Subsidies"), _("Consultant fees")],
        [
            [service_label(r["service"]), r["units"], r["cost"], r["revenue"], r["subsidy"], r["fees"]]
            for r in panel["rows"]
        ]
        + [[_("Total"), None, None, panel["revenue"], panel["subsidy"], None]],
    )


def build(data: dict, period, centre) -> dict[str, list[Table]]:
    """Every table of the dashboard, by panel, in the order the page shows them."""
    centre_id = centre.pk if centre is not None else None
    return {
        "cuadro2": [cuadro2_table(data["cuadro2"], period)],
        "pipeline": [pipeline_table(data["pipeline"], centre_id), evaluations_table(data["pipeline"], centre_id)],
        "impact": [impact_table(data["impact"])],
        "training": [training_table(data["training"], centre_id)],
        "consultations": consultation_tables(data["consultations"], period, centre_id),
        "credit": credit_tables(data["credit"]),
        "profile": profile_tables(data["profile"]),
        "economics": [economics_table(data["economics"])],
    }


def find(tables: dict[str, list[Table]], key: str) -> Table | None:
    for group in tables.values():
        for table in group:
            if table.key == key:
                return table
    return None

"""Who may open each address of the project: every URL the resolver knows, for anonymous and each role.

``MATRIX`` below is a table of expectations written by hand from each view and each app's
policy (``<app>/permissions.py``), one row per URL name. It is not computed from the
policies: it is what they are meant to say, so a policy or a view that drifts fails here.

For a page or API route that answers GET, a row says which roles may open it (200, or a
redirect that is not to the login page), which get a 404 because the record is out of
their scope, and every other role gets a 403. Anonymous users go to the login page (pages)
or get a 401/403 (API), except on the public pages (``public``). For a POST-only route, a
GET answers 405 (or 403 where the policy is asked before the method), and a POST with no
data by a role the row refuses answers 403 and writes nothing; what an allowed POST does is
the parity test's job (``tests/test_policy_parity.py``), not this one's.

Object-level: a record of the other centre (Huancayo) answers 404 to the Lima
coordinator and promoter on every route that names a record; a service not assigned to
them answers 404 to a consultant; another operator's loan, fund or ledger entry answers
404 to a credit officer.

Adding a view: add its row to ``MATRIX`` (the role sets are named below). The test
``test_every_url_of_the_project_has_a_row`` names each URL without a row, and each row
whose URL no longer exists. Django's admin checks its own staff flag and is left out,
but for one test that a role without it is sent away from ``/admin/``.
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.roles import Role

# --- Roles, and the named sets the table is written with ---------------------------------------

PROMOTER = Role.PROMOTER.value
CONSULTANT = Role.CONSULTANT.value
COORDINATOR = Role.COORDINATOR.value
MANAGER = Role.NATIONAL_MANAGER.value
ADMIN = Role.ADMINISTRATOR.value
CREDIT = Role.CREDIT_OFFICER.value
DESK = Role.FRONT_DESK.value
ANONYMOUS = "anonymous"

STAFF = frozenset({PROMOTER, CONSULTANT, COORDINATOR, MANAGER, ADMIN, CREDIT, DESK})
NOBODY = frozenset()
ONLY_ADMIN = frozenset({ADMIN})
# The registry: everybody reads it; the desk, promoters, coordinators and the administrator register clients.
CLIENT_WRITERS = frozenset({PROMOTER, COORDINATOR, ADMIN, DESK})
# The business diagnosis and its problem tree: the field staff who run it.
DIAGNOSIS_WRITERS = frozenset({PROMOTER, COORDINATOR, ADMIN})
# Demand (needs), the pipeline board: who manages the centre's work.
CENTRE_MANAGERS = frozenset({PROMOTER, COORDINATOR, MANAGER, ADMIN})
# Read the consultant directory; the administrator keeps it.
DIRECTORY_READERS = frozenset({COORDINATOR, MANAGER, ADMIN})
# Technical assistance: who opens and works on any service of the centre.
SERVICE_WORKERS = frozenset({PROMOTER, COORDINATOR, ADMIN})
COORDINATORS = frozenset({COORDINATOR, ADMIN})
# The consultant works on the services assigned to them (the data set assigns them the Lima service).
PLAN_WORKERS = frozenset({CONSULTANT, COORDINATOR, ADMIN})
PROPOSAL_WRITERS = SERVICE_WORKERS | {CONSULTANT}
STAGE_MOVERS = SERVICE_WORKERS | {CONSULTANT}
# The consultation desk, and who reads its book.
DESK_STAFF = frozenset({DESK, PROMOTER, COORDINATOR, ADMIN})
CONSULTATION_READERS = DESK_STAFF | {MANAGER}
LIBRARY_KEEPERS = frozenset({COORDINATOR, ADMIN})
CONVERSION_READERS = frozenset({COORDINATOR, ADMIN, MANAGER})
# Training: everybody but the credit officer reads it; coordinators and the administrator plan it.
TRAINING_READERS = STAFF - {CREDIT}
TRAINING_PLANNERS = frozenset({COORDINATOR, ADMIN})
ENROLLERS = frozenset({DESK, PROMOTER, COORDINATOR})
# The coordinator and the consultant who teaches the course (the data set's Lima course).
TEACHERS = frozenset({CONSULTANT, COORDINATOR})
FOLLOWUP_READERS = frozenset({PROMOTER, COORDINATOR, MANAGER})
FOLLOWUP_WRITERS = frozenset({PROMOTER})
DEMAND_READERS = frozenset({COORDINATOR, MANAGER, ADMIN})
# The credit fund: the officers of the operator and the administrator work on loans;
# coordinators and national roles read.
CREDIT_READERS = frozenset({CREDIT, COORDINATOR, MANAGER, ADMIN})
LOAN_OFFICERS = frozenset({CREDIT, ADMIN})
WRITERS_OFF = frozenset({COORDINATOR, ADMIN})
# The PDF waiting page and download belong to whoever asked (the coordinator, in the data set).
REQUESTER = frozenset({COORDINATOR})
# Clients' personal data (Ley 29733): export and anonymise a person (clients/permissions.py).
PERSONAL_DATA_OFFICERS = frozenset({COORDINATOR, ADMIN})
# Monitoring: the managers' dashboard (monitoring/permissions.py).
DASHBOARD_READERS = frozenset({COORDINATOR, MANAGER, ADMIN})
# Funds (funds/permissions.py): coordinators and the administrator run vouchers and contests;
# promoters help the AEOs and write their plans; everybody but the credit officer and the desk reads
# AEOs, contests and plans; the desk also reads the vouchers it redeems.
FUNDS_MANAGERS = frozenset({COORDINATOR, ADMIN})
FUNDS_READERS = frozenset({PROMOTER, CONSULTANT, COORDINATOR, MANAGER, ADMIN})
FUNDS_HELPERS = frozenset({PROMOTER, COORDINATOR, ADMIN})
VOUCHER_READERS = FUNDS_READERS | {DESK}
# Scoring is for the contest's evaluation committee, whatever the role (the data set names the
# coordinator and the promoter); every other role passes the door and is refused on the plan.
COMMITTEE = frozenset({COORDINATOR, PROMOTER})
# A record's history (who changed what and when) is for those who audit: the coordinator, the national
# manager and the administrator (core.policy.AUDITORS), whoever else may read the record.
AUDITORS = frozenset({COORDINATOR, MANAGER, ADMIN})


# --- The table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """What one URL answers. ``may``: roles that open it (or, POST-only, that pass its door);
    ``hidden``: roles for whom the record is out of scope (404); every other role: 403.
    ``args(records)`` gives the URL's arguments from one centre's records; ``record`` names the
    kind of record they point at (the object-level tests swap it for one out of scope)."""

    kind: str  # "page", "public", "post" (POST-only page), "api", "api_post", "api_public_post"
    may: frozenset = NOBODY
    args: object = None
    record: str | None = None
    hidden: frozenset = NOBODY
    query: str = ""
    note: str = field(default="", compare=False)


def page(may, args=None, record=None, hidden=NOBODY, query=""):
    return Row("page", frozenset(may), args, record, frozenset(hidden), query)


def public(args=None, note=""):
    return Row("public", STAFF, args, note=note)


def post(may, args=None, record=None, hidden=NOBODY):
    return Row("post", frozenset(may), args, record, frozenset(hidden))


def api(may, args=None, record=None, hidden=NOBODY, query=""):
    return Row("api", frozenset(may), args, record, frozenset(hidden), query)


def api_post(may, args=None, record=None, hidden=NOBODY):
    return Row("api_post", frozenset(may), args, record, frozenset(hidden))


def pk(attr):
    """Arguments ``pk=<the record's pk>`` for routes that name one record."""
    return lambda r: {"pk": getattr(r, attr).pk}


def service_and(kind, attr, arg):
    return lambda r: {"pk": r.service.pk, "kind": kind, arg: getattr(r, attr).pk}


MATRIX: dict[str, Row] = {
    # --- core: home, reports, accounts ---
    "home": page(STAFF),
    "report_request": post(
        STAFF, lambda r: {"kind": "assistance.expediente", "object_id": r.service.pk}, record="service"
    ),
    "report_status": page(REQUESTER, lambda r: {"pk": r.report.pk}, hidden=STAFF - REQUESTER),
    "report_download": page(REQUESTER, lambda r: {"pk": r.report.pk}, hidden=STAFF - REQUESTER),
    "report_list": page(STAFF),  # each user's own documents
    "notification_list": page(STAFF),  # each user's own reminders
    "notification_read": post(REQUESTER, lambda r: {"pk": r.notification.pk}, hidden=STAFF - REQUESTER),
    "notification_read_all": post(STAFF),
    "notification_preferences": post(STAFF),
    "login": public(note="signed-in users are sent on to the home page"),
    "logout": post(STAFF),
    "password_change": page(STAFF),
    "password_change_done": page(STAFF),
    "password_reset": public(),
    "password_reset_done": public(),
    "password_reset_confirm": public(lambda r: {"uidb64": r.reset_uid, "token": r.reset_token}),
    "password_reset_complete": public(),
    "set_language": public(note="a GET changes nothing and goes back; the switcher POSTs"),
    # --- clients ---
    "clients:company_list": page(STAFF),
    "clients:company_create": page(CLIENT_WRITERS),
    "clients:company_detail": page(STAFF, pk("company"), "company"),
    "clients:company_update": page(CLIENT_WRITERS, pk("company"), "company"),
    "clients:company_history": page(AUDITORS, pk("company"), "company"),
    "clients:diagnosis_create": page(DIAGNOSIS_WRITERS, lambda r: {"company_pk": r.company.pk}, "company"),
    "clients:entrepreneur_list": page(STAFF),
    "clients:entrepreneur_create": page(CLIENT_WRITERS),
    "clients:entrepreneur_detail": page(STAFF, pk("entrepreneur"), "entrepreneur"),
    "clients:entrepreneur_data_export": page(PERSONAL_DATA_OFFICERS, pk("entrepreneur"), "entrepreneur"),
    "clients:entrepreneur_anonymise": page(PERSONAL_DATA_OFFICERS, pk("entrepreneur"), "entrepreneur"),
    "clients:entrepreneur_update": page(CLIENT_WRITERS, pk("entrepreneur"), "entrepreneur"),
    "clients:entrepreneur_history": page(AUDITORS, pk("entrepreneur"), "entrepreneur"),
    "clients:diagnosis_detail": page(STAFF, pk("diagnosis"), "diagnosis"),
    "clients:diagnosis_update": page(DIAGNOSIS_WRITERS, pk("diagnosis"), "diagnosis"),
    "clients:diagnosis_complete": post(DIAGNOSIS_WRITERS, pk("diagnosis"), "diagnosis"),
    "clients:diagnosis_history": page(AUDITORS, pk("diagnosis"), "diagnosis"),
    "clients:node_add": post(DIAGNOSIS_WRITERS, pk("diagnosis"), "diagnosis"),
    "clients:node_update": post(DIAGNOSIS_WRITERS, pk("node"), "node"),
    "clients:node_move": post(DIAGNOSIS_WRITERS, pk("node"), "node"),
    "clients:node_delete": post(DIAGNOSIS_WRITERS, pk("node"), "node"),
    "clients:need_list": page(CENTRE_MANAGERS),
    "clients:location_options": page(STAFF, query="department=15"),
    # --- consultant directory ---
    "consultants:consultant_list": page(DIRECTORY_READERS),
    "consultants:consultant_create": page(ONLY_ADMIN),
    "consultants:consultant_detail": page(DIRECTORY_READERS, pk("consultant"), "consultant"),
    "consultants:consultant_update": page(ONLY_ADMIN, pk("consultant"), "consultant"),
    "consultants:consultant_status": post(ONLY_ADMIN, pk("consultant"), "consultant"),
    "consultants:document_upload": post(ONLY_ADMIN, pk("consultant"), "consultant"),
    "consultants:consultant_history": page(AUDITORS, pk("consultant"), "consultant"),
    "consultants:document_download": page(
        DIRECTORY_READERS, lambda r: {"pk": r.consultant.pk, "document_pk": r.document.pk}, "consultant"
    ),
    # --- technical assistance ---
    "assistance:service_list": page(STAFF),
    "assistance:pipeline": page(CENTRE_MANAGERS),
    "assistance:service_open": page(SERVICE_WORKERS),
    "assistance:service_detail": page(STAFF, pk("service"), "service"),
    "assistance:service_advance": post(STAGE_MOVERS, pk("service"), "service"),
    "assistance:service_cancel": post(COORDINATORS, pk("service"), "service"),
    "assistance:service_reopen": post(COORDINATORS, pk("service"), "service"),
    "assistance:service_link_diagnosis": post(SERVICE_WORKERS, pk("service"), "service"),
    "assistance:service_assign": post(COORDINATORS, pk("service"), "service"),
    "assistance:improvement_add": post(PROPOSAL_WRITERS, pk("service"), "service"),
    "assistance:budget_add": post(PROPOSAL_WRITERS, pk("service"), "service"),
    "assistance:funding_add": post(PROPOSAL_WRITERS, pk("service"), "service"),
    "assistance:owner_decision": post(SERVICE_WORKERS, pk("service"), "service"),
    "assistance:approve_price": post(COORDINATORS, pk("service"), "service"),
    "assistance:activity_add": post(PLAN_WORKERS, pk("service"), "service"),
    "assistance:indicator_add": post(PLAN_WORKERS, pk("service"), "service"),
    "assistance:activity_progress": post(
        PLAN_WORKERS, lambda r: {"pk": r.service.pk, "activity_pk": r.activity.pk}, "service"
    ),
    "assistance:visit_add": post(PLAN_WORKERS, pk("service"), "service"),
    "assistance:report_submit": post(PLAN_WORKERS, pk("service"), "service"),
    "assistance:evaluation_record": post(SERVICE_WORKERS, pk("service"), "service"),
    # Deleting a line is open to whoever sees the service; the line's own action is asked inside.
    "assistance:line_delete": post(
        STAFF, lambda r: {"pk": r.service.pk, "kind": "indicator", "line_pk": r.indicator.pk}, "service"
    ),
    "assistance:service_history": page(AUDITORS, pk("service"), "service"),
    "assistance:service_file": page(STAFF, service_and("visit", "visit", "file_pk"), "service"),
    # --- consultations ---
    "consultations:consultation_list": page(CONSULTATION_READERS),
    "consultations:consultation_create": page(DESK_STAFF),
    "consultations:client_search": page(DESK_STAFF, query="q=Pan"),
    "consultations:conversion_report": page(CONVERSION_READERS),
    "consultations:consultation_detail": page(CONSULTATION_READERS, pk("consultation"), "consultation"),
    "consultations:consultation_complete_contact": page(DESK_STAFF, pk("consultation"), "consultation"),
    "consultations:consultation_history": page(AUDITORS, pk("consultation"), "consultation"),
    "consultations:supplier_list": page(STAFF),
    "consultations:supplier_create": page(LIBRARY_KEEPERS),
    "consultations:supplier_update": page(LIBRARY_KEEPERS, pk("supplier"), "supplier"),
    "consultations:fact_sheet_list": page(STAFF),
    "consultations:fact_sheet_create": page(LIBRARY_KEEPERS),
    "consultations:fact_sheet_detail": page(STAFF, pk("fact_sheet"), "fact_sheet"),
    "consultations:fact_sheet_history": page(AUDITORS, pk("fact_sheet"), "fact_sheet"),
    "consultations:fact_sheet_update": page(LIBRARY_KEEPERS, pk("fact_sheet"), "fact_sheet"),
    "consultations:fact_sheet_file": page(STAFF, pk("fact_sheet"), "fact_sheet"),
    # --- training (the module catalogue is the network's: no centre hides a module) ---
    "training:index": public(note="a redirect to the course list, which asks for a login itself"),
    "training:module_list": page(TRAINING_READERS),
    "training:module_create": page(TRAINING_PLANNERS),
    "training:module_detail": page(TRAINING_READERS, pk("module")),
    "training:module_history": page(AUDITORS, pk("module")),
    "training:module_update": page(TRAINING_PLANNERS, pk("module")),
    "training:component_upload": post(TRAINING_PLANNERS, pk("module")),
    "training:component_download": page(
        TRAINING_READERS, lambda r: {"pk": r.module.pk, "component_pk": r.component.pk}
    ),
    "training:offering_list": page(TRAINING_READERS),
    "training:offering_create": page(TRAINING_PLANNERS),
    "training:offering_detail": page(TRAINING_READERS, pk("offering"), "offering"),
    "training:offering_update": page(TRAINING_PLANNERS, pk("offering"), "offering"),
    "training:session_add": post(TRAINING_PLANNERS, pk("offering"), "offering"),
    "training:offering_status": post(TRAINING_PLANNERS, pk("offering"), "offering"),
    "training:offering_instructor": post(TRAINING_PLANNERS, pk("offering"), "offering"),
    "training:enrol": post(ENROLLERS, pk("offering"), "offering"),
    "training:attendance": page(TEACHERS, pk("offering"), "offering"),
    "training:scores": page(TEACHERS, pk("offering"), "offering"),
    "training:offering_history": page(AUDITORS, pk("offering"), "offering"),
    "training:withdraw": post(ENROLLERS, pk("enrolment"), "enrolment"),
    "training:followup_list": page(FOLLOWUP_READERS),
    "training:followup_record": page(FOLLOWUP_WRITERS, pk("followup"), "followup"),
    "training:demand": page(DEMAND_READERS),
    "training:public_calendar": public(),
    "training:public_calendar_ics": public(),
    "training:certificate_verify": public(),
    # --- credit fund ---
    "monitoring:dashboard": page(DASHBOARD_READERS),
    "monitoring:dashboard_export": page(DASHBOARD_READERS, lambda r: {"table": "cuadro2"}, query="format=csv"),
    "credit:loan_list": page(CREDIT_READERS),
    "credit:loan_apply": page(LOAN_OFFICERS),
    "credit:loan_detail": page(CREDIT_READERS, pk("loan"), "loan"),
    "credit:loan_history": page(AUDITORS, pk("loan"), "loan"),
    "credit:loan_decide": post(LOAN_OFFICERS, pk("loan"), "loan"),
    "credit:loan_disburse": post(LOAN_OFFICERS, pk("loan"), "loan"),
    "credit:repayment_post": post(LOAN_OFFICERS, pk("loan"), "loan"),
    "credit:loan_write_off": post(WRITERS_OFF, pk("loan"), "loan"),
    "credit:fund_position": page(CREDIT_READERS),
    "credit:fund_statement": page(CREDIT_READERS, pk("operator"), "operator"),
    "credit:operator_history": page(AUDITORS, pk("operator"), "operator"),
    "credit:tranche_place": post(ONLY_ADMIN, pk("operator"), "operator"),
    "credit:margin_record": post(ONLY_ADMIN, pk("operator"), "operator"),
    "credit:fund_close": post(ONLY_ADMIN, pk("operator"), "operator"),
    "credit:entry_reverse": post(ONLY_ADMIN, pk("entry"), "entry"),
    "credit:simulator": page(CREDIT_READERS),
    # --- funds: vouchers, AEOs, contests, business plans, purchases ---
    "funds:voucher_list": page(VOUCHER_READERS),
    "funds:voucher_issue": page(FUNDS_MANAGERS),
    "funds:aeo_list": page(FUNDS_READERS),
    "funds:aeo_create": page(FUNDS_HELPERS),
    "funds:aeo_detail": page(FUNDS_READERS, pk("aeo"), "aeo"),
    "funds:aeo_minutes": page(FUNDS_READERS, pk("aeo"), "aeo"),
    "funds:aeo_member_add": post(FUNDS_HELPERS, pk("aeo"), "aeo"),
    "funds:contest_list": page(FUNDS_READERS),
    "funds:contest_create": page(FUNDS_MANAGERS),
    "funds:contest_detail": page(FUNDS_READERS, pk("contest"), "contest"),
    "funds:contest_history": page(AUDITORS, pk("contest"), "contest"),
    "funds:contest_open": post(FUNDS_MANAGERS, pk("contest"), "contest"),
    "funds:contest_close": post(FUNDS_MANAGERS, pk("contest"), "contest"),
    "funds:winners_choose": post(FUNDS_MANAGERS, pk("contest"), "contest"),
    "funds:contest_results": page(FUNDS_READERS, pk("contest"), "contest"),
    "funds:category_edit": page(FUNDS_MANAGERS, lambda r: {"pk": r.contest.pk, "code": "A"}, "contest"),
    "funds:plan_create": page(FUNDS_HELPERS, pk("contest"), "contest"),
    "funds:plan_list": page(FUNDS_READERS),
    "funds:plan_detail": page(FUNDS_READERS, pk("plan"), "plan"),
    "funds:plan_history": page(AUDITORS, pk("plan"), "plan"),
    "funds:plan_line_add": post(FUNDS_HELPERS, pk("plan"), "plan"),
    "funds:plan_line_delete": post(FUNDS_HELPERS, lambda r: {"pk": r.plan.pk, "line_pk": r.line.pk}, "plan"),
    "funds:plan_submit": post(FUNDS_HELPERS, pk("plan"), "plan"),
    "funds:plan_score": post(COMMITTEE, pk("plan"), "plan"),
    "funds:purchase_create": post(FUNDS_MANAGERS, pk("plan"), "plan"),
    "funds:purchase_step": post(FUNDS_MANAGERS, pk("purchase"), "purchase"),
    # --- API (v1) ---
    "api-root": api(STAFF),
    "api-token": Row("api_public_post", STAFF, note="POST-only: a username and password for a token"),
    "api-me": api(STAFF),
    "report-list": api(STAFF),  # the caller's own jobs
    "report-detail": api(REQUESTER, lambda r: {"pk": r.report.pk}, hidden=STAFF - REQUESTER),
    "notification-list": api(STAFF),
    "notification-read": api_post(REQUESTER, lambda r: {"pk": r.notification.pk}, hidden=STAFF - REQUESTER),
    "notification-read-all": api_post(STAFF),
    # The API's description: no record in it, but every field of every record, so signed-in staff only.
    "api-schema": api(STAFF),
    "api-docs": page(STAFF),
    "centre-list": api(STAFF),
    "centre-detail": api(STAFF, pk("centre"), "centre"),
    "company-list": api(STAFF),
    "company-detail": api(STAFF, pk("company"), "company"),
    "entrepreneur-list": api(STAFF),
    "entrepreneur-detail": api(STAFF, pk("entrepreneur"), "entrepreneur"),
    "entrepreneur-personal-data": api(PERSONAL_DATA_OFFICERS, pk("entrepreneur"), "entrepreneur"),
    "entrepreneur-anonymise": api_post(PERSONAL_DATA_OFFICERS, pk("entrepreneur"), "entrepreneur"),
    "diagnosis-list": api(STAFF),
    "diagnosis-detail": api(STAFF, pk("diagnosis"), "diagnosis"),
    "diagnosis-nodes": api_post(DIAGNOSIS_WRITERS, pk("diagnosis"), "diagnosis"),
    "diagnosis-complete": api_post(DIAGNOSIS_WRITERS, pk("diagnosis"), "diagnosis"),
    "need-list": api(CENTRE_MANAGERS),
    "need-detail": api(CENTRE_MANAGERS, pk("need"), "need"),
    "consultant-list": api(DIRECTORY_READERS),
    "consultant-detail": api(DIRECTORY_READERS, pk("consultant"), "consultant"),
    "service-list": api(STAFF),
    "service-detail": api(STAFF, pk("service"), "service"),
    "service-activities": api_post(PLAN_WORKERS, pk("service"), "service"),
    "service-budget-lines": api_post(PROPOSAL_WRITERS, pk("service"), "service"),
    "service-funding-lines": api_post(PROPOSAL_WRITERS, pk("service"), "service"),
    "service-improvements": api_post(PROPOSAL_WRITERS, pk("service"), "service"),
    "service-indicators": api_post(PLAN_WORKERS, pk("service"), "service"),
    "service-visits": api_post(PLAN_WORKERS, pk("service"), "service"),
    "service-advance": api_post(STAGE_MOVERS, pk("service"), "service"),
    "service-approve-price": api_post(COORDINATORS, pk("service"), "service"),
    "service-consultants": api_post(COORDINATORS, pk("service"), "service"),
    "service-cancel": api_post(COORDINATORS, pk("service"), "service"),
    "service-diagnosis": api_post(SERVICE_WORKERS, pk("service"), "service"),
    "service-owner-decision": api_post(SERVICE_WORKERS, pk("service"), "service"),
    "service-evaluation": api_post(SERVICE_WORKERS, pk("service"), "service"),
    "service-reopen": api_post(COORDINATORS, pk("service"), "service"),
    "service-report": api_post(PLAN_WORKERS, pk("service"), "service"),
    "consultation-list": api(CONSULTATION_READERS),
    "consultation-detail": api(CONSULTATION_READERS, pk("consultation"), "consultation"),
    "supplier-list": api(STAFF),
    "supplier-detail": api(STAFF, pk("supplier"), "supplier"),
    "fact-sheet-list": api(STAFF),
    "fact-sheet-detail": api(STAFF, pk("fact_sheet"), "fact_sheet"),
    "module-list": api(TRAINING_READERS),
    "module-detail": api(TRAINING_READERS, pk("module")),
    "offering-list": api(TRAINING_READERS),
    "offering-detail": api(TRAINING_READERS, pk("offering"), "offering"),
    "offering-sessions": api_post(TRAINING_PLANNERS, pk("offering"), "offering"),
    "offering-attendance": api_post(TEACHERS, pk("offering"), "offering"),
    "offering-scores": api_post(TEACHERS, pk("offering"), "offering"),
    "offering-status": api_post(TRAINING_PLANNERS, pk("offering"), "offering"),
    "enrolment-list": api(TRAINING_READERS),
    "enrolment-detail": api(TRAINING_READERS, pk("enrolment"), "enrolment"),
    "enrolment-follow-up": api_post(FOLLOWUP_WRITERS, pk("followup_enrolment"), "followup"),
    "enrolment-withdraw": api_post(ENROLLERS, pk("enrolment"), "enrolment"),
    "monitoring-summary": api(DASHBOARD_READERS, query="date_from=2024-01-01&date_to=2024-12-31"),
    "credit-simulate": api(CREDIT_READERS, query="principal=1000&monthly_rate=3.5&months=6"),
    "loan-list": api(CREDIT_READERS),
    "loan-detail": api(CREDIT_READERS, pk("loan"), "loan"),
    "loan-decide": api_post(LOAN_OFFICERS, pk("loan"), "loan"),
    "loan-disburse": api_post(LOAN_OFFICERS, pk("loan"), "loan"),
    "loan-write-off": api_post(WRITERS_OFF, pk("loan"), "loan"),
    "repayment-list": api(CREDIT_READERS),
    "operator-list": api(CREDIT_READERS),
    "operator-detail": api(CREDIT_READERS, pk("operator"), "operator"),
    "ledger-list": api(CREDIT_READERS),
    "ledger-detail": api(CREDIT_READERS, pk("entry"), "entry"),
    "ledger-reverse": api_post(ONLY_ADMIN, pk("entry"), "entry"),
    "voucher-list": api(VOUCHER_READERS),
    "voucher-detail": api(VOUCHER_READERS, pk("voucher"), "voucher"),
    "aeo-list": api(FUNDS_READERS),
    "aeo-detail": api(FUNDS_READERS, pk("aeo"), "aeo"),
    "aeo-members": api_post(FUNDS_HELPERS, pk("aeo"), "aeo"),
    "contest-list": api(FUNDS_READERS),
    "contest-detail": api(FUNDS_READERS, pk("contest"), "contest"),
    "contest-open-call": api_post(FUNDS_MANAGERS, pk("contest"), "contest"),
    "contest-close": api_post(FUNDS_MANAGERS, pk("contest"), "contest"),
    "contest-winners": api_post(FUNDS_MANAGERS, pk("contest"), "contest"),
    "contest-results": api(FUNDS_READERS, pk("contest"), "contest"),
    "business-plan-list": api(FUNDS_READERS),
    "business-plan-detail": api(FUNDS_READERS, pk("plan"), "plan"),
    "business-plan-lines": api_post(FUNDS_HELPERS, pk("plan"), "plan"),
    "business-plan-submit": api_post(FUNDS_HELPERS, pk("plan"), "plan"),
    "business-plan-scores": api_post(COMMITTEE, pk("plan"), "plan"),
    "business-plan-purchases": api_post(FUNDS_MANAGERS, pk("plan"), "plan"),
    "business-plan-purchase-steps": api_post(FUNDS_MANAGERS, pk("plan"), "plan"),
}


# --- Every URL the resolver knows --------------------------------------------------------------

SKIPPED_NAMESPACES = {"admin"}  # Django's admin: its own staff check (see the test at the end)
SKIPPED_PREFIXES = ("static/", "media/", "__debug__/")


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, route, namespace


def project_urls() -> dict[str, str]:
    """URL name -> route of every view of the project but the admin, static files and DRF's ``.json`` twins."""
    found = {}
    for name, route, namespace in _walk(get_resolver().url_patterns):
        top = (namespace or "").split(":")[0]
        if top in SKIPPED_NAMESPACES or route.startswith(SKIPPED_PREFIXES):
            continue
        if "(?P<format>" in route:  # DRF's format-suffix duplicates of the same views
            continue
        found[name or f"<unnamed {route}>"] = route
    return found


def test_every_url_of_the_project_has_a_row():
    urls = project_urls()
    missing = sorted(set(urls) - set(MATRIX))
    gone = sorted(set(MATRIX) - set(urls))
    assert not missing, (
        "These URLs have no row in tests/test_access_matrix.py MATRIX; add one saying who may open them: "
        + ", ".join(f"{name} ({urls[name]})" for name in missing)
    )
    assert not gone, "These rows of MATRIX name URLs that no longer exist: " + ", ".join(gone)


# --- The data set: one record of each kind in Lima, the same in Huancayo ------------------------

USERNAMES = {
    PROMOTER: "promoter",
    CONSULTANT: "consultant",
    COORDINATOR: "coordinator",
    MANAGER: "manager",
    ADMIN: "administrator",
    CREDIT: "credit",
    DESK: "frontdesk",
}


def _users(centre, suffix=""):
    from core.tests.factories import UserFactory

    return {role: UserFactory(username=USERNAMES[role] + suffix, roles=[role], centres=[centre]) for role in STAFF}


def _centre_records(centre, users, *, consultant_entry):
    """One record of each kind at ``centre``, made through the apps' factories and services."""
    from assistance.tests.factories import build_service
    from clients.tests.factories import (
        CompanyFactory,
        DiagnosisFactory,
        EntrepreneurFactory,
        NeedFactory,
        problem_tree_nodes,
    )
    from consultants.tests.factories import DocumentFactory
    from consultations.tests.factories import ConsultationFactory, FactSheetFactory, SupplierFactory
    from core.models import Notification, ReportJob
    from credit.tests.factories import ProductFactory, disbursed_loan, funded_operator
    from training import services as training
    from training.models import FollowUp
    from training.tests.factories import build_offering, person

    r = SimpleNamespace(centre=centre)
    promoter, coordinator = users[PROMOTER], users[COORDINATOR]
    r.company = CompanyFactory(centre=centre, created_by=promoter)
    r.entrepreneur = EntrepreneurFactory(centre=centre, company=r.company, created_by=promoter)
    r.diagnosis = DiagnosisFactory(company=r.company, promoter=promoter)
    r.node = problem_tree_nodes(r.diagnosis)[1]
    r.need = NeedFactory(company=r.company)
    r.consultant = consultant_entry
    r.document = DocumentFactory(consultant=consultant_entry, uploaded_by=users[ADMIN])
    r.service = build_service(
        "execution",
        ready=True,
        promoter=promoter,
        coordinator=coordinator,
        consultant_user=users[CONSULTANT],
        centre=centre,
        company=r.company,
    )
    r.activity = r.service.activities.first()
    r.indicator = r.service.indicators.first()
    r.visit = r.service.visits.first()
    r.visit.attachment.save("visita.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    r.consultation = ConsultationFactory(centre=centre, recorded_by=users[DESK])
    r.supplier = SupplierFactory(centre=centre)
    r.fact_sheet = FactSheetFactory(centre=centre)
    r.fact_sheet.file.save("ficha.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    r.offering = build_offering("running", coordinator=coordinator, centre=centre, start_in=-1)
    r.offering.instructor_consultant = consultant_entry
    r.offering.instructor_user = None
    r.offering.save(update_fields=["instructor_consultant", "instructor_user"])
    r.enrolment = training.enrolment_create(user=coordinator, offering=r.offering, entrepreneur=person(centre))
    finished = build_offering("running", coordinator=coordinator, centre=centre, start_in=-1)
    training.enrolment_create(user=coordinator, offering=finished, entrepreneur=person(centre))
    training.offering_set_status(user=coordinator, offering=finished, status="finished")
    r.followup = FollowUp.objects.get(enrolment__offering=finished)
    r.followup_enrolment = r.followup.enrolment
    r.operator = funded_operator(centre, officers=[users[CREDIT]], admin=users[ADMIN])
    r.loan = disbursed_loan(ProductFactory(operator=r.operator), users[CREDIT])
    r.entry = r.operator.ledger.order_by("pk").first()
    r.report = ReportJob.objects.create(
        kind="assistance.expediente", object_id=r.service.pk, requested_by=coordinator, status=ReportJob.Status.DONE
    )
    r.report.file.save("expediente.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    r.notification = Notification.objects.create(
        recipient=coordinator, kind="assistance.evaluation_due", item=f"assistance.service:{r.service.pk}",
        due_on=datetime.date(2024, 1, 1), message="Evaluación pendiente",
    )  # fmt: skip
    _funds_records(r, users)
    r.reset_uid = urlsafe_base64_encode(force_bytes(promoter.pk))
    r.reset_token = default_token_generator.make_token(promoter)
    return r


def _funds_records(r, users):
    """A voucher, an AEO with its acta, and a resolved contest whose winning plan has a line and a purchase;
    the contest's committee is the centre's coordinator and promoter."""
    import datetime
    from decimal import Decimal

    from funds import services as funds
    from funds.models import BusinessPlan, Contest, InvestmentLine
    from funds.tests.factories import aeo_with, chain, contest_in, voucher_for

    centre, coordinator = r.centre, users[COORDINATOR]
    r.voucher = voucher_for(r.company, f"BP-MATRIX-{centre.pk}")
    r.aeo = aeo_with(12, centre=centre)
    r.contest = contest_in(centre, status=Contest.Status.RESOLVED, committee=[coordinator, users[PROMOTER]])
    r.plan = BusinessPlan.objects.create(
        contest=r.contest, centre=centre, aeo=r.aeo, chain=chain("Cacao"), category=r.contest.categories.get(code="A"),
        title="Planta de cacao", status=BusinessPlan.Status.WINNER, is_eligible=True, submitted_at=r.contest.created_at,
    )  # fmt: skip
    r.line = InvestmentLine.objects.create(
        plan=r.plan, kind="goods", description="Tostadora", quantity=1, unit_price=Decimal("30000"),
        amount=Decimal("30000"), source="public",
    )  # fmt: skip
    r.purchase = funds.purchase_create(
        user=coordinator, plan=r.plan, description="Tostadora", amount=Decimal("30000"),
        requirement_on=datetime.date(2026, 1, 5), planned_days=100,
    )  # fmt: skip


def _build():
    from consultants.tests.factories import ConsultantFactory
    from core.tests.factories import CentreFactory
    from credit.tests.factories import ProductFactory, disbursed_loan, funded_operator
    from training.tests.factories import ModuleFactory

    lima = CentreFactory(name="CentroPyME Lima", department="Lima", city="Lima")
    huancayo = CentreFactory(name="CentroPyME Huancayo", department="Junín", city="Huancayo")
    users = _users(lima)
    hyo_users = _users(huancayo, "_hyo")
    module = ModuleFactory()
    from training.models import ModuleComponent

    component = ModuleComponent.objects.create(module=module, kind="manual")
    component.file.save("manual.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)

    lima_entry = ConsultantFactory(centres=[lima], user=users[CONSULTANT])
    hyo_entry = ConsultantFactory(centres=[huancayo], user=hyo_users[CONSULTANT])
    d = SimpleNamespace(users=users, lima=lima, huancayo=huancayo)
    d.at_lima = _centre_records(lima, users, consultant_entry=lima_entry)
    d.at_huancayo = _centre_records(huancayo, hyo_users, consultant_entry=hyo_entry)
    for records, centre in ((d.at_lima, lima), (d.at_huancayo, huancayo)):
        records.module, records.component = module, component
        records.centre = centre

    # Out of scope in Lima itself: a service not assigned to the consultant, another operator's fund.
    from assistance.tests.factories import ServiceFactory

    unassigned = ServiceFactory(company=d.at_lima.company, promoter=users[PROMOTER])
    d.unassigned = SimpleNamespace(**{**vars(d.at_lima), "service": unassigned})
    other_officer = _users(lima, "_other")[CREDIT]
    other_operator = funded_operator(lima, officers=[other_officer], admin=users[ADMIN])
    other_loan = disbursed_loan(ProductFactory(operator=other_operator), other_officer)
    d.other_operator = SimpleNamespace(
        **{
            **vars(d.at_lima),
            "operator": other_operator,
            "loan": other_loan,
            "entry": other_operator.ledger.order_by("pk").first(),
        }
    )
    return d


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at the end (each test runs in a savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        d = _build()
        d.clients = {}
        for role, user in d.users.items():
            client = Client()
            client.force_login(user)
            d.clients[role] = client
        d.clients[ANONYMOUS] = Client()
        yield d
        transaction.set_rollback(True)


# --- The checks --------------------------------------------------------------------------------

LOGIN = reverse("login")
WRITES = ("INSERT", "UPDATE", "DELETE")


def _url(name, row, records):
    kwargs = row.args(records) if row.args else {}
    url = reverse(name, kwargs=kwargs)
    return f"{url}?{row.query}" if row.query else url


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def _opened(response) -> bool:
    """200, or a redirect that does not send the user to the login page."""
    return response.status_code == 200 or (response.status_code in (301, 302) and not _is_login_redirect(response))


def _writes(queries) -> list[str]:
    return [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES) and "django_session" not in q["sql"]
    ]


def _post_refused(client, url, expected, api: bool) -> str | None:
    """POST with no data; a refused role must get ``expected`` and nothing may be written."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {}, **({"HTTP_ACCEPT": "application/json"} if api else {}))
    if response.status_code != expected:
        return f"POST answered {response.status_code}, expected {expected}"
    if _writes(queries.captured_queries):
        return f"a refused POST wrote: {_writes(queries.captured_queries)}"
    return None


def _check(name, row, role, client, url) -> str | None:
    """What went wrong for one role on one URL, or None."""
    api = row.kind.startswith("api")
    if row.kind in ("post", "api_post", "api_public_post"):
        response = client.get(url)
        if role == ANONYMOUS:
            if row.kind == "api_public_post":
                return None if response.status_code == 405 else f"GET answered {response.status_code}, expected 405"
            if response.status_code not in (401, 403, 405) and not _is_login_redirect(response):
                return f"anonymous GET answered {response.status_code}"
            response = client.post(url, {})
            if api and response.status_code not in (401, 403):
                return f"anonymous POST answered {response.status_code}, expected 401/403"
            if not api and not _is_login_redirect(response):
                return f"anonymous POST answered {response.status_code}, expected the login page"
            return None
        if role in row.may or role in row.hidden:
            return None if response.status_code == 405 else f"GET answered {response.status_code}, expected 405"
        if response.status_code not in (403, 405):
            return f"GET answered {response.status_code}, expected 403 or 405"
        return _post_refused(client, url, 403, api)

    response = client.get(url)
    status = response.status_code
    if status >= 500:
        return f"answered {status}"
    if role == ANONYMOUS:
        if row.kind == "public":
            return None if _opened(response) else f"anonymous got {status} on a public page"
        if api:
            return None if status in (401, 403) else f"anonymous got {status}, expected 401/403"
        return None if _is_login_redirect(response) else f"anonymous got {status}, expected the login page"
    if role in row.may:
        return None if _opened(response) else f"got {status}, expected to open it"
    if role in row.hidden:
        return None if status == 404 else f"got {status}, expected 404 (out of scope)"
    return None if status == 403 else f"got {status}, expected 403"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_what_the_matrix_says(data, db, name):
    row = MATRIX[name]
    url = _url(name, row, data.at_lima)
    failures = []
    for role in [ANONYMOUS, *sorted(STAFF)]:
        problem = _check(name, row, role, data.clients[role], url)
        if problem:
            failures.append(f"{role}: {problem}")
    assert not failures, f"{name} {url}:\n  " + "\n  ".join(failures)


# --- Object level: records out of the user's scope answer 404 ------------------------------------


def _object_rows(kinds=None):
    for name, row in sorted(MATRIX.items()):
        if row.record and (kinds is None or row.record in kinds):
            yield pytest.param(name, id=name)


def _door(row, role) -> bool:
    """The role passes the route's role check (the record's scope is asked after)."""
    return role in row.may or role in row.hidden


def _out_of_scope(row, role, client, url) -> str | None:
    api = row.kind.startswith("api")
    expected = 404 if _door(row, role) else 403
    if row.kind in ("post", "api_post"):
        return _post_refused(client, url, expected, api)
    status = client.get(url).status_code
    return None if status == expected else f"got {status}, expected {expected}"


@pytest.mark.parametrize("name", list(_object_rows()))
def test_a_record_of_the_other_centre_is_not_found_by_lima_staff(data, db, name):
    row = MATRIX[name]
    url = _url(name, row, data.at_huancayo)
    failures = []
    for role in (COORDINATOR, PROMOTER):
        problem = _out_of_scope(row, role, data.clients[role], url)
        if problem:
            failures.append(f"{role}: {problem}")
    assert not failures, f"{name} {url}:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("name", list(_object_rows({"service"})))
def test_a_service_not_assigned_to_the_consultant_is_not_found_by_them(data, db, name):
    row = MATRIX[name]
    url = _url(name, row, data.unassigned)
    problem = _out_of_scope(row, CONSULTANT, data.clients[CONSULTANT], url)
    assert problem is None, f"{name} {url}: {problem}"


@pytest.mark.parametrize("name", list(_object_rows({"loan", "operator", "entry"})))
def test_another_operators_loan_is_not_found_by_a_credit_officer(data, db, name):
    row = MATRIX[name]
    url = _url(name, row, data.other_operator)
    problem = _out_of_scope(row, CREDIT, data.clients[CREDIT], url)
    assert problem is None, f"{name} {url}: {problem}"


def test_the_object_level_rows_cover_every_route_that_names_a_record():
    """A route with arguments is either an object route (``record``) or named here as not one."""
    not_records = {
        "report_status",  # the job is the requester's own: others get 404 in the matrix itself
        "report_download",
        "report-detail",
        "notification_read",  # a reminder is its recipient's own: others get 404 in the matrix itself
        "notification-read",
        "password_reset_confirm",
        "training:module_detail",  # the module catalogue is the network's
        "training:module_history",
        "training:module_update",
        "training:component_upload",
        "training:component_download",
        "module-detail",
        "monitoring:dashboard_export",  # names a table of the dashboard, not a record
    }
    with_args = {name for name, row in MATRIX.items() if row.args}
    assert with_args - not_records == {name for name, row in MATRIX.items() if row.record}


# --- Django's admin --------------------------------------------------------------------------


def test_the_admin_sends_a_role_without_the_staff_flag_to_its_login(data, db):
    for role in (PROMOTER, COORDINATOR, CREDIT):
        response = data.clients[role].get("/admin/")
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), role
    assert data.clients[ANONYMOUS].get("/admin/clients/company/").status_code == 302

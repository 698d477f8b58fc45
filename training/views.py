"""Pages of training: the catalogue, the courses with their list, attendance and tests, follow-ups,
the demand, and three public pages (calendar, iCalendar feed, certificate check) that need no login.

Staff pages check the policy, validate a form, call one service and redirect
(post-redirect-get); a DomainError becomes a message or a form error.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clients.selectors import entrepreneur_list
from consultants import selectors as directory
from core.exceptions import DomainError
from core.exports import export_response
from core.forms import add_domain_error
from core.history import render_history
from core.idempotency import created, once_per_submission
from core.pagination import paginate
from core.policy import policy_required
from core.views import protected_file

from . import selectors, services
from .exports import offering_export
from .filters import ModuleFilter, OfferingFilter
from .forms import (
    AttendanceForm,
    ComponentForm,
    EnrolForm,
    FollowUpForm,
    ModuleForm,
    OfferingForm,
    ScoresForm,
    SessionForm,
    StatusForm,
)
from .ical import calendar_feed
from .models import Enrolment, Offering
from .permissions import policy

# --- Modules --------------------------------------------------------------------------------------


@policy_required(policy, "module_view")
def module_list(request):
    filterset = ModuleFilter(request.GET, queryset=selectors.module_list(user=request.user), request=request)
    return render(
        request,
        "training/module_list.html",
        {"filter": filterset, "page_obj": paginate(request, filterset.qs), "allowed": policy.allowed(request.user)},
    )


@policy_required(policy, "module_view")
def module_detail(request, pk):
    module = selectors.module_detail(user=request.user, pk=pk)
    allowed = policy.allowed(request.user, module, actions=("module_manage", "history_view"))
    return render(
        request,
        "training/module_detail.html",
        {
            "module": module,
            "allowed": allowed,
            "component_form": ComponentForm() if "module_manage" in allowed else None,
            "offerings": selectors.offering_list(user=request.user).filter(module=module)[:20],
        },
    )


@policy_required(policy, "history_view")
def module_history(request, pk):
    module = selectors.module_detail(user=request.user, pk=pk)
    return render_history(request, module, back_url=reverse("training:module_detail", args=[pk]), title=module.name)


@policy_required(policy, "module_manage")
def module_form(request, pk=None):
    module = selectors.module_detail(user=request.user, pk=pk) if pk else None
    form = ModuleForm(request.POST or None, instance=module)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ModuleForm.Meta.fields}
        try:
            saved = services.module_save(
                user=request.user,
                module=module,
                fields=fields,
                centres=form.cleaned_data["centres"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Module saved."))
            return redirect("training:module_detail", pk=saved.pk)
    return render(request, "training/module_form.html", {"form": form, "module": module})


@require_POST
@policy_required(policy, "module_manage")
def component_upload(request, pk):
    module = selectors.module_detail(user=request.user, pk=pk)
    form = ComponentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the material and its file."))
    else:
        try:
            services.component_upload(
                user=request.user, module=module, kind=form.cleaned_data["kind"], file=form.cleaned_data["file"]
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("File attached to the module."))
    return redirect("training:module_detail", pk=module.pk)


@policy_required(policy, "module_view")
def component_download(request, pk, component_pk):
    module = selectors.module_detail(user=request.user, pk=pk)
    component = next((c for c in module.components.all() if c.pk == component_pk), None)
    return protected_file(component.file if component else None)


# --- Offerings ------------------------------------------------------------------------------------


@policy_required(policy, "offering_view")
def offering_list(request):
    filterset = OfferingFilter(request.GET, queryset=selectors.offering_list(user=request.user), request=request)
    offerings = filterset.qs
    if request.GET.get("export") in ("csv", "xlsx"):
        return export_response(request.GET["export"], filename="cursos", **offering_export(offerings))
    return render(
        request,
        "training/offering_list.html",
        {"filter": filterset, "page_obj": paginate(request, offerings), "allowed": policy.allowed(request.user)},
    )


@policy_required(policy, "offering_manage")
@once_per_submission
def offering_create(request):
    form = OfferingForm(request.POST or None, user=request.user, initial={"module": request.GET.get("module")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            offering = services.offering_create(
                user=request.user,
                centre=data["centre"],
                module=data["module"],
                fields={k: data[k] for k in services.OFFERING_FIELDS},
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Course %(code)s planned. Now add its sessions.") % {"code": offering.code})
            return created(request, redirect("training:offering_detail", pk=offering.pk))
    return render(request, "training/offering_form.html", {"form": form})


@policy_required(policy, "offering_manage")
def offering_update(request, pk):
    offering = selectors.offering_detail(user=request.user, pk=pk)
    form = OfferingForm(request.POST or None, user=request.user, instance=offering)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.offering_update(
                user=request.user, offering=offering, fields={k: data[k] for k in services.OFFERING_FIELDS}
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Course saved."))
            return redirect("training:offering_detail", pk=offering.pk)
    return render(request, "training/offering_form.html", {"form": form, "offering": offering})


NEXT_STATUS = {
    Offering.Status.PLANNED: (Offering.Status.OPEN, gettext_lazy("Open enrolment")),
    Offering.Status.OPEN: (Offering.Status.RUNNING, gettext_lazy("Start the course")),
    Offering.Status.RUNNING: (Offering.Status.FINISHED, gettext_lazy("Finish the course")),
}
CLOSED = (Offering.Status.FINISHED, Offering.Status.CANCELLED)


@policy_required(policy, "offering_view")
def offering_detail(request, pk):
    user = request.user
    offering = selectors.offering_detail(user=user, pk=pk)
    allowed = policy.allowed(user, offering)
    people = (
        entrepreneur_list(user=user)
        .filter(centre=offering.centre)
        .exclude(
            pk__in=[e.entrepreneur_id for e in offering.enrolments.all() if e.status != Enrolment.Status.WITHDRAWN]
        )
    )
    next_status = NEXT_STATUS.get(offering.status)
    context = {
        "offering": offering,
        "allowed": allowed,
        "participants": selectors.participants(offering),
        "waiting": selectors.waiting_list(offering),
        "seats_left": selectors.seats_left(offering),
        "next_status": next_status and {"value": next_status[0], "label": next_status[1]},
        "can_cancel": Offering.Status.CANCELLED in services.TRANSITIONS[offering.status],
    }
    if "offering_manage" in allowed and offering.status not in CLOSED:
        context["session_form"] = SessionForm()
        context["suggestions"] = selectors.instructor_suggestions(offering)
    if "enrolment_create" in allowed and offering.status in services.ENROLLING:
        context["enrol_form"] = EnrolForm(people=people.order_by("last_name", "first_name"))
    return render(request, "training/offering_detail.html", context)


def _offering_for(request, pk, action):
    offering = selectors.offering_detail(user=request.user, pk=pk)
    policy.check(request.user, action, offering)
    return offering


def _back(request, offering, message="", error=None, anchor=""):
    if error is not None:
        messages.error(request, str(error))
    elif message:
        messages.success(request, message)
    return redirect(reverse("training:offering_detail", args=[offering.pk]) + (f"#{anchor}" if anchor else ""))


@require_POST
@policy_required(policy, "offering_manage")
@once_per_submission
def session_add(request, pk):
    offering = _offering_for(request, pk, "offering_manage")
    form = SessionForm(request.POST)
    if not form.is_valid():
        return _back(request, offering, error=_("Give the date and the times of the session."), anchor="sessions")
    try:
        services.session_add(user=request.user, offering=offering, **form.cleaned_data)
    except DomainError as error:
        return _back(request, offering, error=error, anchor="sessions")
    return created(request, _back(request, offering, _("Session added."), anchor="sessions"))


@require_POST
@policy_required(policy, "offering_manage")
def offering_status(request, pk):
    offering = _offering_for(request, pk, "offering_manage")
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _back(request, offering, error=_("Unknown status."))
    try:
        offering = services.offering_set_status(
            user=request.user, offering=offering, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        return _back(request, offering, error=error)
    return _back(request, offering, _("The course is now: %(status)s.") % {"status": offering.get_status_display()})


@require_POST
@policy_required(policy, "offering_manage")
def offering_instructor(request, pk):
    """One click on a suggested instructor names them (the directory's ranking is only advice)."""
    offering = _offering_for(request, pk, "offering_manage")
    consultant = get_object_or_404(directory.consultant_list(user=request.user), pk=request.POST.get("consultant") or 0)
    try:
        services.offering_set_instructor(user=request.user, offering=offering, consultant=consultant)
    except DomainError as error:
        return _back(request, offering, error=error)
    return _back(request, offering, _("%(name)s will teach the course.") % {"name": consultant})


@require_POST
@policy_required(policy, "enrolment_create")
def enrol(request, pk):
    offering = _offering_for(request, pk, "enrolment_create")
    people = entrepreneur_list(user=request.user).filter(centre=offering.centre)
    form = EnrolForm(request.POST, people=people)
    if not form.is_valid():
        return _back(request, offering, error=_("Choose the participant."), anchor="participants")
    try:
        enrolment = services.enrolment_create(
            user=request.user, offering=offering, entrepreneur=form.cleaned_data["entrepreneur"],
            voucher_code=form.cleaned_data["voucher_code"],
        )  # fmt: skip
    except DomainError as error:
        return _back(request, offering, error=error, anchor="participants")
    if enrolment.status == Enrolment.Status.WAITING:
        message = _("No seats left: %(name)s is on the waiting list.")
    else:
        message = _("%(name)s is enrolled.")
    return _back(request, offering, message % {"name": enrolment.entrepreneur}, anchor="participants")


@require_POST
@policy_required(policy, "enrolment_withdraw")
def withdraw(request, pk):
    enrolment = selectors.enrolment_detail(user=request.user, pk=pk)
    offering = enrolment.offering
    try:
        services.enrolment_withdraw(user=request.user, enrolment=enrolment)
    except DomainError as error:
        return _back(request, offering, error=error, anchor="participants")
    return _back(request, offering, _("%(name)s withdrew.") % {"name": enrolment.entrepreneur}, anchor="participants")


@policy_required(policy, "attendance_record")
def attendance(request, pk):
    offering = _offering_for(request, pk, "attendance_record")
    grid = selectors.attendance_grid(offering)
    form = AttendanceForm(request.POST or None, grid=grid)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(user=request.user, offering=offering, marks=form.marks())
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("training:attendance", pk=offering.pk)
    rows = [
        {**row, "fields": [(s, form[f"att-{row['enrolment'].pk}-{s.pk}"]) for s, _p in row["cells"]]}
        for row in grid["rows"]
    ]
    return render(request, "training/attendance.html", {"offering": offering, "grid": grid, "rows": rows, "form": form})


@policy_required(policy, "scores_record")
def scores(request, pk):
    offering = _offering_for(request, pk, "scores_record")
    enrolments = selectors.participants(offering)
    form = ScoresForm(request.POST or None, enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        try:
            services.scores_record(user=request.user, offering=offering, scores=form.scores())
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Test scores saved."))
            return redirect("training:offering_detail", pk=offering.pk)
    rows = [{"enrolment": e, "entry": form[f"entry-{e.pk}"], "exit": form[f"exit-{e.pk}"]} for e in enrolments]
    return render(request, "training/scores.html", {"offering": offering, "rows": rows, "form": form})


@policy_required(policy, "history_view")
def offering_history(request, pk):
    offering = selectors.offering_detail(user=request.user, pk=pk)
    return render_history(
        request, offering, back_url=reverse("training:offering_detail", args=[pk]), title=_("Course data")
    )


# --- Follow-ups and demand ------------------------------------------------------------------------


@policy_required(policy, "followup_view")
def followup_list(request):
    followups = selectors.followups_due(user=request.user)
    return render(
        request,
        "training/followup_list.html",
        {"page_obj": paginate(request, followups), "allowed": policy.allowed(request.user)},
    )


@policy_required(policy, "followup_record")
def followup_record(request, pk):
    followup = get_object_or_404(selectors.followup_list(user=request.user), pk=pk)
    form = FollowUpForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_record(user=request.user, followup=followup, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect("training:followup_list")
    return render(request, "training/followup_form.html", {"form": form, "followup": followup})


@policy_required(policy, "demand_view")
def demand(request):
    return render(request, "training/demand.html", {"rows": selectors.training_demand(user=request.user)})


# --- Public pages ---------------------------------------------------------------------------------


def public_calendar(request):
    """Upcoming courses open for enrolment, per centre: no login, no personal data."""
    by_centre: dict[str, list] = {}
    for offering in selectors.public_calendar():
        offering.seats_left = selectors.seats_left(offering)
        by_centre.setdefault(offering.centre.name, []).append(offering)
    return render(request, "training/public_calendar.html", {"centres": by_centre})


def public_calendar_ics(request):
    body = calendar_feed(selectors.public_sessions(), host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cursos.ics"'
    return response


def certificate_verify(request):
    """Anyone may check a certificate by its code; only a valid code shows whose it is."""
    code = (request.GET.get("code") or "").strip()
    enrolment = selectors.certificate_by_code(code) if code else None
    status = 404 if code and enrolment is None else 200
    return render(
        request,
        "training/certificate_verify.html",
        {"code": code, "enrolment": enrolment},
        status=status,
    )

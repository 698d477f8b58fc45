"""Pages of the client registry. Views check the role, validate a form, call one service."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.exceptions import DomainError
from core.exports import export_response
from core.forms import add_domain_error
from core.history import render_history
from core.idempotency import created, once_per_submission
from core.pagination import paginate
from core.policy import policy_required

from . import exports, selectors, services
from .filters import CompanyFilter, EntrepreneurFilter, NeedFilter
from .forms import CompanyForm, DiagnosisForm, EntrepreneurForm, ProblemNodeEditForm, ProblemNodeForm
from .models import ProblemNode
from .permissions import diagnosis_editable_by, policy
from .timeline import company_actions_for, timeline_for

# --- Companies --------------------------------------------------------------------------


@policy_required(policy, "company_view")
def company_list(request):
    filterset = CompanyFilter(request.GET, queryset=selectors.company_list(user=request.user), request=request)
    companies = filterset.qs
    if request.GET.get("export") in ("csv", "xlsx"):
        return export_response(request.GET["export"], filename="empresas", **exports.company_export(companies))
    return render(
        request,
        "clients/company_list.html",
        {
            "filter": filterset,
            "page_obj": paginate(request, companies),
            "can_write": policy.can(request.user, "company_create"),
        },
    )


@policy_required(policy, "company_view")
def company_detail(request, pk):
    company = selectors.company_detail(user=request.user, pk=pk)
    diagnoses = list(company.diagnoses.all())
    latest = next((d for d in diagnoses if d.node_count), None)
    return render(
        request,
        "clients/company_detail.html",
        {
            "company": company,
            "diagnoses": diagnoses,
            "tree": selectors.problem_tree(latest) if latest else None,
            "tree_diagnosis": latest,
            "timeline": timeline_for(company, user=request.user),
            "actions": company_actions_for(request.user, company),
            "can_write": policy.can(request.user, "company_create"),
            "can_diagnose": policy.can(request.user, "diagnosis_create"),
            "allowed": policy.allowed(request.user, company, actions=("history_view",)),
        },
    )


def _similar_warning(form, error):
    form.show_similar_confirmation()
    form.add_error(None, str(error))
    return error.similar


def _duplicate_link(request, error):
    existing = getattr(error, "existing", None)
    if existing is None:
        return
    try:
        if hasattr(existing, "legal_name"):
            selectors.company_detail(user=request.user, pk=existing.pk)
            url = reverse("clients:company_detail", args=[existing.pk])
        else:
            selectors.entrepreneur_detail(user=request.user, pk=existing.pk)
            url = reverse("clients:entrepreneur_detail", args=[existing.pk])
    except Http404:  # another centre's record: name it, do not link it
        return
    messages.info(request, format_html('{} <a href="{}">{}</a>', _("Already registered:"), url, existing))


@policy_required(policy, "company_create")
@once_per_submission
def company_create(request):
    form = CompanyForm(request.POST or None, user=request.user)
    similar = []
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_create(
                user=request.user,
                centre=form.chosen_centre(),
                fields=form.service_fields(),
                confirm_similar=form.cleaned_data["confirm_similar"],
            )
        except DomainError as error:
            if error.code == "similar":
                similar = _similar_warning(form, error)
            else:
                add_domain_error(form, error)
                _duplicate_link(request, error)
        else:
            messages.success(request, _("Company %(name)s registered.") % {"name": company})
            return created(request, redirect("clients:company_detail", pk=company.pk))
    return render(request, "clients/company_form.html", {"form": form, "similar": similar})


@policy_required(policy, "company_update")
def company_update(request, pk):
    company = selectors.company_detail(user=request.user, pk=pk)
    form = CompanyForm(request.POST or None, instance=company, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.company_update(user=request.user, company=company, fields=form.service_fields())
        except DomainError as error:
            add_domain_error(form, error)
            _duplicate_link(request, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("clients:company_detail", pk=company.pk)
    return render(request, "clients/company_form.html", {"form": form, "company": company})


@policy_required(policy, "history_view")
def company_history(request, pk):
    company = selectors.company_detail(user=request.user, pk=pk)
    return render_history(
        request, company, back_url=reverse("clients:company_detail", args=[pk]), title=_("Company data")
    )


# --- Location choices (htmx) -------------------------------------------------------------------


@require_GET
@policy_required(policy, "company_view")
def location_options(request):
    """The <option>s of the province or district select for the chosen department or province."""
    if request.GET.get("province"):
        options = [(u.code, u.district) for u in selectors.districts(request.GET["province"])]
    elif request.GET.get("department"):
        options = selectors.provinces(request.GET["department"])
    else:
        options = []
    return render(request, "clients/partials/options.html", {"options": options})


# --- Entrepreneurs ---------------------------------------------------------------------------


@policy_required(policy, "entrepreneur_view")
def entrepreneur_list(request):
    filterset = EntrepreneurFilter(
        request.GET, queryset=selectors.entrepreneur_list(user=request.user), request=request
    )
    people = filterset.qs
    if request.GET.get("export") in ("csv", "xlsx"):
        return export_response(request.GET["export"], filename="emprendedores", **exports.entrepreneur_export(people))
    return render(
        request,
        "clients/entrepreneur_list.html",
        {
            "filter": filterset,
            "page_obj": paginate(request, people),
            "can_write": policy.can(request.user, "entrepreneur_create"),
        },
    )


@policy_required(policy, "entrepreneur_view")
def entrepreneur_detail(request, pk):
    person = selectors.entrepreneur_detail(user=request.user, pk=pk)
    return render(
        request,
        "clients/entrepreneur_detail.html",
        {
            "person": person,
            "can_write": policy.can(request.user, "entrepreneur_create") and person.anonymised_at is None,
            "allowed": policy.allowed(request.user, person),
        },
    )


@policy_required(policy, "entrepreneur_data_export")
def entrepreneur_data_export(request, pk):
    """The person's data as a JSON download (Ley 29733, right of access)."""
    import json

    from django.http import HttpResponse

    person = selectors.entrepreneur_detail(user=request.user, pk=pk)
    data = services.entrepreneur_export_data(user=request.user, person=person)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="datos-personales-{person.pk}.json"'
    return response


@policy_required(policy, "entrepreneur_anonymise")
def entrepreneur_anonymise(request, pk):
    """A confirmation page first (irreversible); the POST anonymises the person."""
    person = selectors.entrepreneur_detail(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.entrepreneur_anonymise(user=request.user, person=person)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The person's identifying data were removed. Statistics keep their record."))
        return redirect("clients:entrepreneur_detail", pk=person.pk)
    return render(request, "clients/entrepreneur_anonymise.html", {"person": person})


@policy_required(policy, "entrepreneur_create")
@once_per_submission
def entrepreneur_create(request):
    initial = {}
    company = None
    if request.GET.get("company"):
        company = selectors.company_detail(user=request.user, pk=request.GET["company"])
        initial = {"company": company.pk, "relationship": "owner", "centre": company.centre_id}
    form = EntrepreneurForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("company")
        try:
            person = services.entrepreneur_create(
                user=request.user,
                centre=chosen.centre if chosen else form.chosen_centre(),
                fields=form.service_fields(),
            )
        except DomainError as error:
            add_domain_error(form, error)
            _duplicate_link(request, error)
        else:
            messages.success(request, _("%(name)s registered.") % {"name": person})
            if person.company_id:
                return created(request, redirect("clients:company_detail", pk=person.company_id))
            return created(request, redirect("clients:entrepreneur_detail", pk=person.pk))
    return render(request, "clients/entrepreneur_form.html", {"form": form, "company": company})


@policy_required(policy, "entrepreneur_update")
def entrepreneur_update(request, pk):
    person = selectors.entrepreneur_detail(user=request.user, pk=pk)
    form = EntrepreneurForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.entrepreneur_update(user=request.user, person=person, fields=form.service_fields())
        except DomainError as error:
            add_domain_error(form, error)
            _duplicate_link(request, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("clients:entrepreneur_detail", pk=person.pk)
    return render(
        request, "clients/entrepreneur_form.html", {"form": form, "person": person, "company": person.company}
    )


@policy_required(policy, "history_view")
def entrepreneur_history(request, pk):
    person = selectors.entrepreneur_detail(user=request.user, pk=pk)
    return render_history(
        request, person, back_url=reverse("clients:entrepreneur_detail", args=[pk]), title=_("Personal data")
    )


# --- Diagnosis ----------------------------------------------------------------------------------


@policy_required(policy, "diagnosis_create")
@once_per_submission
def diagnosis_create(request, company_pk):
    company = selectors.company_detail(user=request.user, pk=company_pk)
    form = DiagnosisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            diagnosis = services.diagnosis_create(
                user=request.user, company=company, fields=form.service_fields(), needs=form.needs()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Diagnosis saved as a draft. Now build the problem tree."))
            return created(request, redirect("clients:diagnosis_detail", pk=diagnosis.pk))
    return render(request, "clients/diagnosis_form.html", {"form": form, "company": company})


@policy_required(policy, "diagnosis_update")
def diagnosis_update(request, pk):
    diagnosis = selectors.diagnosis_detail(user=request.user, pk=pk)
    try:
        services.ensure_diagnosis_editable(user=request.user, diagnosis=diagnosis)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("clients:diagnosis_detail", pk=pk)
    form = DiagnosisForm(request.POST or None, instance=diagnosis)
    if request.method == "POST" and form.is_valid():
        try:
            services.diagnosis_update(
                user=request.user, diagnosis=diagnosis, fields=form.service_fields(), needs=form.needs()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("clients:diagnosis_detail", pk=pk)
    return render(
        request, "clients/diagnosis_form.html", {"form": form, "company": diagnosis.company, "diagnosis": diagnosis}
    )


def _tree_context(request, diagnosis, error=None):
    editable = policy.can(request.user, "problem_tree_edit", diagnosis) and diagnosis_editable_by(
        request.user, diagnosis
    )
    tree = selectors.problem_tree(diagnosis)
    return {"diagnosis": diagnosis, "tree": tree, "editable": editable, "tree_error": error, "nodes": tree["nodes"]}


@policy_required(policy, "diagnosis_view")
def diagnosis_detail(request, pk):
    diagnosis = selectors.diagnosis_detail(user=request.user, pk=pk)
    context = _tree_context(request, diagnosis)
    context["needs"] = list(diagnosis.needs.all())
    context["can_write"] = policy.can(request.user, "diagnosis_update", diagnosis)
    context["allowed"] = policy.allowed(request.user, diagnosis, actions=("history_view",))
    return render(request, "clients/diagnosis_detail.html", context)


@require_POST
@policy_required(policy, "diagnosis_complete")
def diagnosis_complete(request, pk):
    diagnosis = selectors.diagnosis_detail(user=request.user, pk=pk)
    try:
        services.diagnosis_complete(user=request.user, diagnosis=diagnosis)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Diagnosis completed."))
    return redirect("clients:diagnosis_detail", pk=pk)


@policy_required(policy, "history_view")
def diagnosis_history(request, pk):
    diagnosis = selectors.diagnosis_detail(user=request.user, pk=pk)
    return render_history(
        request, diagnosis, back_url=reverse("clients:diagnosis_detail", args=[pk]), title=_("Diagnosis")
    )


# --- Problem tree editor (htmx; plain POST + redirect without JavaScript) -------------------------


def _tree_response(request, diagnosis, error=None):
    if request.headers.get("HX-Request"):
        return render(request, "clients/partials/tree_editor.html", _tree_context(request, diagnosis, error))
    if error:
        messages.error(request, error)
    return redirect("clients:diagnosis_detail", pk=diagnosis.pk)


@require_POST
@policy_required(policy, "problem_tree_edit")
@once_per_submission
def node_add(request, pk):
    diagnosis = selectors.diagnosis_detail(user=request.user, pk=pk)
    form = ProblemNodeForm(request.POST)
    error = None
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = get_object_or_404(ProblemNode, pk=form.cleaned_data["parent"], diagnosis=diagnosis)
        try:
            services.problem_node_add(
                user=request.user,
                diagnosis=diagnosis,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                parent=parent,
            )
        except DomainError as exc:
            error = str(exc)
        else:
            record_url = reverse("clients:diagnosis_detail", args=[diagnosis.pk])
            return created(request, _tree_response(request, diagnosis), record_url=record_url)
    else:
        error = _("Write the problem, cause or effect.")
    return _tree_response(request, diagnosis, error)


@require_POST
@policy_required(policy, "problem_tree_edit")
def node_update(request, pk):
    node = selectors.problem_node_for_user(user=request.user, pk=pk)
    form = ProblemNodeEditForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.problem_node_update(
                user=request.user,
                node=node,
                text=form.cleaned_data["text"] or None,
                to_address=form.cleaned_data["to_address"],
            )
        except DomainError as exc:
            error = str(exc)
    return _tree_response(request, node.diagnosis, error)


@require_POST
@policy_required(policy, "problem_tree_edit")
def node_move(request, pk):
    node = selectors.problem_node_for_user(user=request.user, pk=pk)
    error = None
    target = ProblemNode.objects.filter(pk=request.POST.get("parent") or 0, diagnosis_id=node.diagnosis_id).first()
    if target is None:
        error = _("Choose where to move it.")
    else:
        try:
            services.problem_node_move(user=request.user, node=node, new_parent=target)
        except DomainError as exc:
            error = str(exc)
    return _tree_response(request, node.diagnosis, error)


@require_POST
@policy_required(policy, "problem_tree_edit")
def node_delete(request, pk):
    node = selectors.problem_node_for_user(user=request.user, pk=pk)
    diagnosis = node.diagnosis
    error = None
    try:
        services.problem_node_delete(user=request.user, node=node)
    except DomainError as exc:
        error = str(exc)
    return _tree_response(request, diagnosis, error)


# --- Needs ---------------------------------------------------------------------------------------


@policy_required(policy, "need_view")
def need_list(request):
    filterset = NeedFilter(request.GET, queryset=selectors.need_list(user=request.user), request=request)
    needs = filterset.qs
    if request.GET.get("export") in ("csv", "xlsx"):
        return export_response(request.GET["export"], filename="necesidades", **exports.need_export(needs))
    return render(
        request,
        "clients/need_list.html",
        {
            "filter": filterset,
            "page_obj": paginate(request, needs),
            "summary": selectors.open_needs_summary(user=request.user),
        },
    )

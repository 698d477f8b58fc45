"""The managers' dashboard page and the download of each of its tables."""

from django.http import Http404
from django.shortcuts import render

from core.exports import export_response
from core.policy import policy_required

from . import cache, reports, tables
from .forms import PeriodForm
from .permissions import policy


def _dashboard_tables(request, form):
    data = cache.dashboard(request.user, *form.period, centre=form.chosen_centre)
    return data, tables.build(data, form.period, form.chosen_centre)


@policy_required(policy, "dashboard_view")
def dashboard(request):
    form = PeriodForm(request.GET or None, user=request.user)
    context = {"form": form, "allowed": policy.allowed(request.user)}
    if not form.is_valid():
        return render(request, "monitoring/dashboard.html", context, status=400)
    data, panels = _dashboard_tables(request, form)
    month = form.period[1].replace(day=1)
    context.update(
        data=data,
        panels=panels,
        query=request.GET.urlencode(),
        report_month=month,
        report_centre=form.chosen_centre,
        report_id=reports.DASHBOARD,
    )
    return render(request, "monitoring/dashboard.html", context)


@policy_required(policy, "dashboard_export")
def dashboard_export(request, table):
    """One table of the dashboard as CSV or XLSX (``?format=xlsx``), for the same period and centre."""
    form = PeriodForm(request.GET or None, user=request.user)
    if not form.is_valid():
        return render(request, "monitoring/dashboard.html", {"form": form}, status=400)
    _data, panels = _dashboard_tables(request, form)
    found = tables.find(panels, table)
    if found is None:
        raise Http404(table)
    start, end = form.period
    return export_response(
        request.GET.get("format", "csv"),
        filename=f"{found.key}-{start:%Y%m%d}-{end:%Y%m%d}",
        headers=found.headers,
        rows=found.plain_rows(),
    )

"""What the services list exports (CSV / XLSX): one column list, used by the page."""

from django.utils.translation import gettext as _


def service_export(services) -> dict:
    """Headers and rows of the services list, streamed in chunks."""
    headers = [
        _("File number"), _("Title"), _("Company"), _("Service type"), _("Stage"), _("In this stage since"),
        _("Total cost (S/)"), _("Subsidies and co-financing (S/)"), _("Owner's share (S/)"), _("Centre"),
    ]  # fmt: skip
    rows = (
        [s.code, s.title, s.company.legal_name, s.service_type.name, s.get_stage_display(),
         s.stage_changed_at.date(), s.total_cost, s.total_funding, s.owner_share, s.centre.name]
        for s in services.iterator(chunk_size=2000)
    )  # fmt: skip
    return {"headers": headers, "rows": rows}

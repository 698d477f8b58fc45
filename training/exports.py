"""What the courses list exports (CSV / XLSX)."""

from django.utils.translation import gettext as _


def offering_export(offerings) -> dict:
    headers = [
        _("Code"), _("Module"), _("Centre"), _("Status"), _("Starts on"), _("Ends on"), _("Seats"),
        _("Enrolled"), _("Waiting list"), _("Price (S/)"), _("Subsidy (S/)"),
    ]  # fmt: skip
    rows = (
        [o.code, o.module.name, o.centre.name, o.get_status_display(), o.starts_on, o.ends_on, o.capacity,
         o.enrolled, o.waiting, o.price, o.subsidy]
        for o in offerings.iterator(chunk_size=2000)
    )  # fmt: skip
    return {"headers": headers, "rows": rows}

"""What the client lists export (CSV / XLSX): one column list per list, used by its page."""

from django.utils.translation import gettext as _

from .models import SizeClass


def company_export(companies) -> dict:
    headers = [
        _("Name"), _("Trade name"), _("RUC"), _("Formal"), _("Subsector"), _("Department"), _("Province"),
        _("District"), _("Address"), _("Start year"), _("Workers"), _("Women workers"), _("Annual sales (S/)"),
        _("Sales year"), _("Size class"), _("Sanitary registration"), _("Phone"), _("E-mail"), _("Centre"),
    ]  # fmt: skip
    sizes = dict(SizeClass.choices)

    def rows():
        for c in companies.iterator(chunk_size=2000):
            yield [
                c.legal_name, c.trade_name, c.ruc or "", _("Yes") if c.is_formal else _("No"), c.subsector.name,
                c.district.department, c.district.province, c.district.district, c.address, c.start_year,
                c.workers_total, c.permanent_women + c.temporary_women, c.annual_sales, c.sales_year,
                str(sizes.get(c.size_class, "")), c.sanitary_registration_number, c.phone, c.email, c.centre.name,
            ]  # fmt: skip

    return {"headers": headers, "rows": rows()}


def entrepreneur_export(people) -> dict:
    headers = [
        _("First names"), _("Last names"), _("DNI"), _("Gender"), _("Year of birth"), _("Education level"),
        _("Company"), _("Phone"), _("E-mail"), _("Centre"),
    ]  # fmt: skip
    rows = (
        [p.first_name, p.last_name, p.dni or "", p.get_gender_display(), p.birth_year, p.get_education_display(),
         str(p.company or _("Emprendedor (protoempresa)")), p.phone, p.email, p.centre.name]
        for p in people.iterator(chunk_size=2000)
    )  # fmt: skip
    return {"headers": headers, "rows": rows}


def need_export(needs) -> dict:
    headers = [_("Date"), _("Need"), _("Note"), _("Client"), _("Subsector"), _("Status"), _("Answered by"), _("Centre")]
    rows = (
        [n.created_at.date(), n.get_need_type_display(), n.note, str(n.company or n.entrepreneur),
         n.company.subsector.name if n.company else "", n.get_status_display(), n.answered_by, n.centre.name]
        for n in needs.iterator(chunk_size=2000)
    )  # fmt: skip
    return {"headers": headers, "rows": rows}

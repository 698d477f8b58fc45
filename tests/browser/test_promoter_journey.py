"""A promoter in the field, on a phone: registers a company and completes its diagnosis."""

from clients.models import Company, Diagnosis, Need

from .conftest import log_in


def test_a_promoter_on_a_phone_registers_a_company_and_completes_a_diagnosis(phone, live_server, demo_users):
    page = phone
    log_in(page, live_server, "promotor")
    page.wait_for_url(f"{live_server.url}/")

    # The menu is collapsed on a phone.
    page.get_by_role("button", name="Mostrar menú").click()
    page.get_by_role("link", name="Empresas").click()
    page.get_by_role("link", name="Registrar empresa").first.click()

    page.fill("#id_legal_name", "Panificadora El Trigal de Ate")
    page.fill("#id_ruc", "20601234565")
    page.select_option("#id_subsector", label="Panificación y pastelería")
    page.fill("#id_product_lines", "Pan francés\nTortas\nBizcochos")
    page.select_option("#id_department", label="Lima")
    page.wait_for_function("() => document.querySelectorAll('#id_province option').length > 1")
    page.select_option("#id_province", label="Lima")
    page.wait_for_function("() => document.querySelectorAll('#id_district option').length > 1")
    page.select_option("#id_district", label="Ate")
    page.fill("#id_address", "Av. Nicolás Ayllón 1234")
    page.fill("#id_permanent_women", "3")
    page.fill("#id_permanent_men", "2")
    page.fill("#id_annual_sales", "420000")
    page.fill("#id_sales_year", "2025")
    page.get_by_role("button", name="Guardar").click()

    page.get_by_text("Empresa Panificadora El Trigal de Ate registrada.").wait_for()
    assert page.get_by_text("Microempresa").first.is_visible()

    page.get_by_role("link", name="Nuevo diagnóstico").click()
    page.fill("#id_product_line_count", "3")
    page.select_option("#id_patrimonial_band", label="US$ 5,000 - 7,500")
    page.select_option("#id_equipment_band", label="US$ 1,000 - 3,000")
    page.select_option("#id_working_day", label="Más de 8 horas")
    page.check("#id_need_assistance")
    page.fill("#id_need_assistance_note", "Buenas prácticas de manufactura")
    page.check("#id_need_credit")
    page.fill("#id_need_credit_note", "Horno rotativo")
    page.get_by_role("button", name="Guardar borrador").click()
    page.get_by_text("Diagnóstico guardado como borrador").wait_for()

    # The problem tree, built without reloading the page.
    page.fill("#central-text", "Alta merma en la producción de pan")
    page.locator("#central-text").press("Enter")
    page.locator("#new-cause").wait_for()
    for cause in ["Horno sin control de temperatura", "Personal sin capacitación en BPM"]:
        page.fill("#new-cause", cause)
        page.locator("#new-cause").press("Enter")
        page.locator(".tree-node.is-cause", has_text=cause).first.wait_for()
    for effect in ["Pérdida del 15% de la masa", "Clientes insatisfechos"]:
        page.fill("#new-effect", effect)
        page.locator("#new-effect").press("Enter")
        page.locator(".tree-node.is-effect", has_text=effect).first.wait_for()

    first_cause = page.locator(".tree-node.is-cause").first
    first_cause.locator("summary").click()
    first_cause.get_by_role("button", name="Marcar para atender").click()
    page.locator(".tree-node.is-cause .badge").first.wait_for()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Completar diagnóstico").click()
    page.get_by_text("Diagnóstico completado.").wait_for()

    company = Company.objects.get(legal_name="Panificadora El Trigal de Ate")
    assert company.size_class == "micro"
    assert company.district_id == "150103"
    diagnosis = Diagnosis.objects.get(company=company)
    assert diagnosis.status == "completed"
    kinds = sorted(diagnosis.nodes.values_list("kind", flat=True))
    assert kinds == ["cause", "cause", "central", "effect", "effect"]
    assert diagnosis.nodes.filter(to_address=True).count() == 1
    assert set(Need.objects.filter(diagnosis=diagnosis).values_list("need_type", flat=True)) == {"assistance", "credit"}

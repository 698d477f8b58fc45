"""The API refuses what it does not understand, in JSON, and documents those refusals."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_record_address_that_is_not_a_number_is_a_json_404_not_a_500(client_for, administrator):
    client = client_for(administrator)
    for url in ("/api/v1/loans/null,null/", "/api/v1/companies/0.5/", "/api/v1/diagnoses/abc/complete/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json" and "detail" in response.json()


def test_a_missing_page_for_people_stays_the_sites_html_404(client_for, administrator):
    response = client_for(administrator).get("/clients/companies/abc/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/companies/?sanitary=yes",
        "/api/v1/entrepreneurs/?company=0.5",
        "/api/v1/needs/?company=0.5",
        "/api/v1/loans/?in_arrears=null",
        "/api/v1/consultants/?unasked=maybe",
        "/api/v1/consultations/?over_limit=True",
    ],
)
def test_a_filter_value_the_schema_does_not_allow_is_refused_with_the_fields_message(client_for, administrator, url):
    response = client_for(administrator).get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400, url
    field = url.split("?")[1].split("=")[0]
    assert field in response.json()


def test_a_ticked_box_on_the_page_still_filters(client_for, administrator):
    from credit.filters import LoanFilter

    ticked = LoanFilter({"in_arrears": "on"}, queryset=None)
    assert ticked.form.is_valid() and ticked.form.cleaned_data["in_arrears"] is True
    unticked = LoanFilter({}, queryset=None)
    assert unticked.form.is_valid() and unticked.form.cleaned_data["in_arrears"] is False


def test_every_operation_documents_its_refusals(client_for, administrator):
    schema = client_for(administrator).get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403", "404"} <= set(operation["responses"]), (method, path)

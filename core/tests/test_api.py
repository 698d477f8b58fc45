import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_the_token_endpoint_issues_a_token_for_an_active_user(api, promoter):
    response = api.post(reverse("api-token"), {"username": "promoter", "password": "secret-pass-123"})
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get(reverse("api-me"))
    assert me.status_code == 200
    assert me.json()["username"] == "promoter"
    assert me.json()["roles"] == ["promoter"]


def test_the_token_endpoint_refuses_a_wrong_password(api, promoter):
    response = api.post(reverse("api-token"), {"username": "promoter", "password": "wrong"})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_the_token_endpoint_refuses_an_inactive_user(api, promoter):
    promoter.is_active = False
    promoter.save(update_fields=["is_active"])
    response = api.post(reverse("api-token"), {"username": "promoter", "password": "secret-pass-123"})
    assert response.status_code == 400


def test_the_api_refuses_anonymous_requests(api, lima):
    assert api.get(reverse("centre-list")).status_code in (401, 403)


def test_centre_staff_list_only_their_centre_and_get_404_for_another(api, promoter, huancayo, lima):
    api.force_authenticate(promoter)
    listing = api.get(reverse("centre-list")).json()
    assert [c["name"] for c in listing["results"]] == ["CentroPyME Lima"]
    assert listing["count"] == 1
    assert api.get(reverse("centre-detail", args=[huancayo.pk])).status_code == 404


def test_national_manager_lists_every_centre(api, national_manager, huancayo):
    api.force_authenticate(national_manager)
    names = [c["name"] for c in api.get(reverse("centre-list")).json()["results"]]
    assert names == ["CentroPyME Huancayo", "CentroPyME Lima"]


def test_the_schema_is_a_valid_openapi_3_document(api, promoter):
    from drf_spectacular.validation import validate_schema

    api.force_authenticate(promoter)
    response = api.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert "/api/v1/auth/token/" in schema["paths"]


def test_the_schema_and_swagger_ui_are_for_signed_in_users_only(api, client):
    assert api.get(reverse("api-schema"), {"format": "json"}).status_code in (401, 403)
    response = client.get(reverse("api-docs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_swagger_ui_is_served_without_a_cdn(client_for, promoter):
    response = client_for(promoter).get(reverse("api-docs"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn.jsdelivr" not in body
    assert "/static/drf_spectacular_sidecar/" in body

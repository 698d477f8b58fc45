"""Accounts, home page, language and error pages, as the staff see them."""

import pytest
from django.core import mail
from django.urls import reverse

from core.roles import Role

pytestmark = pytest.mark.django_db

ALL_ROLE_FIXTURES = [
    "promoter",
    "consultant",
    "coordinator",
    "national_manager",
    "administrator",
    "credit_officer",
    "front_desk",
]


def test_the_login_page_is_in_spanish_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert "Iniciar sesión" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_wrong_password_gives_a_spanish_error_and_no_session(client, promoter):
    response = client.post(reverse("login"), {"username": "promoter", "password": "wrong"})
    assert response.status_code == 200
    assert "introduzca un nombre de usuario y clave correctos" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_right_password_opens_my_work(client, promoter):
    response = client.post(reverse("login"), {"username": "promoter", "password": "secret-pass-123"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Mi trabajo" in response.content.decode()


def test_repeated_failed_logins_lock_the_username_out(client, promoter, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "promoter", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "promoter", "password": "secret-pass-123"})
    assert response.status_code == 429
    assert "Acceso bloqueado" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("fixture", ALL_ROLE_FIXTURES)
def test_every_role_lands_on_its_home_page_with_its_role_named(request, client_for, fixture):
    user = request.getfixturevalue(fixture)
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    label = dict(Role.choices)[fixture]
    from django.utils import translation

    with translation.override("es"):
        assert str(label) in body
    assert "Mi trabajo" in body


def test_a_role_with_nothing_to_do_sees_a_helpful_empty_state(client_for, national_manager):
    # The national manager has no home-page panel (the credit officer now has one: loans to follow up).
    body = client_for(national_manager).get(reverse("home")).content.decode()
    assert "No tienes trabajo pendiente" in body


def test_the_menu_shows_administration_only_to_administrators(client_for, administrator, promoter):
    admin_page = client_for(administrator).get(reverse("home")).content.decode()
    assert reverse("admin:index") in admin_page
    promoter_page = client_for(promoter).get(reverse("home")).content.decode()
    assert reverse("admin:index") not in promoter_page


@pytest.mark.parametrize("fixture", ALL_ROLE_FIXTURES)
def test_only_the_administrator_reaches_the_django_admin(request, client_for, fixture):
    user = request.getfixturevalue(fixture)
    if fixture == "administrator":
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    response = client_for(user).get(reverse("admin:core_centre_changelist"))
    assert response.status_code == (200 if fixture == "administrator" else 302)


def test_a_user_without_a_centre_is_told_so(client_for, lima):
    from core.tests.factories import UserFactory

    user = UserFactory(roles=[Role.PROMOTER])
    assert "Sin centro asignado" in client_for(user).get(reverse("home")).content.decode()


def test_home_page_query_count_does_not_grow_with_centres(client_for, national_manager, django_assert_max_num_queries):
    from core.tests.factories import CentreFactory

    client = client_for(national_manager)
    client.get(reverse("home"))
    CentreFactory.create_batch(30)
    with django_assert_max_num_queries(8):
        client.get(reverse("home"))


def test_the_language_switcher_turns_the_interface_to_english(client_for, promoter):
    client = client_for(promoter)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert "My work" in body
    assert "Mi trabajo" not in body


def test_an_unknown_page_answers_404_in_spanish(client_for, promoter):
    response = client_for(promoter).get("/no-such-page/")
    assert response.status_code == 404
    assert "No encontramos esta página" in response.content.decode()


def test_password_change_works_and_requires_the_old_password(client_for, promoter):
    client = client_for(promoter)
    bad = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "Huancayo-2026!", "new_password2": "Huancayo-2026!"},
    )
    assert bad.status_code == 200
    promoter.refresh_from_db()
    assert promoter.check_password("secret-pass-123")
    good = client.post(
        reverse("password_change"),
        {"old_password": "secret-pass-123", "new_password1": "Huancayo-2026!", "new_password2": "Huancayo-2026!"},
    )
    assert good.status_code == 302
    promoter.refresh_from_db()
    assert promoter.check_password("Huancayo-2026!")


def test_password_reset_sends_a_spanish_mail_with_a_working_link(client, promoter):
    client.post(reverse("password_reset"), {"email": promoter.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nueva contraseña para CAT"
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert "Elige una nueva contraseña" in response.content.decode()

"""A busy day at a centre, for Locust: promoters, the front desk, a consultant, a coordinator and the manager.

Run by ``bench/load.py`` (``make bench`` in PostgreSQL mode) against gunicorn on loopback; by hand, against a
server with the demo users::

    .venv/bin/locust -f bench/locustfile.py --headless --users 12 --spawn-rate 4 --run-time 30s \
        --host http://127.0.0.1:8000

Each simulated person signs in through the login page (its CSRF token, the demo password, or
``BENCH_LOAD_PASSWORD``) and then works through their pages with 0.5-2 s between clicks. Requests are named by
page, so that Locust's statistics group them per page and not per URL. Records are found by following the
links of the pages a person reads (the company list, a company's file, the services list), never by guessing
ids. A sign-in that fails stops that username's people at once: django-axes locks a username out after five
failures, and a wrong password must not lock the demo users out for a quarter of an hour.
"""

import os
import random
import sys
from pathlib import Path

from gevent.event import Event
from locust import HttpUser, between, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import DEFAULT_PASSWORD, form_errors, form_fields, linked_ids  # noqa: E402

PASSWORD = os.environ.get("BENCH_LOAD_PASSWORD") or DEFAULT_PASSWORD
COMPANY_SEARCHES = ["pan", "panaderia", "quinua", "lacteos", "cacao", "miel", "cafe", "quispe"]
CLIENT_SEARCHES = ["pan", "quispe", "mamani", "cacao", "lacteos", "dulce"]
QUESTIONS = [
    ("¿Qué requisitos pide DIGESA para el registro sanitario?", "Se explicaron los requisitos y los plazos."),
    ("¿Dónde compro envases de vidrio para mermelada?", "Se dio la lista de proveedores de la biblioteca."),
    ("¿Hay cursos de buenas prácticas de manufactura?", "Se informó del próximo curso y su costo."),
    ("¿Cómo calculo el costo de mi producto?", "Se explicó la hoja de costos y se entregó el formato."),
]

# django-axes locks a username out after five failed sign-ins. The first person of each username signs in
# alone, the others of that username wait for the outcome; after a refusal nobody tries that username again.
REFUSED: set[str] = set()
FIRST_SIGN_IN: dict[str, Event] = {}


class Staff(HttpUser):
    abstract = True
    username = ""
    wait_time = between(0.5, 2.0)

    def on_start(self):
        first = FIRST_SIGN_IN.get(self.username)
        if first is None:
            FIRST_SIGN_IN[self.username] = first = Event()
            try:
                self.sign_in()
            finally:
                first.set()
        else:
            first.wait(timeout=120)
            self.sign_in()
        self.page("/", "home")
        self.find_records()

    def sign_in(self):
        if self.username in REFUSED:
            raise StopUser()
        fields = form_fields(self.page("/accounts/login/", "login page"), with_field="username") or {}
        fields.update(username=[self.username], password=[PASSWORD])
        with self.client.post(
            "/accounts/login/",
            data=fields,
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                REFUSED.add(self.username)
                response.failure(f"{self.username} could not sign in (status {response.status_code})")
                raise StopUser()

    def find_records(self):
        """Reads the pages that give this person the records they will open."""

    def page(self, url: str, name: str) -> str:
        """GET a page as this person: anything but a 200 reached without a redirect is a failure (a lost
        session would land on the login page with its own 200)."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.history:
                response.failure(f"redirected to {response.url}")
            elif response.status_code != 200:
                response.failure(f"status {response.status_code}")
            else:
                response.success()
            return response.text or ""

    def ids(self, url: str, name: str, prefix: str) -> list[int]:
        return linked_ids(self.page(url, name), prefix)


class Promoter(Staff):
    """In the field and at the office: the company list, searches, a company's file, needs, a diagnosis."""

    weight = 4
    username = "promotor"

    def find_records(self):
        self.companies = self.ids("/clients/companies/", "companies", "/clients/companies/")
        self.diagnoses: list[int] = []
        # One company in five has a diagnosis: the files of the first page's companies mostly hold some; else
        # the services' expedientes link theirs.
        for pk in self.companies[:12]:
            self.diagnoses += linked_ids(self.company_file(pk), "/clients/diagnoses/")
            if len(self.diagnoses) >= 3:
                return
        for pk in self.ids("/assistance/services/", "services", "/assistance/services/")[:8]:
            self.diagnoses += linked_ids(self.page(f"/assistance/services/{pk}/", "expediente"), "/clients/diagnoses/")
            if len(self.diagnoses) >= 3:
                return

    def company_file(self, pk: int) -> str:
        return self.page(f"/clients/companies/{pk}/", "company file")

    @task(3)
    def company_list(self):
        self.companies = self.ids("/clients/companies/", "companies", "/clients/companies/") or self.companies

    @task(3)
    def search(self):
        self.page(f"/clients/companies/?q={random.choice(COMPANY_SEARCHES)}", "companies ?q=")

    @task(3)
    def open_company(self):
        if self.companies:
            self.company_file(random.choice(self.companies))

    @task(1)
    def needs(self):
        self.page("/clients/needs/", "needs")

    @task(1)
    def diagnosis(self):
        if self.diagnoses:
            self.page(f"/clients/diagnoses/{random.choice(self.diagnoses)}/", "diagnosis")


class FrontDesk(Staff):
    """The desk: the day's consultations, and logging one after another through the real form."""

    weight = 3
    username = "recepcion"

    @task(1)
    def consultations(self):
        self.page("/consultations/", "consultations")

    @task(3)
    def log_consultation(self):
        fields = form_fields(self.page("/consultations/new/", "consultation form"), form_id="desk-form")
        if fields is None:
            return  # the page failed, and is counted so
        search = random.choice(CLIENT_SEARCHES)
        with self.client.get(
            f"/consultations/clients/?q={search}", name="client search", catch_response=True
        ) as response:
            try:
                found = response.json()["results"]
            except (ValueError, KeyError):
                response.failure(f"not the search's JSON (status {response.status_code})")
                return
        question, answer = random.choice(QUESTIONS)
        fields.update(question=[question], answer=[answer], client_search=[search])
        if found:
            client = random.choice(found)
            fields[client["kind"]] = [str(client["id"])]
            fields["client_search"] = [client["label"]]
        else:  # nobody by that name: a quick new contact
            fields.update(contact_name=["Visitante de la carga"], contact_phone=["987654321"])
        with self.client.post(
            "/consultations/new/", data=fields, name="consultation save", allow_redirects=False, catch_response=True
        ) as response:
            # Saved: back to a fresh form. The form again (200) means it was refused.
            if response.status_code != 302 or not response.headers.get("Location", "").endswith("/consultations/new/"):
                errors = "; ".join(form_errors(response.text or "")) or "no message"
                response.failure(f"the consultation was not saved (status {response.status_code}: {errors})")


class Consultant(Staff):
    """Their own services only, and a service's file with its action plan."""

    weight = 2
    username = "consultor"

    def find_records(self):
        self.services = self.ids("/assistance/services/", "services (consultant)", "/assistance/services/")

    @task(1)
    def my_services(self):
        self.services = (
            self.ids("/assistance/services/", "services (consultant)", "/assistance/services/") or self.services
        )

    @task(2)
    def expediente(self):
        if self.services:
            self.page(f"/assistance/services/{random.choice(self.services)}/", "expediente")


class Coordinator(Staff):
    """The centre's pipeline board, its services, the dashboard."""

    weight = 1
    username = "coordinador"

    @task(2)
    def pipeline(self):
        self.page("/assistance/services/board/", "pipeline board")

    @task(2)
    def services(self):
        self.page("/assistance/services/", "services")

    @task(1)
    def dashboard(self):
        self.page("/monitoring/", "dashboard")


class Manager(Staff):
    """The national manager: the dashboard, the companies of every centre, the loans."""

    weight = 1
    username = "gerente"

    @task(2)
    def dashboard(self):
        self.page("/monitoring/", "dashboard")

    @task(2)
    def companies(self):
        self.page("/clients/companies/", "companies (all centres)")

    @task(1)
    def loans(self):
        self.page("/credit/", "loans")

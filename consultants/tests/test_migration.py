"""Moving the directory from assistance to consultants keeps every row, link, history entry and file name.

The database is taken back to the last migration before the move, filled through the
models as they were then, and taken forward to the latest migration; then everything is
read back through the new models.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# Today's last assistance migration before the move, and no consultants migration at all.
LAST_BEFORE_THE_MOVE = ("assistance", "0002_load_catalogues")
# The client registry as it was then too (later migrations added columns the old models do not fill).
CLIENTS_THEN = ("clients", "0002_load_reference_data")
BEFORE = [LAST_BEFORE_THE_MOVE, CLIENTS_THEN, ("consultants", None)]


def migrate(targets=None):
    """Migrate to ``targets`` (the latest migrations when None); the models of the old state when given."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state([LAST_BEFORE_THE_MOVE, CLIENTS_THEN]).apps if targets else None


@pytest.fixture
def before_the_move():
    """The old schema for the test; the latest one again afterwards, whatever happened."""
    old_apps = migrate(BEFORE)
    try:
        yield old_apps
    finally:
        migrate()


@pytest.mark.django_db(transaction=True)
def test_the_move_to_the_consultants_app_keeps_every_directory_row_and_file_name(before_the_move):
    old = before_the_move
    User = old.get_model("core", "User")  # noqa: N806 - model classes of the old state
    Centre = old.get_model("core", "Centre")  # noqa: N806
    Subsector = old.get_model("clients", "Subsector")  # noqa: N806
    Ubigeo = old.get_model("clients", "Ubigeo")  # noqa: N806
    Company = old.get_model("clients", "Company")  # noqa: N806
    SpecialtyArea = old.get_model("assistance", "SpecialtyArea")  # noqa: N806
    Consultant = old.get_model("assistance", "Consultant")  # noqa: N806
    HistoricalConsultant = old.get_model("assistance", "HistoricalConsultant")  # noqa: N806
    AccreditationDocument = old.get_model("assistance", "AccreditationDocument")  # noqa: N806
    ServiceType = old.get_model("assistance", "ServiceType")  # noqa: N806
    Service = old.get_model("assistance", "Service")  # noqa: N806
    Visit = old.get_model("assistance", "Visit")  # noqa: N806

    admin = User.objects.create(username="admin-migration")
    lima = Centre.objects.create(name="CentroPyME Lima (migración)", department="Lima", city="Lima")
    huancayo = Centre.objects.create(name="CentroPyME Huancayo (migración)", department="Junín", city="Huancayo")
    dairy = Subsector.objects.get_or_create(name="Lácteos")[0]
    bakery = Subsector.objects.get_or_create(name="Panificación y pastelería")[0]
    production = SpecialtyArea.objects.get_or_create(code="production")[0]
    legal = SpecialtyArea.objects.get_or_create(code="legal")[0]
    decided_at = timezone.now() - datetime.timedelta(days=3)
    rosa = Consultant.objects.create(
        first_name="Rosa",
        last_name="Quispe",
        email="rosa@consultores.pe",
        profession="Ingeniera alimentaria",
        hourly_fee=Decimal("45.50"),
        status="validated",
        status_decided_by=admin,
        status_decided_at=decided_at,
    )
    rosa.subsectors.set([dairy, bakery])
    rosa.areas.set([production, legal])
    rosa.centres.set([lima, huancayo])
    HistoricalConsultant.objects.create(
        id=rosa.pk,
        first_name="Rosa",
        last_name="Quispe",
        hourly_fee=Decimal("40.00"),
        status="proposed",
        history_date=decided_at,
        history_type="+",
        history_user=admin,
    )
    document = AccreditationDocument.objects.create(
        consultant=rosa,
        kind="methodology",
        description="Curso de metodología",
        file=f"consultants/{rosa.pk}/certificado.pdf",
        uploaded_by=admin,
    )
    company = Company.objects.create(
        centre=lima,
        legal_name="Lácteos Rosita",
        name_key="lacteos rosita",
        subsector=dairy,
        district=Ubigeo.objects.first(),
        created_by=admin,
    )
    service = Service.objects.create(
        centre=lima,
        company=company,
        code="SAT-MIG-00001",
        title="Mejora del yogur",
        service_type=ServiceType.objects.get_or_create(name="Derivados lácteos")[0],
        stage="execution",
        stage_changed_at=timezone.now(),
        promoter=admin,
        created_by=admin,
    )
    service.consultants.add(rosa)
    visit = Visit.objects.create(
        service=service, consultant=rosa, date=datetime.date(2026, 11, 2), hours=Decimal("3.5"), notes="Pasteurización"
    )

    migrate()

    from django.apps import apps

    from consultants.models import AccreditationDocument as NewDocument
    from consultants.models import Consultant as NewConsultant

    # The service app's models by name: the directory's code and tests import no service app.
    NewService = apps.get_model("assistance", "Service")  # noqa: N806
    NewVisit = apps.get_model("assistance", "Visit")  # noqa: N806

    moved = NewConsultant.objects.get(pk=rosa.pk)
    assert (moved.first_name, moved.last_name, moved.email, moved.profession) == (
        "Rosa",
        "Quispe",
        "rosa@consultores.pe",
        "Ingeniera alimentaria",
    )
    assert (moved.hourly_fee, moved.status, moved.status_decided_by_id) == (Decimal("45.50"), "validated", admin.pk)
    assert moved.status_decided_at == decided_at
    assert {s.name for s in moved.subsectors.all()} == {"Lácteos", "Panificación y pastelería"}
    assert {a.code for a in moved.areas.all()} == {"production", "legal"}
    assert {c.pk for c in moved.centres.all()} == {lima.pk, huancayo.pk}
    assert [(h.status, h.hourly_fee, h.history_user_id) for h in moved.history.all()] == [
        ("proposed", Decimal("40.00"), admin.pk)
    ]
    kept = NewDocument.objects.get(pk=document.pk)
    assert (kept.consultant_id, kept.kind, kept.description) == (rosa.pk, "methodology", "Curso de metodología")
    assert kept.file.name == f"consultants/{rosa.pk}/certificado.pdf"
    assert [c.pk for c in NewService.objects.get(pk=service.pk).consultants.all()] == [rosa.pk]
    assert list(moved.services.values_list("code", flat=True)) == ["SAT-MIG-00001"]
    assert NewVisit.objects.get(pk=visit.pk).consultant == moved
    assert list(moved.visits.values_list("notes", flat=True)) == ["Pasteurización"]

"""seed_demo --companies N scales technical assistance with the registry: services in every stage."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from assistance.models import Consultant, Service, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(settings, tmp_path):
    settings.DEBUG = True  # seed_demo refuses to run without it
    settings.MEDIA_ROOT = tmp_path

    def run(**options):
        call_command("seed_demo", stdout=StringIO(), no_history=True, **options)  # monitoring tests the history

    return run


def test_a_scaled_demo_has_services_in_every_stage_each_holding_what_its_stage_needs(seed):
    seed(companies=1000)
    services = Service.objects.all()
    assert services.count() == 100
    assert set(services.values_list("stage", flat=True)) == set(Stage.values)
    assert Consultant.objects.count() >= 8
    for service in services.exclude(stage__in=[Stage.PROMOTION, Stage.DIAGNOSIS]).exclude(total_cost=0):
        lines = service.budget_lines.aggregate(total=Sum("amount"))["total"]
        assert service.total_cost == lines
        assert service.owner_share == service.total_cost - service.total_funding
    for service in services.filter(stage=Stage.CLOSED):
        assert service.evaluation.satisfaction >= 3
        assert service.report is not None
        assert service.visits.exists()
    assert not services.filter(stage=Stage.EVALUATION, execution_ended_on=None).exists()
    assert services.filter(stage=Stage.ACTION_PLAN, consultants__isnull=False).exists()


def test_seeding_the_same_scale_twice_adds_no_service(seed):
    seed(companies=600)
    first = (Service.objects.count(), Consultant.objects.count())
    seed(companies=600)
    assert (Service.objects.count(), Consultant.objects.count()) == first

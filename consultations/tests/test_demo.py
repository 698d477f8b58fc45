import pytest
from django.core.management import call_command

from clients.models import Need
from consultations.models import Consultation, FactSheet, Supplier

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Consultation.objects.count(),
        Supplier.objects.count(),
        FactSheet.objects.count(),
        Need.objects.filter(source="consultation").count(),
    )


def test_the_demo_has_forty_consultations_in_both_centres_with_converted_referrals_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", no_history=True)  # monitoring tests the history
    first = _counts()
    assert first[0] == 40
    assert Consultation.objects.values("centre").distinct().count() == 2
    assert Need.objects.filter(source="consultation", status="answered").exists()
    assert Need.objects.filter(source="consultation", status="open").exists()
    assert Supplier.objects.filter(source="ipenbal").exists()
    call_command("seed_demo", no_history=True)  # monitoring tests the history
    assert _counts() == first

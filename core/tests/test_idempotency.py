"""The one-time token of create forms (core.idempotency): two POSTs of one form at the same moment."""

import pytest
from django.test import Client
from django.urls import reverse

from clients.models import Diagnosis
from clients.tests.factories import CompanyFactory
from clients.tests.test_views import diagnosis_data
from core.idempotency import FIELD
from core.models import SubmissionToken
from core.tests.concurrency import POSTGRESQL_ONLY, at_once

pytestmark = [pytest.mark.django_db(transaction=True), POSTGRESQL_ONLY]


def test_the_same_form_sent_twice_at_once_creates_one_record_and_both_go_to_it(promoter, lima):
    company = CompanyFactory(centre=lima)
    url = reverse("clients:diagnosis_create", args=[company.pk])

    def send():
        client = Client()
        client.force_login(promoter)
        return client.post(url, {**diagnosis_data(), FIELD: "double-click"})

    results, errors = at_once(send, send)
    assert not errors
    diagnosis = Diagnosis.objects.get()
    assert [r.status_code for r in results] == [302, 302]
    assert {r["Location"] for r in results} == {reverse("clients:diagnosis_detail", args=[diagnosis.pk])}
    assert SubmissionToken.objects.get(token="double-click").url == results[0]["Location"]

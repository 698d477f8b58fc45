"""Factories of training, and a course built through the real services up to any status."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from clients.tests.factories import CompanyFactory, EntrepreneurFactory
from training import services
from training.models import Module, Offering


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    name = factory.Sequence(lambda n: f"Curso de prueba {n}")
    hours = 12


def build_offering(
    status: str,
    *,
    coordinator,
    centre,
    capacity: int = 10,
    sessions: int = 4,
    start_in: int = 7,
    instructor=None,
    module=None,
) -> Offering:
    """A course planned by ``coordinator`` at ``centre`` and moved to ``status`` (one session every other day)."""
    module = module or ModuleFactory()
    fields = {"capacity": capacity, "price": Decimal("100"), "subsidy": Decimal("40")}
    if instructor is not None:
        fields["instructor_consultant"] = instructor
    else:
        fields["instructor_user"] = coordinator
    offering = services.offering_create(user=coordinator, centre=centre, module=module, fields=fields)
    first = timezone.localdate() + datetime.timedelta(days=start_in)
    for n in range(sessions):
        services.session_add(
            user=coordinator,
            offering=offering,
            date=first + datetime.timedelta(days=2 * n),
            start_time=datetime.time(18, 0),
            end_time=datetime.time(21, 0),
        )
    path = {"planned": [], "open": ["open"], "running": ["open", "running"], "cancelled": ["cancelled"]}[status]
    for step in path:
        offering = services.offering_set_status(user=coordinator, offering=offering, status=step, reason="Sin aula")
    offering.refresh_from_db()
    return offering


def person(centre, *, with_company: bool = False, **kwargs):
    company = CompanyFactory(centre=centre) if with_company else None
    return EntrepreneurFactory(centre=centre, company=company, **kwargs)

"""Demo data of the consultant directory: about ten consultants, most of them validated on evidence.

Runs after the client registry's demo and before the service apps' (INSTALLED_APPS order),
which assign these consultants. Idempotent: the directory is created once.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from clients.models import Subsector
from core.models import Centre, User

from .models import AccreditationDocument, Consultant, SpecialtyArea

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# One document for each requirement: kind, file name, description ("" : the profession).
EVIDENCE = [
    (AccreditationDocument.Kind.DEGREE, "titulo.pdf", ""),
    (AccreditationDocument.Kind.EXPERIENCE, "constancias-de-trabajo.pdf", "Constancias de consultorías anteriores"),
    (AccreditationDocument.Kind.METHODOLOGY, "certificado-metodologia.pdf", "Curso de metodología de consultoría"),
]

# first name, last name, profession, subsectors, areas, centres, fee, status, username
CONSULTANTS = [
    (
        "Jorge",
        "Mendoza",
        "Ingeniero en industrias alimentarias",
        ["Lácteos", "Panificación y pastelería"],
        ["production"],
        ["Lima"],
        "45.00",
        "validated",
        "consultor",
    ),
    (
        "Elena",
        "Rojas",
        "Ingeniera agroindustrial",
        ["Frutas y hortalizas", "Bebidas"],
        ["production"],
        ["Lima", "Huancayo"],
        "40.00",
        "validated",
        None,
    ),
    (
        "Martín",
        "Poma",
        "Técnico panadero",
        ["Panificación y pastelería"],
        ["production"],
        ["Huancayo"],
        "30.00",
        "validated",
        None,
    ),
    (
        "Silvia",
        "Cárdenas",
        "Administradora de empresas",
        [],
        ["management", "marketing"],
        ["Lima"],
        "50.00",
        "validated",
        None,
    ),
    ("Raúl", "Huanca", "Apicultor", ["Apicultura"], ["production"], ["Huancayo"], "28.00", "validated", None),
    ("Teresa", "Valdivia", "Abogada", [], ["legal"], ["Lima"], "60.00", "proposed", None),
    ("Hugo", "Salas", "Químico", ["Licores y macerados"], ["production"], ["Lima"], "35.00", "rejected", None),
    (
        "Nora",
        "Espinoza",
        "Ingeniera de alimentos",
        ["Confitería y chocolatería"],
        ["production"],
        ["Lima"],
        "42.00",
        "inactive",
        None,
    ),
]


def seed(options, stdout) -> None:
    centres = {c.city: c for c in Centre.objects.filter(name__in=["CentroPyME Lima", "CentroPyME Huancayo"])}
    admin = User.objects.get(username="admin")
    if not Consultant.objects.exists():
        subsectors = {s.name: s for s in Subsector.objects.all()}
        areas = {a.code: a for a in SpecialtyArea.objects.all()}
        for first, last, profession, subs, area_codes, cities, fee, status, username in CONSULTANTS:
            consultant = Consultant.objects.create(
                first_name=first,
                last_name=last,
                profession=profession,
                hourly_fee=Decimal(fee),
                status=status,
                status_decided_by=admin if status != "proposed" else None,
                status_decided_at=timezone.now() if status != "proposed" else None,
                user=User.objects.filter(username=username).first() if username else None,
                email=f"{first.lower()}.{last.lower()}@consultores.pe".replace("í", "i").replace("á", "a"),
            )
            consultant.subsectors.set([subsectors[s] for s in subs])
            consultant.areas.set([areas[a] for a in area_codes])
            consultant.centres.set([centres[c] for c in cities if c in centres])
            # Whoever was decided on has evidence of the three requirements; the proposed one
            # only a degree, so the page shows what is missing before validation.
            kinds = EVIDENCE if status != "proposed" else EVIDENCE[:1]
            for kind, name, description in kinds:
                AccreditationDocument.objects.create(
                    consultant=consultant,
                    kind=kind,
                    description=description or profession,
                    file=ContentFile(PDF, name=name),
                    uploaded_by=admin,
                )
    _expiring_soon()
    stdout.write(f"consultants: {Consultant.objects.count()} consultants")


# Methodology certificates that lapse within the reminders' window, so the bell and the page show them:
# consultant's last name, days from today.
EXPIRING = [("Mendoza", 12), ("Poma", 25)]


def _expiring_soon() -> None:
    """Dated once (a second run finds the dates set and changes nothing)."""
    today = timezone.localdate()
    for last_name, days in EXPIRING:
        document = AccreditationDocument.objects.filter(
            consultant__last_name=last_name, kind=AccreditationDocument.Kind.METHODOLOGY, expires_on__isnull=True
        ).first()
        if document is None:
            continue
        document.issued_on = today - datetime.timedelta(days=365 * 2 - days)
        document.expires_on = today + datetime.timedelta(days=days)
        document.save(update_fields=["issued_on", "expires_on"])

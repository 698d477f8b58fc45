"""Demo data of the front desk: the reference library and about forty consultations over recent months.

Runs after the client registry's demo (INSTALLED_APPS order). Built through the real
services, so durations, flags and referral needs are what the desk would have made;
some referrals are answered through ``clients.services.need_mark_answered``, as the
answering apps will. Idempotent: nothing is added once the desk has consultations.
"""

import datetime
import random

from django.utils import timezone

from clients.models import Company, Subsector
from clients.services import need_mark_answered
from core.models import Centre, User

from .models import Consultation, FactSheet, Supplier, Topic
from .services import consultation_create

# name, what they supply, subsector, contact, source
SUPPLIERS = [
    (
        "Envases Andinos S.A.C.",
        "Frascos de vidrio, tapas twist-off",
        "Frutas y hortalizas",
        "Av. Argentina 2450, Lima · 01 425 1100",
        "centre",
    ),
    (
        "Insumos Panaderos del Centro",
        "Mejoradores, levadura, margarinas",
        "Panificación y pastelería",
        "Jr. Ica 380, Huancayo · 064 231 554",
        "centre",
    ),
    ("Cultivos Lácteos Perú", "Cultivos para yogur y quesos, cuajo", "Lácteos", "ventas@cultivoslacteos.pe", "centre"),
    (
        "Maquinarias Inoxidables E.I.R.L.",
        "Marmitas, pasteurizadores, mesas de acero inoxidable",
        None,
        "964 112 300",
        "centre",
    ),
    ("Plásticos Envasa", "Envases PET y PEAD, preformas", None, "Lista del instituto de envases", "ipenbal"),
    (
        "Etiquetas y Flexibles del Perú",
        "Etiquetas autoadhesivas, bolsas laminadas",
        None,
        "Lista del instituto de envases",
        "ipenbal",
    ),
    ("Cajas y Cartones Lima", "Cajas de cartón corrugado", None, "Lista del instituto de envases", "ipenbal"),
]

FACT_SHEETS = [
    (
        "Registro sanitario de alimentos industrializados (DIGESA)",
        "Quién lo pide: todo fabricante de alimentos y bebidas industrializados.\n"
        "Requisitos: solicitud con carácter de declaración jurada, análisis físico-químico y microbiológico "
        "del producto, rotulado, pago del derecho de trámite. Vigencia: cinco años.",
    ),
    (
        "Habilitación sanitaria de la planta",
        "Antes del registro sanitario: la planta debe cumplir los principios generales de higiene y "
        "tener implementado un plan HACCP cuando corresponda.",
    ),
    (
        "Rotulado de alimentos envasados",
        "Nombre del producto, ingredientes, contenido neto, fecha de vencimiento, lote, "
        "nombre y dirección del fabricante, número de registro sanitario.",
    ),
]

QUESTIONS = [
    ("Información tecnológica", "¿Cómo evito que el yogur se separe?", "Controlar temperatura de incubación (42 °C)."),
    ("Información tecnológica", "¿Qué conservante puedo usar en mermeladas?", "Sorbato de potasio, dosis máxima."),
    ("Información de gestión", "¿Cómo calculo el costo de un pan?", "Hoja de costos: insumos, mano de obra, gastos."),
    ("Mercados y mercadeo", "¿Dónde puedo vender mi miel?", "Ferias de productores y bodegas del distrito."),
    ("Proveedores", "¿Quién vende frascos de vidrio?", "Directorio de proveedores: Envases Andinos."),
    ("Trámites", "¿Qué necesito para el registro sanitario?", "Ficha de DIGESA: requisitos y costos."),
    ("Cursos de capacitación", "¿Hay cursos de buenas prácticas?", "Curso BPM en panaderías el próximo mes."),
    ("Materiales informativos", "¿Tienen una guía de chocolatería?", "Guía metodológica del módulo."),
]

CONTACTS = ["María Flores", "Juan Quispe", "Rosa Mamani", "Pedro Huamán", "Lucía Ccori", "Carlos Rojas"]


def seed(options, stdout) -> None:
    _seed_library()
    if Consultation.objects.exists():
        stdout.write(f"consultations: {Consultation.objects.count()} consultations")
        return
    _seed_consultations()
    stdout.write(f"consultations: {Consultation.objects.count()} consultations, {Supplier.objects.count()} suppliers")


def _seed_library() -> None:
    if Supplier.objects.exists():
        return
    subsectors = {s.name: s for s in Subsector.objects.all()}
    for name, supplies, subsector, contact, source in SUPPLIERS:
        Supplier.objects.create(
            name=name, supplies=supplies, subsector=subsectors.get(subsector), contact=contact, source=source
        )
    for title, body in FACT_SHEETS:
        FactSheet.objects.create(title=title, body=body)


def _seed_consultations() -> None:
    # Not for security: demo data, not security (ruff S311, bandit B311).
    rng = random.Random(10)  # noqa: S311  # nosec B311
    topics = {t.name: t for t in Topic.objects.all()}
    desk = {
        "CentroPyME Lima": User.objects.filter(username="recepcion").first(),
        "CentroPyME Huancayo": User.objects.filter(username="admin").first(),
    }
    coordinator = User.objects.filter(username="coordinador").first() or desk["CentroPyME Lima"]
    suppliers = list(Supplier.objects.all())
    sheets = list(FactSheet.objects.all())
    now = timezone.now()
    for index in range(40):
        centre = Centre.objects.filter(name=list(desk)[index % 2]).first()
        user = desk[centre.name] if centre else None
        if centre is None or user is None:
            continue
        topic_name, question, answer = QUESTIONS[index % len(QUESTIONS)]
        started = now - datetime.timedelta(days=rng.randint(1, 150), hours=rng.randint(0, 6))
        minutes = rng.choice([3, 4, 5, 6, 7, 8, 9, 12, 15])
        company = None
        if index % 3 != 2:
            company = Company.objects.filter(centre=centre).order_by("id")[index : index + 1].first()
        referral = ["", "", "training", "assistance", "credit"][index % 5] if company else ""
        fields = {
            "topic": topics[topic_name],
            "channel": ["visit", "phone", "internet", "visit"][index % 4],
            "subsector": company.subsector if company else None,
            "question": question,
            "answer": answer,
            "started_at": started,
            "ended_at": started + datetime.timedelta(minutes=minutes),
            "company": company,
            "contact_name": "" if company else CONTACTS[index % len(CONTACTS)],
            "contact_phone": "" if company else f"9{rng.randint(10_000_000, 99_999_999)}",
            "referral": referral,
            "referral_course": "BPM en panaderías" if referral == "training" else "",
        }
        consultation = consultation_create(
            user=user,
            centre=centre,
            fields=fields,
            suppliers=suppliers[:1] if topic_name == "Proveedores" else [],
            fact_sheets=sheets[:1] if topic_name == "Trámites" else [],
        )
        # Half the referrals were answered (the course taken, the service opened, the loan granted).
        if consultation.need and index % 2 == 0:
            need_mark_answered(user=coordinator, need=consultation.need, answered_by=str(topics[topic_name]))

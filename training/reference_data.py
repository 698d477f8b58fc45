"""The module catalogue of the seed's annex: modules handed over to CentroPyME Junín (9.1) and Lima (9.2).

Loaded after every migrate (and test-database flush) when missing; the modules are
linked to the centre that holds them once that centre exists (``seed_demo`` creates
the demo centres after migrate, and calls this again).
"""

import datetime

M, G, T, C = "manual", "guide", "tests", "content"
FULL = (M, G, T)

# Name, month delivered (year, month), components, subsector, hours.
JUNIN = [
    ("Control de calidad en licores y tratamiento de agua", (2000, 7), FULL, "Licores y macerados", 16),
    ("Marketing para microempresas de panadería", (2000, 9), FULL, "Panificación y pastelería", 12),
    ("Programa de saneamiento e higiene en la elaboración de helados", (2000, 10), FULL, "Lácteos", 12),
    (
        "Programa de saneamiento y buenas prácticas de manufactura en microempresas molineras",
        (2000, 11),
        FULL,
        "Molinería",
        16,
    ),
    ("Mejoramiento y aseguramiento de la calidad de producción de miel", (2001, 5), FULL, "Apicultura", 16),
    ("Actualización y diversificación de productos apícolas", (2001, 6), FULL, "Apicultura", 16),
    ("Actualización en elaboración de helados", (2001, 7), FULL, "Lácteos", 12),
    ("Actualización en panificación", (2001, 9), FULL, "Panificación y pastelería", 16),
    ("Bocaditos para buffet", (2001, 11), FULL, "Otros", 12),
    ("Buffet decorativo", (2001, 11), FULL, "Otros", 12),
    ("Actualización y diversificación de productos derivados de propóleos", (2002, 5), FULL, "Apicultura", 12),
    (
        "Calidad en atención al cliente para microempresas de procesamiento de alimentos",
        (2002, 5),
        FULL,
        "Otros",
        12,
    ),
    ("Aseguramiento de la calidad en restaurantes", (2002, 6), FULL, "Otros", 12),
    ("Crianza caprina e importancia de derivados lácteos", (2002, 9), FULL, "Lácteos", 16),
    ("Taller de pastelería fina", (2002, 11), (M, C), "Panificación y pastelería", 16),
]

LIMA = [
    ("Elaboración de panes dulces", (2001, 10), (M, G), "Panificación y pastelería", 16),
    ("Marketing para panaderías", (2002, 2), FULL, "Panificación y pastelería", 12),
    ("Elaboración de helados de frutas y chupetes", (2002, 3), FULL, "Frutas y hortalizas", 12),
    ("Sistema de aseguramiento de calidad en cevicherías (propietarios)", (2002, 6), FULL, "Otros", 12),
    ("Sistema de aseguramiento de calidad en cevicherías (cocineros)", (2002, 6), FULL, "Otros", 12),
    ("Técnicas de atención al cliente (mozos)", (2002, 4), FULL, "Otros", 8),
    ("Administración y costos para restaurantes", (2002, 5), (M, T), "Otros", 12),
    ("Marketing y plan de negocios para restaurantes", (2002, 5), FULL, "Otros", 12),
    ("Técnicas de venta y relaciones con el cliente", (2002, 12), FULL, "Otros", 12),
    ("Buenas prácticas de manufactura en panaderías", (2003, 9), FULL, "Panificación y pastelería", 12),
    ("Determinación de costos para empresas de panadería", (2003, 9), (M, G), "Panificación y pastelería", 12),
]

# The centre that received each list, by department (the seed's "CentroPyME Junín" is Huancayo's).
HOLDERS = {"Junín": JUNIN, "Lima": LIMA}

COMPONENT_KINDS = {M: ["manual"], G: ["guide"], T: ["entry_test", "exit_test"], C: ["content"]}


def load_reference_data(*, Module, ModuleComponent, Subsector, Centre) -> None:  # noqa: N803 - model classes
    subsectors = {s.name: s for s in Subsector.objects.all()}
    existing = set(Module.objects.values_list("name", flat=True))
    for department, modules in HOLDERS.items():
        centres = list(Centre.objects.filter(department=department))
        for name, (year, month), components, subsector, hours in modules:
            if name not in existing:
                module = Module.objects.create(
                    name=name,
                    subsector=subsectors.get(subsector),
                    hours=hours,
                    delivered_on=datetime.date(year, month, 1),
                    audience="Empresarios y trabajadores de la micro y pequeña empresa",
                )
                ModuleComponent.objects.bulk_create(
                    [ModuleComponent(module=module, kind=kind) for part in components for kind in COMPONENT_KINDS[part]]
                )
                existing.add(name)
            if centres:
                Module.objects.get(name=name).centres.add(*centres)


def ensure_after_migrate(sender, app_config=None, **kwargs) -> None:
    if app_config is None or app_config.label != "training":
        return
    load_current()


def load_current() -> None:
    from clients.models import Subsector
    from core.models import Centre

    from .models import Module, ModuleComponent

    load_reference_data(Module=Module, ModuleComponent=ModuleComponent, Subsector=Subsector, Centre=Centre)

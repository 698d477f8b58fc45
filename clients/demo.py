"""Demo data for the client registry.

Two parts, both idempotent:

* a realistic set: about forty companies of CentroPyME Lima and CentroPyME
  Huancayo with their owners, fifteen emprendedores without a business
  (protoempresas) and a few diagnoses with their problem trees. They go through
  the services, so every rule (RUC check digit, size class, needs) applies. Each
  record is looked up before it is created: a second run adds nothing.
* ``seed_demo --companies N`` tops the registry up to N companies in total with
  cheap generated records (bulk inserts, no history rows), for the benchmark and
  for trying the lists at scale. It never goes beyond N.
"""

import datetime
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone
from stdnum.pe import ruc as stdnum_ruc

from core.models import Centre, User

from . import services
from .models import (
    Company,
    Diagnosis,
    EducationLevel,
    Entrepreneur,
    LegalForm,
    Need,
    NeedType,
    ProblemNode,
    RucStatus,
    Subsector,
    Ubigeo,
)

LIMA = "CentroPyME Lima"
HUANCAYO = "CentroPyME Huancayo"
SALES_YEAR = 2025
BATCH = 5000

# Short keys for the subsector catalogue (reference_data.SUBSECTORS).
SUBSECTOR_NAMES = {
    "bakery": "Panificación y pastelería",
    "dairy": "Lácteos",
    "fruit": "Frutas y hortalizas",
    "chocolate": "Confitería y chocolatería",
    "bees": "Apicultura",
    "liquor": "Licores y macerados",
    "milling": "Molinería",
    "meat": "Cárnicos",
    "drinks": "Bebidas",
    "pasta": "Pastas y fideos",
    "other": "Otros",
}


def ruc_with_check_digit(first_ten: str) -> str:
    """An 11-digit RUC: 10 (natural person, followed by the DNI) or 20 (legal person) and the check digit."""
    return first_ten + stdnum_ruc.calc_check_digit(first_ten)


# --- The realistic set ---------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    first_name: str
    last_name: str
    gender: str
    birth_year: int
    education: str
    dni: str


@dataclass(frozen=True)
class DemoCompany:
    centre: str
    legal_name: str
    legal_form: str
    subsector: str
    district: str
    address: str
    start_year: int
    workers: tuple[int, int, int, int]  # permanent men, permanent women, temporary men, temporary women
    sales: int | None
    lines: str
    owner: Owner | None = None
    trade_name: str = ""
    sanitary: bool = False
    brand: bool = False
    ruc_status: str = RucStatus.ACTIVE


E = EducationLevel
NAT, EIRL, SRL, SAC, COOP, INFORMAL = (
    LegalForm.NATURAL_PERSON,
    LegalForm.EIRL,
    LegalForm.SRL,
    LegalForm.SAC,
    LegalForm.COOPERATIVE,
    LegalForm.NONE,
)

# INEI districts: Lima 150103 Ate, 150106 Carabayllo, 150110 Comas, 150112 Independencia, 150117 Los Olivos,
# 150125 Puente Piedra, 150132 San Juan de Lurigancho, 150135 San Martín de Porres, 150142 Villa El Salvador,
# 150143 Villa María del Triunfo; Huancayo 120101 Huancayo, 120107 Chilca, 120114 El Tambo, 120125 Pilcomayo,
# 120133 Sapallanga.
COMPANIES = [
    # --- CentroPyME Lima ---
    DemoCompany(LIMA, "Panificadora El Trigal S.A.C.", SAC, "bakery", "150132", "Av. Próceres de la Independencia 2140",
                2004, (4, 3, 2, 1), 420_000, "Pan francés/Pan de yema/Tortas/Bizcochos",
                Owner("Julio César", "Rojas Huamán", "M", 1972, E.HIGHER_INCOMPLETE, "41520387"),
                trade_name="El Trigal", sanitary=True),
    DemoCompany(LIMA, "Panadería y Pastelería San Judas Tadeo", NAT, "bakery", "150110", "Av. Túpac Amaru 3456",
                2011, (2, 2, 0, 1), 180_000, "Pan francés/Pan ciabatta/Keke marmoleado",
                Owner("María Elena", "Quispe Flores", "F", 1980, E.SECONDARY, "42873561")),
    DemoCompany(LIMA, "Panadería Doña Juana", INFORMAL, "bakery", "150142", "Sector 3 Grupo 12 Mz. F Lt. 8",
                2019, (0, 2, 1, 0), 48_000, "Pan francés/Pan de camote",
                Owner("Juana", "Ccahuana Pari", "F", 1975, E.PRIMARY, "40318822")),
    DemoCompany(LIMA, "Lácteos Santa Rosa E.I.R.L.", EIRL, "dairy", "150103", "Carretera Central km 7.5",
                1998, (5, 4, 1, 2), 1_450_000, "Yogur batido/Queso fresco/Manjar blanco/Leche fresca pasteurizada",
                Owner("Rosa Luz", "Mendoza Vílchez", "F", 1968, E.HIGHER, "09871234"),
                trade_name="Santa Rosa", sanitary=True, brand=True),
    DemoCompany(LIMA, "Bizcochería La Espiga de Oro", NAT, "bakery", "150135", "Av. Perú 2870",
                2008, (1, 3, 0, 0), 150_000, "Bizcochos/Alfajores/Pan de dulce",
                Owner("Carmen Rosa", "Villanueva Soto", "F", 1977, E.SECONDARY, "41002976")),
    DemoCompany(LIMA, "Pastelería Dulce Tentación E.I.R.L.", EIRL, "bakery", "150117", "Av. Carlos Izaguirre 980",
                2014, (2, 5, 0, 2), 380_000, "Tortas de cumpleaños/Empanadas/Postres en vaso",
                Owner("Giovanna", "Salazar Ramos", "F", 1985, E.HIGHER, "43669810"),
                trade_name="Dulce Tentación", sanitary=True),
    DemoCompany(LIMA, "Panificadora Los Andes S.R.L.", SRL, "bakery", "150112", "Av. Túpac Amaru 1230",
                1996, (6, 2, 2, 0), 720_000, "Pan francés/Pan integral/Panetón/Pan de molde",
                Owner("Teodoro", "Huamaní Cárdenas", "M", 1961, E.SECONDARY, "08457713"),
                sanitary=True),
    DemoCompany(LIMA, "Chocolatería Cacao Sumaq E.I.R.L.", EIRL, "chocolate", "150117", "Jr. Río Santa 345",
                2016, (1, 4, 0, 2), 260_000, "Bombones/Tabletas de chocolate al 70 %/Chocotejas",
                Owner("Lizbeth", "Paredes Ochoa", "F", 1988, E.HIGHER, "45120986"),
                trade_name="Cacao Sumaq", sanitary=True, brand=True),
    DemoCompany(LIMA, "Confitería Dulces Lucerito", INFORMAL, "chocolate", "150132", "Jr. Los Amautas 178",
                2020, (0, 1, 0, 2), 36_000, "Chupetes/Turrones/Cocadas",
                Owner("Lucía", "Condori Apaza", "F", 1990, E.SECONDARY_INCOMPLETE, "46235571")),
    DemoCompany(LIMA, "Frutos del Valle Agroindustrias S.A.C.", SAC, "fruit", "150103", "Av. Nicolás Ayllón 5120",
                2009, (3, 6, 4, 8), 2_300_000, "Mermelada de fresa/Néctar de mango/Aguaymanto deshidratado",
                Owner("Ricardo", "Espinoza Lazo", "M", 1970, E.HIGHER, "10293847"),
                trade_name="Frutos del Valle", sanitary=True, brand=True),
    DemoCompany(LIMA, "Mermeladas Doña Fina", NAT, "fruit", "150110", "Jr. Los Cedros 221",
                2015, (0, 2, 0, 1), 95_000, "Mermelada de aguaymanto/Mermelada de tuna",
                Owner("Josefina", "Tello Castro", "F", 1966, E.PRIMARY, "07765432"),
                sanitary=True),
    DemoCompany(LIMA, "Licores y Macerados El Pisquerito", NAT, "liquor", "150142", "Av. Revolución 1450",
                2012, (1, 1, 1, 0), 130_000, "Macerado de maracuyá/Macerado de cacao/Crema de pisco",
                Owner("Wilfredo", "Anccasi Torres", "M", 1974, E.SECONDARY, "40981234")),
    DemoCompany(LIMA, "Apícola Miel del Sur E.I.R.L.", EIRL, "bees", "150143", "Av. Pachacútec 3890",
                2010, (2, 1, 1, 1), 210_000, "Miel de abeja/Polen/Propóleo",
                Owner("Hugo", "Cáceres Meza", "M", 1965, E.HIGHER_INCOMPLETE, "08123456"),
                sanitary=True),
    DemoCompany(LIMA, "Embutidos La Serranita S.A.C.", SAC, "meat", "150132", "Av. Fernando Wiese 4520",
                2003, (4, 2, 2, 0), 890_000, "Chorizo/Jamonada/Salchicha huachana",
                Owner("Edwin", "Ñaupari Ticse", "M", 1969, E.SECONDARY, "20045678"),
                trade_name="La Serranita", sanitary=True),
    DemoCompany(LIMA, "Bebidas Naturales Inka Fresh", INFORMAL, "drinks", "150135", "Av. Canta Callao 1200",
                2021, (1, 1, 0, 0), 60_000, "Chicha morada/Refresco de maracuyá",
                Owner("Kevin", "Ramos Chávez", "M", 1996, E.HIGHER_INCOMPLETE, "72345610")),
    DemoCompany(LIMA, "Fideos Caseros La Italiana E.I.R.L.", EIRL, "pasta", "150110", "Av. Universitaria Norte 8870",
                2007, (2, 2, 1, 0), 310_000, "Tallarín/Fideo canuto/Lasaña",
                Owner("Angela", "Bertolotto Ruiz", "F", 1973, E.HIGHER, "09988776"),
                sanitary=True),
    DemoCompany(LIMA, "Molinos Santa Catalina S.R.L.", SRL, "milling", "150103", "Av. Separadora Industrial 1850",
                1992, (8, 2, 3, 0), 10_500_000, "Harina de trigo/Sémola/Harina de maíz",
                Owner("Alberto", "Gutiérrez Pinto", "M", 1958, E.HIGHER, "06543210"),
                sanitary=True, brand=True),
    DemoCompany(LIMA, "Panadería El Buen Pan", INFORMAL, "bakery", "150112", "Jr. Las Esmeraldas 512",
                2022, (1, 0, 1, 0), None, "Pan francés/Pan chapla",
                Owner("Segundo", "Chuquimango Vásquez", "M", 1983, E.PRIMARY_INCOMPLETE, "44557799")),
    DemoCompany(LIMA, "Quesos y Yogures Monteflor", NAT, "dairy", "150125", "Av. Juan Lecaros 310",
                2013, (1, 2, 0, 1), 170_000, "Queso fresco/Yogur de fresa/Queso mantecoso",
                Owner("Marisol", "Yupanqui León", "F", 1979, E.SECONDARY, "41886420"),
                sanitary=True),
    DemoCompany(LIMA, "Panadería Señor de los Milagros", NAT, "bakery", "150132", "Av. Canto Grande 2310",
                2005, (1, 1, 0, 0), 70_000, "Pan francés/Turrón de Doña Pepa",
                Owner("Víctor", "Sánchez Aguilar", "M", 1964, E.SECONDARY_INCOMPLETE, "08991122"),
                ruc_status=RucStatus.SUSPENDED),
    DemoCompany(LIMA, "Panificadora Virgen de Chapi S.A.C.", SAC, "bakery", "150106", "Av. Túpac Amaru km 18",
                2017, (3, 3, 1, 1), 510_000, "Pan francés/Pan de molde/Empanadas",
                Owner("Fredy", "Mamani Coaquira", "M", 1981, E.HIGHER_INCOMPLETE, "42567788")),
    DemoCompany(LIMA, "Chocotejas Delicias de Ica", INFORMAL, "chocolate", "150135", "Jr. Las Gardenias 640",
                2018, (0, 2, 0, 0), 54_000, "Chocotejas de pecana/Chocotejas de manjar",
                None),
    # --- CentroPyME Huancayo ---
    DemoCompany(HUANCAYO, "Panificadora El Huanca S.A.C.", SAC, "bakery", "120101", "Jr. Ancash 845",
                1999, (5, 3, 2, 1), 650_000, "Pan de Huancayo/Pan de maíz/Bizcochos/Rosca",
                Owner("Marco Antonio", "Ricse Canchumanya", "M", 1967, E.HIGHER, "19876543"),
                trade_name="El Huanca", sanitary=True),
    DemoCompany(HUANCAYO, "Panadería Santa Isabel", NAT, "bakery", "120114", "Av. Mariscal Castilla 2345",
                2006, (2, 2, 0, 0), 140_000, "Pan de yema/Pan chuta/Pan francés",
                Owner("Isabel", "Huaroc Poma", "F", 1970, E.SECONDARY, "20123987"),
                sanitary=True),
    DemoCompany(HUANCAYO, "Bizcochos de Huancayo Doña Lucha", INFORMAL, "bakery", "120107", "Av. Leoncio Prado 760",
                2018, (0, 2, 0, 1), 42_000, "Bizcochos/Wawas de pan",
                Owner("Luzmila", "Taipe Ñahui", "F", 1962, E.PRIMARY, "19998877")),
    DemoCompany(HUANCAYO, "Panadería Wanka Pan E.I.R.L.", EIRL, "bakery", "120114", "Av. Huancavelica 1890",
                2010, (3, 2, 1, 1), 300_000, "Pan francés/Pan integral/Tortas",
                Owner("Rubén", "Camarena Quispe", "M", 1978, E.HIGHER_INCOMPLETE, "41223344"),
                trade_name="Wanka Pan"),
    DemoCompany(HUANCAYO, "Lácteos Mantaro S.R.L.", SRL, "dairy", "120125", "Av. Centenario 420",
                2001, (4, 3, 3, 2), 1_250_000, "Queso andino/Yogur/Mantequilla/Manjar blanco",
                Owner("Gladys", "Orihuela Baquerizo", "F", 1963, E.HIGHER, "20456123"),
                trade_name="Mantaro", sanitary=True, brand=True),
    DemoCompany(HUANCAYO, "Quesería Virgen de Cocharcas", NAT, "dairy", "120107", "Jr. Amazonas 1120",
                2012, (1, 2, 0, 0), 110_000, "Queso fresco/Quesillo",
                Owner("Teófilo", "Cóndor Rivera", "M", 1959, E.PRIMARY, "19554433")),
    DemoCompany(HUANCAYO, "Productos Lácteos Huaytapallana E.I.R.L.", EIRL, "dairy", "120101", "Av. Giráldez 560",
                2009, (2, 3, 1, 0), 480_000, "Yogur natural/Queso mantecoso/Leche chocolatada",
                Owner("Nelly", "Vilcahuamán Rojas", "F", 1976, E.HIGHER, "40112233"),
                sanitary=True),
    DemoCompany(HUANCAYO, "Derivados Lácteos Nuestra Señora de Ocopa", NAT, "dairy", "120114", "Jr. Julio Sumar 455",
                2016, (1, 1, 0, 1), 140_000, "Yogur de aguaymanto/Queso fresco",
                Owner("Elsa", "Huamán Arroyo", "F", 1984, E.SECONDARY, "43321100")),
    DemoCompany(HUANCAYO, "Mermeladas y Néctares Valle del Mantaro S.A.C.", SAC, "fruit", "120114",
                "Av. Evitamiento 1450", 2011, (2, 4, 2, 4), 690_000,
                "Néctar de sauco/Mermelada de sauco/Mermelada de aguaymanto/Néctar de maracuyá",
                Owner("Raúl", "Lazo Inga", "M", 1971, E.HIGHER, "20778899"),
                trade_name="Valle del Mantaro", sanitary=True),
    DemoCompany(HUANCAYO, "Conservas Sauco Andino", INFORMAL, "fruit", "120133", "Jr. Huáscar 230",
                2020, (1, 1, 0, 2), 38_000, "Mermelada de sauco/Sauco en almíbar",
                Owner("Felícita", "Quispe Cairo", "F", 1987, E.SECONDARY_INCOMPLETE, "44990011")),
    DemoCompany(HUANCAYO, "Apícola Miel de Pariahuanca", NAT, "bees", "120101", "Jr. Puno 1090",
                2014, (1, 1, 0, 0), 85_000, "Miel de abeja/Polen",
                Owner("Abel", "Limaylla Suárez", "M", 1975, E.SECONDARY, "20991122"),
                sanitary=True),
    DemoCompany(HUANCAYO, "Cooperativa Apícola Unidos del Mantaro", COOP, "bees", "120125", "Jr. Progreso 115",
                2008, (3, 2, 0, 0), 260_000, "Miel de abeja/Jalea real/Cera",
                None, sanitary=True),
    DemoCompany(HUANCAYO, "Licores Macerados Don Saturnino", NAT, "liquor", "120107", "Av. 9 de Diciembre 870",
                2013, (1, 0, 1, 0), 90_000, "Macerado de maca/Licor de sauco",
                Owner("Saturnino", "Paucar Meza", "M", 1955, E.PRIMARY, "19223344")),
    DemoCompany(HUANCAYO, "Destilería Artesanal La Huanca E.I.R.L.", EIRL, "liquor", "120101", "Jr. Cajamarca 620",
                2015, (2, 1, 1, 0), 230_000, "Licor de tuna/Macerado de aguaymanto/Anisado",
                Owner("Jaime", "Zevallos Perales", "M", 1980, E.HIGHER, "41556677"),
                sanitary=True),
    DemoCompany(HUANCAYO, "Molinería San Cristóbal S.A.C.", SAC, "milling", "120114", "Av. Ferrocarril 3100",
                1995, (6, 1, 2, 0), 1_900_000, "Harina de trigo/Harina de maíz/Harina de haba/Máchica",
                Owner("Cristóbal", "Mucha Salcedo", "M", 1957, E.SECONDARY, "19445566"),
                sanitary=True, brand=True),
    DemoCompany(HUANCAYO, "Embutidos Wanka E.I.R.L.", EIRL, "meat", "120107", "Av. Ocopilla 340",
                2012, (2, 1, 1, 0), 350_000, "Chorizo huancaíno/Jamón del país/Morcilla",
                Owner("Beatriz", "Canchanya Huatuco", "F", 1974, E.HIGHER_INCOMPLETE, "20334455"),
                sanitary=True),
    DemoCompany(HUANCAYO, "Chocolatería Qori Cacao", INFORMAL, "chocolate", "120101", "Jr. Loreto 212",
                2021, (0, 2, 0, 1), 30_000, "Bombones de maca/Chocolate de taza",
                Owner("Milagros", "Ticse Ordóñez", "F", 1995, E.HIGHER, "73450981")),
    DemoCompany(HUANCAYO, "Bebidas Andinas Maca Power S.A.C.", SAC, "drinks", "120114", "Av. Coronel Parra 1290",
                2014, (2, 2, 1, 1), 540_000, "Bebida de maca/Quinua con manzana/Chicha de jora",
                Owner("Óscar", "Aliaga Berrospi", "M", 1982, E.HIGHER, "42998877"),
                trade_name="Maca Power", sanitary=True),
    DemoCompany(HUANCAYO, "Fideería San José de Huancayo", NAT, "pasta", "120101", "Jr. Arequipa 980",
                2003, (2, 1, 0, 0), 160_000, "Tallarín/Fideo cabello de ángel",
                Owner("José", "Inga Palomino", "M", 1960, E.SECONDARY, "19667788")),
    DemoCompany(HUANCAYO, "Panadería Pan de Chilca", INFORMAL, "bakery", "120107", "Jr. Arica 155",
                2023, (1, 1, 0, 0), None, "Pan francés/Pan de yema",
                None),
]  # fmt: skip

# A family member who also works in the business, by company.
FAMILY = {
    "Panificadora El Trigal S.A.C.": Owner("Sonia", "Rojas Huamán", "F", 1976, E.SECONDARY, "41520390"),
    "Lácteos Mantaro S.R.L.": Owner("Diego", "Orihuela Baquerizo", "M", 1992, E.HIGHER, "47120033"),
    "Mermeladas Doña Fina": Owner("Kathy", "Tello Castro", "F", 1994, E.HIGHER_INCOMPLETE, "48765012"),
}

# Emprendedores without a running business (protoempresas): centre, district, person, business idea.
PROTOENTERPRISES = [
    (LIMA, "150110", Owner("Yolanda", "Cruz Huillca", "F", 1991, E.SECONDARY, "46781234"),
     "Yogur de aguaymanto con quinua para las bodegas de Comas"),
    (LIMA, "150132", Owner("Jhon", "Pérez Cabrera", "M", 1998, E.HIGHER_INCOMPLETE, "73990456"),
     "Galletas de kiwicha y avena para loncheras escolares"),
    (LIMA, "150142", Owner("Rocío", "Vargas Chumpitaz", "F", 1987, E.SECONDARY, "44001928"),
     "Panetón artesanal de chocolate para la campaña navideña"),
    (LIMA, "150103", Owner("Nilda", "Huarcaya Pumayalli", "F", 1972, E.PRIMARY, "09127654"),
     "Chicha morada embotellada para restaurantes de la Carretera Central"),
    (LIMA, "150117", Owner("Alex", "Torres Vílchez", "M", 1994, E.HIGHER, "47003321"),
     "Mermelada de tuna morada sin azúcar añadida"),
    (LIMA, "150135", Owner("Flor de María", "Gonzales Lévano", "F", 1983, E.SECONDARY, "42210987"),
     "Chocotejas rellenas de pecana y lúcuma"),
    (LIMA, "150112", Owner("Carlos", "Huanca Mamani", "M", 1979, E.SECONDARY_INCOMPLETE, "40665432"),
     "Tallarines de quinua para tiendas naturistas"),
    (LIMA, "150143", Owner("Mónica", "Espinoza Quiroz", "F", 2000, E.HIGHER_INCOMPLETE, "75123409"),
     "Miel de abeja en sachet para desayunos escolares"),
    (HUANCAYO, "120114", Owner("Wilder", "Rojas Ñahui", "M", 1990, E.HIGHER, "45678120"),
     "Queso andino madurado de Pilcomayo para supermercados de Lima"),
    (HUANCAYO, "120101", Owner("Lourdes", "Poma Cóndor", "F", 1985, E.SECONDARY, "43219870"),
     "Néctar de sauco pasteurizado"),
    (HUANCAYO, "120107", Owner("Edgar", "Huaroc Taipe", "M", 1977, E.PRIMARY, "20665501"),
     "Chorizo huancaíno artesanal al vacío"),
    (HUANCAYO, "120125", Owner("Yeni", "Ricse Limaylla", "F", 1993, E.SECONDARY, "46550213"),
     "Harina de haba tostada y máchica para exportación"),
    (HUANCAYO, "120133", Owner("Paulino", "Canchumanya Inga", "M", 1968, E.PRIMARY_INCOMPLETE, "19887015"),
     "Cancha serrana y habas tostadas envasadas"),
    (HUANCAYO, "120114", Owner("Diana", "Zárate Orihuela", "F", 1999, E.HIGHER_INCOMPLETE, "74012987"),
     "Macerado de maca con algarrobina"),
    (HUANCAYO, "120101", Owner("Norma", "Quispe Huatuco", "F", 1981, E.SECONDARY, "41990345"),
     "Manjar blanco de leche de cabra"),
]  # fmt: skip


@dataclass(frozen=True)
class DemoDiagnosis:
    company: str
    days_ago: int
    baseline: dict
    needs: dict
    central: str
    causes: list  # a cause, or (cause, [causes of that cause])
    effects: list
    complete: bool


DIAGNOSES = [
    DemoDiagnosis(
        "Panificadora El Trigal S.A.C.", 95,
        {"product_line_count": 4, "patrimonial_band": "7500_10000", "equipment_band": "3000_6000",
         "working_day": "gt8", "workers_men": 6, "workers_women": 4, "monthly_sales": Decimal("35000")},
        {NeedType.TRAINING: "Buenas prácticas de manufactura", NeedType.ASSISTANCE: "Costos y mermas",
         NeedType.CREDIT: "Horno rotativo"},
        "Alta merma de producción y costos sin controlar",
        [("Recetas no estandarizadas", ["No pesan los insumos"]), "Horno a leña de temperatura irregular"],
        ["Margen de ganancia bajo", "Reclamos de clientes por pan quemado"],
        complete=True,
    ),
    DemoDiagnosis(
        "Lácteos Santa Rosa E.I.R.L.", 70,
        {"product_line_count": 4, "patrimonial_band": "gt10000", "equipment_band": "gt6000",
         "working_day": "8", "workers_men": 6, "workers_women": 6, "monthly_sales": Decimal("120000"),
         "is_formal": True},
        {NeedType.COMMERCIAL: "Ingreso a supermercados", NeedType.ASSISTANCE: "Vida útil del yogur"},
        "El yogur se malogra antes de la fecha de vencimiento",
        ["Cadena de frío interrumpida en la distribución", "Cultivos lácticos mal conservados"],
        ["Devoluciones de las bodegas", "Pérdida de clientes mayoristas"],
        complete=True,
    ),
    DemoDiagnosis(
        "Frutos del Valle Agroindustrias S.A.C.", 60,
        {"product_line_count": 3, "patrimonial_band": "gt10000", "equipment_band": "gt6000",
         "working_day": "gt8", "workers_men": 7, "workers_women": 14, "monthly_sales": Decimal("190000"),
         "is_formal": True},
        {NeedType.EQUIPMENT: "Deshidratador de bandejas", NeedType.INFORMATION: "Requisitos de exportación"},
        "Producción de aguaymanto deshidratado insuficiente para los pedidos",
        ["Secado al sol dependiente del clima", "Falta de proveedores estables de fruta"],
        ["Pedidos de exportación rechazados"],
        complete=True,
    ),
    DemoDiagnosis(
        "Panificadora Los Andes S.R.L.", 45,
        {"product_line_count": 4, "patrimonial_band": "gt10000", "equipment_band": "3000_6000",
         "working_day": "gt8", "workers_men": 8, "workers_women": 2, "monthly_sales": Decimal("60000"),
         "is_formal": True},
        {NeedType.TRAINING: "Gestión de ventas", NeedType.COMMERCIAL: "Feria de panaderos"},
        "Ventas estancadas frente a las panaderías de cadena",
        ["Sin registro de ventas por producto", "Presentación poco atractiva"],
        ["Capacidad ociosa del horno", "Rotación del personal"],
        complete=True,
    ),
    DemoDiagnosis(
        "Embutidos La Serranita S.A.C.", 30,
        {"product_line_count": 3, "patrimonial_band": "gt10000", "equipment_band": "gt6000",
         "working_day": "8", "workers_men": 6, "workers_women": 2, "monthly_sales": Decimal("74000"),
         "is_formal": True},
        {NeedType.ASSISTANCE: "Plan HACCP", NeedType.TRAINING: "Higiene en planta de cárnicos"},
        "Observaciones de DIGESA en la última inspección",
        ["Flujo de planta cruzado", "Registros de limpieza incompletos"],
        ["Riesgo de cierre temporal"],
        complete=True,
    ),
    DemoDiagnosis(
        "Panadería y Pastelería San Judas Tadeo", 12,
        {"product_line_count": 3, "patrimonial_band": "2500_5000", "equipment_band": "1000_3000",
         "working_day": "gt8", "workers_men": 2, "workers_women": 3, "monthly_sales": Decimal("15000")},
        {NeedType.TRAINING: "Pastelería fina", NeedType.CREDIT: "Batidora industrial"},
        "Productos de pastelería de calidad irregular",
        ["Sin fichas técnicas", "Batidora doméstica insuficiente"],
        ["Pocas ventas de tortas por encargo"],
        complete=False,
    ),
    DemoDiagnosis(
        "Chocolatería Cacao Sumaq E.I.R.L.", 8,
        {"product_line_count": 3, "patrimonial_band": "5000_7500", "working_day": "8"},
        {NeedType.COMMERCIAL: "Tiendas gourmet", NeedType.INFORMATION: "Rotulado nutricional"},
        "El chocolate pierde brillo (bloom) en las tiendas",
        ["Temperado manual sin termómetro"],
        [],
        complete=False,
    ),
    DemoDiagnosis(
        "Quesos y Yogures Monteflor", 3,
        {"product_line_count": 3},
        {NeedType.COMMERCIAL: "Red de productores lácteos"},
        "",
        [],
        [],
        complete=False,
    ),
]  # fmt: skip


def _owner_fields(person: Owner) -> dict:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "gender": person.gender,
        "birth_year": person.birth_year,
        "education": person.education,
        "dni": person.dni,
        "phone": f"9{person.dni}",
    }


def _company_fields(spec: DemoCompany, index: int, subsectors: dict) -> dict:
    if spec.legal_form == LegalForm.NONE:
        ruc = None
    elif spec.legal_form == LegalForm.NATURAL_PERSON:
        ruc = ruc_with_check_digit(f"10{spec.owner.dni}")
    else:
        ruc = ruc_with_check_digit(f"20{51_000_000 + index * 10_007:08d}")
    pm, pw, tm, tw = spec.workers
    fields = {
        "legal_name": spec.legal_name,
        "trade_name": spec.trade_name,
        "ruc": ruc,
        "ruc_status": spec.ruc_status if ruc else RucStatus.NONE,
        "is_formal": ruc is not None,
        "legal_form": spec.legal_form,
        "subsector": subsectors[spec.subsector],
        "product_lines": "\n".join(spec.lines.split("/")),
        "address": spec.address,
        "district": Ubigeo.objects.get(code=spec.district),
        "start_year": spec.start_year,
        "permanent_men": pm,
        "permanent_women": pw,
        "temporary_men": tm,
        "temporary_women": tw,
        "annual_sales": Decimal(spec.sales) if spec.sales is not None else None,
        "sales_year": SALES_YEAR if spec.sales is not None else None,
        # Landlines: seven digits in Lima (01), six in Huancayo (064).
        "phone": f"01 {4_000_000 + index * 37_513 % 999_999}"
        if spec.centre == LIMA
        else f"064 {210_000 + index * 613}",
        "consent_to_contact": index % 3 != 0,
    }
    if spec.sanitary:
        fields["sanitary_registration_number"] = (
            f"A{44_000 + index * 131:05d}{index % 10}N/NA{spec.subsector[:4].upper()}"
        )
        fields["sanitary_registration_date"] = datetime.date(2016 + index % 9, 1 + index % 12, 1 + index % 28)
    if spec.brand:
        fields["brand_registration_number"] = f"P{100_000 + index * 977:08d}"
        fields["brand_registration_date"] = datetime.date(2015 + index % 9, 1 + index * 5 % 12, 10)
    if index % 4 == 0:
        fields["email"] = f"ventas{index}@{spec.subsector}-demo.pe"
    return fields


def _seed_realistic(*, centres: dict, users: dict) -> dict:
    subsectors = {key: Subsector.objects.get(name=name) for key, name in SUBSECTOR_NAMES.items()}
    today = timezone.localdate()
    created = {"companies": 0, "people": 0, "diagnoses": 0}
    for index, spec in enumerate(COMPANIES):
        centre = centres[spec.centre]
        user = users[spec.centre]
        if Company.objects.filter(centre=centre, legal_name=spec.legal_name).exists():
            continue
        company = services.company_create(
            user=user,
            centre=centre,
            fields=_company_fields(spec, index, subsectors),
            confirm_similar=True,
        )
        created["companies"] += 1
        people = [(spec.owner, "owner"), (FAMILY.get(spec.legal_name), "family")]
        for person, relationship in people:
            if person is None or Entrepreneur.objects.filter(dni=person.dni).exists():
                continue
            services.entrepreneur_create(
                user=user,
                centre=centre,
                fields={
                    **_owner_fields(person),
                    "company": company,
                    "relationship": relationship,
                    "district": company.district,
                    "consent_to_contact": True,
                },
            )
            created["people"] += 1
        for plan in DIAGNOSES:
            if plan.company == spec.legal_name:
                _diagnose(company=company, plan=plan, promoter=users["promoter"], today=today)
                created["diagnoses"] += 1
    for centre_name, district, person, idea in PROTOENTERPRISES:
        if Entrepreneur.objects.filter(dni=person.dni).exists():
            continue
        services.entrepreneur_create(
            user=users[centre_name],
            centre=centres[centre_name],
            fields={
                **_owner_fields(person),
                "district": Ubigeo.objects.get(code=district),
                "business_idea": idea,
                "consent_to_contact": True,
            },
        )
        created["people"] += 1
    return created


def _diagnose(*, company: Company, plan: DemoDiagnosis, promoter: User, today: datetime.date) -> Diagnosis:
    diagnosis = services.diagnosis_create(
        user=promoter,
        company=company,
        fields={"date": today - datetime.timedelta(days=plan.days_ago), **plan.baseline},
        needs=plan.needs,
    )
    if plan.central:
        central = services.problem_node_add(
            user=promoter, diagnosis=diagnosis, kind=ProblemNode.Kind.CENTRAL, text=plan.central
        )
        for cause in plan.causes:
            text, sub_causes = cause if isinstance(cause, tuple) else (cause, [])
            node = services.problem_node_add(
                user=promoter, diagnosis=diagnosis, kind=ProblemNode.Kind.CAUSE, text=text, parent=central
            )
            for sub in sub_causes:
                services.problem_node_add(
                    user=promoter, diagnosis=diagnosis, kind=ProblemNode.Kind.CAUSE, text=sub, parent=node
                )
            # The first cause of each tree is the one chosen for action.
            if cause is plan.causes[0]:
                services.problem_node_update(user=promoter, node=node, to_address=True)
        for effect in plan.effects:
            services.problem_node_add(
                user=promoter, diagnosis=diagnosis, kind=ProblemNode.Kind.EFFECT, text=effect, parent=central
            )
    if plan.complete:
        diagnosis = services.diagnosis_complete(user=promoter, diagnosis=diagnosis)
    return diagnosis


# --- Scale: --companies N ----------------------------------------------------------------

# Relative weights of the subsectors, bakery first as in the seed's services.
SUBSECTOR_WEIGHTS = {
    "bakery": 30,
    "dairy": 15,
    "fruit": 12,
    "chocolate": 10,
    "bees": 6,
    "liquor": 6,
    "milling": 5,
    "meat": 5,
    "drinks": 5,
    "pasta": 4,
    "other": 2,
}
NAME_PREFIXES = {
    "bakery": ["Panadería", "Panificadora", "Panadería y Pastelería", "Pastelería", "Bizcochería"],
    "dairy": ["Lácteos", "Productos Lácteos", "Quesería", "Derivados Lácteos"],
    "fruit": ["Conservas", "Agroindustrias", "Mermeladas", "Procesadora de Frutas"],
    "chocolate": ["Chocolatería", "Confitería", "Dulcería", "Chocotejas"],
    "bees": ["Apícola", "Miel", "Productos Apícolas"],
    "liquor": ["Licores", "Macerados", "Destilería Artesanal"],
    "milling": ["Molino", "Molinería", "Harinas"],
    "meat": ["Embutidos", "Cárnicos", "Chacinería"],
    "drinks": ["Bebidas", "Refrescos", "Néctares"],
    "pasta": ["Fideos", "Pastas", "Fideería"],
    "other": ["Industrias Alimentarias", "Snacks", "Inversiones"],
}
PRODUCT_LINES = {
    "bakery": ["Pan francés", "Pan de yema", "Tortas", "Bizcochos", "Pan integral", "Empanadas", "Panetón"],
    "dairy": ["Queso fresco", "Yogur", "Manjar blanco", "Mantequilla", "Queso andino"],
    "fruit": ["Mermelada de fresa", "Néctar de mango", "Aguaymanto deshidratado", "Pulpa de maracuyá"],
    "chocolate": ["Chocotejas", "Bombones", "Turrones", "Chupetes", "Tabletas de chocolate"],
    "bees": ["Miel de abeja", "Polen", "Propóleo", "Jalea real"],
    "liquor": ["Macerado de maracuyá", "Crema de pisco", "Licor de sauco", "Anisado"],
    "milling": ["Harina de trigo", "Harina de maíz", "Máchica", "Sémola"],
    "meat": ["Chorizo", "Jamonada", "Salchicha", "Jamón del país"],
    "drinks": ["Chicha morada", "Refresco de maracuyá", "Bebida de maca", "Agua de mesa"],
    "pasta": ["Tallarín", "Fideo canuto", "Lasaña", "Fideo de quinua"],
    "other": ["Cancha serrana", "Habas tostadas", "Chifles", "Hojuelas de quinua"],
}
NAME_WORDS = [
    "Santa Rosa", "San Martín", "El Trigal", "La Espiga", "Los Andes", "Don Lucho", "Doña Juana", "El Progreso",
    "San Judas Tadeo", "Señor de los Milagros", "Virgen de Cocharcas", "Wanka", "Mantaro", "Santa Isabel", "El Sol",
    "Sumaq", "Inti", "Qori", "Kusi", "La Huerta", "Valle Verde", "San José", "Sagrado Corazón", "La Estrella",
    "Nueva Esperanza", "Mi Perú", "Huaytapallana", "El Porvenir", "Los Pinos", "Santa Fe", "La Casona", "San Pedro",
    "Divino Niño", "Virgen del Carmen", "Las Palmas", "Delicias", "Sabor Andino", "Buen Pastor", "Cruz de Motupe",
    "La Familia", "Los Ángeles", "Santa Anita", "El Chalán", "Virgen de la Candelaria", "Tres Hermanos",
]  # fmt: skip
SURNAMES = [
    "Quispe", "Huamán", "Mamani", "Flores", "Rojas", "Sánchez", "García", "Torres", "Ramos", "Chávez", "Vargas",
    "Mendoza", "Castillo", "Gutiérrez", "Espinoza", "Ccori", "Poma", "Ricse", "Canchumanya", "Ñahui", "Huaroc",
    "Taipe", "Condori", "Apaza", "Paredes", "Salazar", "Cárdenas", "Inga", "Limaylla", "Orihuela", "Vilcahuamán",
    "Yupanqui", "Cóndor", "Huarcaya", "Ticse", "Zevallos", "Aliaga", "Mucha", "Camarena", "Lazo",
]  # fmt: skip
FIRST_NAMES = {
    "F": ["María", "Rosa", "Carmen", "Juana", "Luz", "Elena", "Gladys", "Nelly", "Milagros", "Yolanda", "Lourdes",
          "Flor", "Beatriz", "Marisol", "Rocío", "Sonia", "Elsa", "Norma", "Giovanna", "Lucía"],
    "M": ["José", "Juan", "Luis", "Carlos", "Jorge", "Víctor", "Pedro", "Julio", "Raúl", "Edwin", "Wilfredo",
          "Hugo", "Teodoro", "Fredy", "Abel", "Rubén", "Óscar", "Jaime", "Segundo", "Teófilo"],
}  # fmt: skip
STREETS = [
    "Av. Túpac Amaru", "Av. Universitaria", "Av. Próceres de la Independencia", "Av. Nicolás Ayllón",
    "Av. Pachacútec", "Av. Revolución", "Jr. Los Pinos", "Av. Giráldez", "Jr. Ancash", "Av. Huancavelica",
    "Av. Ferrocarril", "Av. Mariscal Castilla", "Jr. Real", "Calle Los Olivos", "Jr. Puno", "Av. Perú",
]  # fmt: skip
BUSINESS_IDEAS = [
    "Yogur de frutas andinas", "Galletas de kiwicha", "Panetón artesanal", "Mermelada de aguaymanto",
    "Chocotejas rellenas", "Miel envasada en sachet", "Néctar de sauco", "Chorizo artesanal al vacío",
    "Queso andino madurado", "Harina de haba tostada", "Tallarines de quinua", "Macerado de maca",
    "Chicha morada embotellada", "Cancha serrana envasada", "Manjar blanco de leche de cabra",
]  # fmt: skip
EDUCATION_WEIGHTS = [
    (E.PRIMARY_INCOMPLETE, 8),
    (E.PRIMARY, 12),
    (E.SECONDARY_INCOMPLETE, 15),
    (E.SECONDARY, 30),
    (E.HIGHER_INCOMPLETE, 15),
    (E.HIGHER, 18),
    (E.NONE, 2),
]
LEGAL_SUFFIX = {LegalForm.EIRL: " E.I.R.L.", LegalForm.SRL: " S.R.L.", LegalForm.SAC: " S.A.C."}
# (legal form, has a RUC, weight): four in ten are informal, as the seed's clients were.
LEGAL_FORMS = [
    (LegalForm.NONE, False, 40),
    (LegalForm.NATURAL_PERSON, True, 27),
    (LegalForm.EIRL, True, 15),
    (LegalForm.SAC, True, 11),
    (LegalForm.SRL, True, 5),
    (LegalForm.COOPERATIVE, True, 1),
    (LegalForm.ASSOCIATION, True, 1),
]
# (weight, workers range, sales range in soles or None): mostly micro; with the 2025 UIT (S/ 5,350) the
# classes fall at S/ 802,500, 9,095,000 and 12,305,000 of sales.
SIZE_BANDS = [
    (10, (1, 4), None),
    (78, (1, 10), (12_000, 800_000)),
    (9, (5, 50), (810_000, 9_000_000)),
    (2, (20, 120), (9_200_000, 12_300_000)),
    (1, (50, 250), (12_400_000, 40_000_000)),
]
PROFILE_COUNT = 800
# One generated company in five has had a business diagnosis, four in five of those completed.
DIAGNOSED_SHARE = 0.2
COMPLETED_SHARE = 0.8
CENTRAL_PROBLEMS = [
    "Alta merma de producción", "Ventas estancadas", "Calidad irregular del producto",
    "Costos de producción sin controlar", "Observaciones sanitarias pendientes", "Capacidad ociosa de la planta",
    "Producto con vida útil corta", "Dependencia de un solo cliente",
]  # fmt: skip
CAUSES = [
    "Recetas no estandarizadas", "No pesan los insumos", "Equipos sin mantenimiento", "Sin registro de ventas",
    "Presentación poco atractiva", "Cadena de frío interrumpida", "Sin fichas técnicas", "Proveedores inestables",
    "Personal sin capacitación", "Flujo de planta cruzado",
]  # fmt: skip
EFFECTS = [
    "Margen de ganancia bajo", "Reclamos de clientes", "Devoluciones de las bodegas", "Pérdida de clientes",
    "Riesgo de cierre temporal", "Rotación del personal",
]  # fmt: skip
BANDS = {
    "patrimonial_band": ["lt2500", "2500_5000", "5000_7500", "7500_10000", "gt10000"],
    "equipment_band": ["lt1000", "1000_3000", "3000_6000", "gt6000"],
    "working_day": ["lt8", "8", "gt8"],
}
LIMA_SHARE = 0.6  # the seed's participants: about 60 % in Lima, 40 % in Junín


def _size_profiles(rng: random.Random) -> list[tuple]:
    """Workers and sales combinations with their size class, each computed once by the service."""
    profiles = []
    weights = [band[0] for band in SIZE_BANDS]
    for _ in range(PROFILE_COUNT):
        _weight, (low, high), sales_range = rng.choices(SIZE_BANDS, weights=weights)[0]
        total = rng.randint(low, high)
        permanent = max(1, round(total * rng.uniform(0.4, 1.0)))
        temporary = total - permanent
        women_share = rng.uniform(0.2, 0.8)
        pw = round(permanent * women_share)
        tw = round(temporary * women_share)
        workers = (permanent - pw, pw, temporary - tw, tw)
        if sales_range is None:
            sales, year = None, None
        else:
            # Sales spread evenly on a log scale: many small figures, few large ones.
            low_s, high_s = sales_range
            sales = Decimal(round(low_s * (high_s / low_s) ** rng.random(), -2))
            year = SALES_YEAR
        size = services.size_class_for(workers=total, annual_sales=sales, sales_year=year)
        profiles.append((workers, sales, year, size))
    return profiles


class _Numbers:
    """Fresh DNI and RUC bodies that no record uses yet (their ranges are apart from the realistic set's)."""

    def __init__(self):
        self.rucs = set(Company.objects.exclude(ruc=None).values_list("ruc", flat=True))
        self.dnis = set(Entrepreneur.objects.exclude(dni=None).values_list("dni", flat=True))
        self._next_dni = 70_000_000
        self._next_legal = 60_000_000

    def dni(self) -> str:
        while True:
            value = f"{self._next_dni:08d}"
            self._next_dni += 1
            if value not in self.dnis and ruc_with_check_digit(f"10{value}") not in self.rucs:
                self.dnis.add(value)
                return value

    def legal_ruc(self) -> str:
        while True:
            value = ruc_with_check_digit(f"20{self._next_legal:08d}")
            self._next_legal += 1
            if value not in self.rucs:
                self.rucs.add(value)
                return value


@contextmanager
def _large_sqlite_cache():
    """SQLite's default 2 MB page cache spills the growing indexes to disk during a 100,000-row insert
    (it takes twice as long); a 256 MB cache for the length of the insert keeps them in memory."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _top_up(*, target: int, centres: dict, users: dict) -> int:
    """Bulk-insert generated companies until there are ``target`` in all; returns how many were added."""
    missing = target - Company.objects.count()
    if missing <= 0:
        return 0
    # Not for security: demo data, reproducible on purpose (ruff S311, bandit B311).
    rng = random.Random(target * 7 + missing)  # noqa: S311  # nosec B311
    profiles = _size_profiles(rng)
    subsectors = {key: Subsector.objects.get(name=name).pk for key, name in SUBSECTOR_NAMES.items()}
    subsector_keys = list(SUBSECTOR_WEIGHTS)
    subsector_weights = list(SUBSECTOR_WEIGHTS.values())
    lima, huancayo = centres[LIMA], centres[HUANCAYO]
    # Lima: its province and Callao; Huancayo: the department of Junín, most of them in its province.
    lima_districts = list(Ubigeo.objects.filter(code__startswith="1501").values_list("code", flat=True))
    lima_districts += list(Ubigeo.objects.filter(code__startswith="0701").values_list("code", flat=True))
    junin = list(Ubigeo.objects.filter(code__startswith="12").values_list("code", flat=True))
    huancayo_districts = [code for code in junin if code.startswith("1201")] * 4 + junin
    forms = [(form, has_ruc) for form, has_ruc, _w in LEGAL_FORMS]
    form_weights = [w for *_rest, w in LEGAL_FORMS]
    education = [level for level, _w in EDUCATION_WEIGHTS]
    education_weights = [w for _level, w in EDUCATION_WEIGHTS]
    need_types = list(NeedType.values)
    numbers = _Numbers()
    keys: dict[str, str] = {}
    this_year = timezone.localdate().year
    added = 0
    while added < missing:
        size = min(BATCH, missing - added)
        companies, owners = [], []
        for _ in range(size):
            in_lima = rng.random() < LIMA_SHARE
            centre = lima if in_lima else huancayo
            user = users[LIMA if in_lima else HUANCAYO]
            district = rng.choice(lima_districts if in_lima else huancayo_districts)
            sub = rng.choices(subsector_keys, weights=subsector_weights)[0]
            form, has_ruc = rng.choices(forms, weights=form_weights)[0]
            gender = "F" if rng.random() < 0.55 else "M"
            surname = rng.choice(SURNAMES)
            owner_dni = numbers.dni()
            if not has_ruc:
                ruc = None
            elif form == LegalForm.NATURAL_PERSON:
                ruc = ruc_with_check_digit(f"10{owner_dni}")
                numbers.rucs.add(ruc)
            else:
                ruc = numbers.legal_ruc()
            prefix = rng.choice(NAME_PREFIXES[sub])
            if form == LegalForm.COOPERATIVE:
                name = f"Cooperativa {prefix} {rng.choice(NAME_WORDS)}"
            elif form == LegalForm.ASSOCIATION:
                name = f"Asociación de Productores {prefix} {rng.choice(NAME_WORDS)}"
            elif rng.random() < 0.5:
                name = f"{prefix} {rng.choice(NAME_WORDS)}{LEGAL_SUFFIX.get(form, '')}"
            else:
                name = f"{prefix} {surname}{LEGAL_SUFFIX.get(form, '')}"
            if name not in keys:
                keys[name] = services.name_key(name)
            workers, sales, year, size_class = rng.choice(profiles)
            sanitary = rng.random() < (0.45 if has_ruc else 0.05)
            status = RucStatus.NONE
            if ruc:
                roll = rng.random()
                status = (
                    RucStatus.CANCELLED if roll < 0.02 else RucStatus.SUSPENDED if roll < 0.07 else RucStatus.ACTIVE
                )
            lines = rng.sample(PRODUCT_LINES[sub], k=rng.randint(2, min(5, len(PRODUCT_LINES[sub]))))
            company = Company(
                centre_id=centre.pk,
                legal_name=name,
                name_key=keys[name],
                ruc=ruc,
                ruc_status=status,
                is_formal=has_ruc,
                legal_form=form,
                subsector_id=subsectors[sub],
                product_lines="\n".join(lines),
                address=f"{rng.choice(STREETS)} {rng.randint(100, 4999)}",
                district_id=district,
                start_year=rng.randint(1985, this_year - 1),
                permanent_men=workers[0],
                permanent_women=workers[1],
                temporary_men=workers[2],
                temporary_women=workers[3],
                annual_sales=sales,
                sales_year=year,
                size_class=size_class,
                sanitary_registration_number=f"A{rng.randint(10_000, 99_999)}{rng.randint(0, 9)}N/NA"
                if sanitary
                else "",
                phone=f"9{rng.randint(10_000_000, 99_999_999)}",
                consent_to_contact=rng.random() < 0.7,
                created_by_id=user.pk,
            )
            companies.append(company)
            # Half the companies come with their owner.
            if rng.random() < 0.5:
                owner = Entrepreneur(
                    centre_id=centre.pk,
                    first_name=rng.choice(FIRST_NAMES[gender]),
                    last_name=f"{surname} {rng.choice(SURNAMES)}",
                    dni=owner_dni,
                    gender=gender,
                    birth_year=rng.randint(1955, this_year - 20),
                    education=rng.choices(education, weights=education_weights)[0],
                    phone=company.phone,
                    company=company,
                    relationship="owner",
                    district_id=district,
                    created_by_id=user.pk,
                )
                # The company is inserted first: its search name carries the owner it is about to get.
                company.pending_people_names = f"{owner.first_name} {owner.last_name}"
                owners.append(owner)
        Company.objects.bulk_create(companies, batch_size=BATCH)
        # One emprendedor without a business for every ten companies, as walk-ins to the centre.
        for _ in range(size // 10):
            in_lima = rng.random() < LIMA_SHARE
            gender = "F" if rng.random() < 0.55 else "M"
            owners.append(
                Entrepreneur(
                    centre_id=(lima if in_lima else huancayo).pk,
                    first_name=rng.choice(FIRST_NAMES[gender]),
                    last_name=f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}",
                    dni=numbers.dni() if rng.random() < 0.7 else None,
                    gender=gender,
                    birth_year=rng.randint(1960, this_year - 18),
                    education=rng.choices(education, weights=education_weights)[0],
                    district_id=rng.choice(lima_districts if in_lima else huancayo_districts),
                    business_idea=rng.choice(BUSINESS_IDEAS),
                    created_by_id=users[LIMA if in_lima else HUANCAYO].pk,
                )
            )
        # bulk_create has set the companies' primary keys (SQLite 3.35+ and PostgreSQL return them),
        # so the owners can point at them.
        Entrepreneur.objects.bulk_create(owners, batch_size=BATCH)
        needs = [
            Need(
                centre_id=c.centre_id,
                company_id=c.pk,
                subsector_id=c.subsector_id,
                need_type=need_type,
                source="registration",
            )
            for c in companies
            if rng.random() < 0.3
            for need_type in rng.sample(need_types, k=rng.randint(1, 2))
        ]
        Need.objects.bulk_create(needs, batch_size=BATCH)
        _diagnose_in_bulk(companies, users=users, rng=rng)
        added += size
    return added


def _diagnose_in_bulk(companies: list[Company], *, users: dict, rng: random.Random) -> None:
    """Diagnoses with a problem tree (a central problem, two or three causes, one or two effects)
    for a share of the generated companies, in bulk: the company files and the services of the
    technical-assistance demo hang from them."""
    now = timezone.now()
    promoters = {c.centre_id: users[LIMA if c.centre_id == users["centres"][LIMA] else HUANCAYO] for c in companies}
    diagnoses = []
    for company in companies:
        if rng.random() >= DIAGNOSED_SHARE:
            continue
        days_ago = rng.randint(5, 400)
        completed = rng.random() < COMPLETED_SHARE
        diagnoses.append(
            Diagnosis(
                company_id=company.pk,
                centre_id=company.centre_id,
                promoter_id=promoters[company.centre_id].pk,
                date=now.date() - datetime.timedelta(days=days_ago),
                status=Diagnosis.Status.COMPLETED if completed else Diagnosis.Status.DRAFT,
                completed_at=now - datetime.timedelta(days=days_ago - 1) if completed else None,
                product_line_count=rng.randint(1, 6),
                workers_men=company.permanent_men + company.temporary_men,
                workers_women=company.permanent_women + company.temporary_women,
                monthly_sales=(company.annual_sales / 12).quantize(Decimal("0.01")) if company.annual_sales else None,
                is_formal=company.is_formal,
                **{field: rng.choice(choices) for field, choices in BANDS.items()},
            )
        )
    Diagnosis.objects.bulk_create(diagnoses, batch_size=BATCH)
    centrals = [
        ProblemNode(diagnosis_id=d.pk, kind=ProblemNode.Kind.CENTRAL, text=rng.choice(CENTRAL_PROBLEMS))
        for d in diagnoses
    ]
    ProblemNode.objects.bulk_create(centrals, batch_size=BATCH)
    branches = []
    for central in centrals:
        for position, text in enumerate(rng.sample(CAUSES, k=rng.randint(2, 3))):
            branches.append(
                ProblemNode(
                    diagnosis_id=central.diagnosis_id,
                    parent_id=central.pk,
                    kind=ProblemNode.Kind.CAUSE,
                    text=text,
                    to_address=position == 0,
                    position=position,
                )
            )
        for position, text in enumerate(rng.sample(EFFECTS, k=rng.randint(1, 2))):
            branches.append(
                ProblemNode(
                    diagnosis_id=central.diagnosis_id,
                    parent_id=central.pk,
                    kind=ProblemNode.Kind.EFFECT,
                    text=text,
                    position=position,
                )
            )
    ProblemNode.objects.bulk_create(branches, batch_size=BATCH)


# --- Entry point ------------------------------------------------------------------------------


def seed(options, stdout) -> None:
    centres = {name: Centre.objects.get(name=name) for name in (LIMA, HUANCAYO)}
    # The Lima promoter registers and diagnoses Lima's clients; Huancayo has no demo promoter,
    # so its records are registered by the administrator.
    users = {
        LIMA: User.objects.get(username="promotor"),
        HUANCAYO: User.objects.get(username="admin"),
        "promoter": User.objects.get(username="promotor"),
        "centres": {name: centre.pk for name, centre in centres.items()},
    }
    created = _seed_realistic(centres=centres, users=users)
    stdout.write(
        f"clients: {created['companies']} companies, {created['people']} people and "
        f"{created['diagnoses']} diagnoses added to the realistic set"
    )
    target = options.get("companies")
    if target:
        started = time.monotonic()
        with _large_sqlite_cache():
            added = _top_up(target=target, centres=centres, users=users)
        stdout.write(
            f"clients: {added} generated companies added in {time.monotonic() - started:.1f} s; "
            f"{Company.objects.count()} in all (target {target})"
        )

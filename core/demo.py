"""Demo data for core: the two centres of the seed and one user per role.

Every app may add a ``demo.py`` with a ``seed(options, stdout)`` function; the
``seed_demo`` command runs them in INSTALLED_APPS order. Each must be idempotent.
"""

from django.contrib.auth.models import Group

from .models import Centre, User
from .roles import Role

# The documented demo password; seed_demo refuses to run in production.
DEMO_PASSWORD = "cat-demo-2026"  # noqa: S105  # nosec B105

CENTRES = [
    {"name": "CentroPyME Lima", "department": "Lima", "city": "Lima"},
    {"name": "CentroPyME Huancayo", "department": "Junín", "city": "Huancayo"},
]

# username, role, first name, last name, centres (None: national)
USERS = [
    ("promotor", Role.PROMOTER, "Rosa", "Quispe", ["CentroPyME Lima"]),
    ("consultor", Role.CONSULTANT, "Jorge", "Mendoza", ["CentroPyME Lima"]),
    ("coordinador", Role.COORDINATOR, "Carmen", "Huamán", ["CentroPyME Lima"]),
    ("gerente", Role.NATIONAL_MANAGER, "Luis", "Paredes", ["CentroPyME Lima", "CentroPyME Huancayo"]),
    ("admin", Role.ADMINISTRATOR, "Ana", "Torres", ["CentroPyME Lima", "CentroPyME Huancayo"]),
    ("credito", Role.CREDIT_OFFICER, "Pedro", "Salazar", ["CentroPyME Huancayo"]),
    ("recepcion", Role.FRONT_DESK, "Lucía", "Ccori", ["CentroPyME Lima"]),
]


def seed(options, stdout) -> None:
    centres = {}
    for data in CENTRES:
        centre, _created = Centre.objects.get_or_create(name=data["name"], defaults=data)
        centres[centre.name] = centre
    for username, role, first, last, centre_names in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, email=f"{username}@cat.local")
            user.set_password(DEMO_PASSWORD)
            # The administrator manages users and catalogues in the Django admin.
            user.is_staff = role == Role.ADMINISTRATOR
            user.save()
        user.groups.add(Group.objects.get(name=role.value))
        user.centres.add(*(centres[name] for name in centre_names))
    stdout.write(f"core: {len(CENTRES)} centres, {len(USERS)} demo users (password {DEMO_PASSWORD})")

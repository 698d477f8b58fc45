import factory
from django.contrib.auth.models import Group

from core.models import Centre, User


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"CentroPyME {n}")
    department = "Lima"
    city = "Lima"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="es_ES")
    last_name = factory.Faker("last_name", locale="es_ES")
    email = factory.LazyAttribute(lambda u: f"{u.username}@cat.test")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=str(role))[0])

    @factory.post_generation
    def centres(self, create, extracted, **kwargs):
        if extracted:
            self.centres.add(*extracted)

"""One factory per model that tests create often."""

import factory
from django.utils import timezone

from osallistu.accounts.models import Division, StaffRole, User, VerificationMethod

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.fi")
    full_name = factory.Faker("name", locale="fi_FI")
    preferred_language = "fi"
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class VerifiedResidentFactory(UserFactory):
    """Strongly identified Helsinki resident; pass birth_date and district as needed."""

    municipality_code = "091"
    verification_method = VerificationMethod.OIDC
    verified_at = factory.LazyFunction(timezone.now)
    birth_date = factory.Faker("date_of_birth", minimum_age=18, maximum_age=80)


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory, is_staff=True)
    role = StaffRole.Role.CITY_ADMIN


def sign_in_past_second_factor(client, user):
    """Sign ``user`` in and mark the session as past the second factor, as staff pages need."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


class DivisionFactory(factory.django.DjangoModelFactory):
    """A division of the city: by default the urban environment's."""

    class Meta:
        model = Division
        django_get_or_create = ("slug",)

    slug = "urban-environment"
    name_fi = "Kaupunkiympäristön toimiala"
    name_sv = "Stadsmiljösektorn"
    name_en = "Urban Environment Division"

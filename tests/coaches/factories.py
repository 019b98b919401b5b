"""Factories for coaches: meeting places, topics, coaches with their role, page and
weekly office hours."""

import datetime

import factory

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Area
from osallistu.coaches.models import (
    CoachKind,
    CoachProfile,
    OfficeHours,
    Place,
    PlaceKind,
    Topic,
)
from tests.factories import UserFactory


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name_fi = factory.Sequence(lambda n: f"Kirjasto {n}")
    name_sv = factory.Sequence(lambda n: f"Bibliotek {n}")
    name_en = factory.Sequence(lambda n: f"Library {n}")
    kind = PlaceKind.LIBRARY
    street_address_fi = "Viides linja 11"
    postal_code = "00530"
    district = factory.LazyFunction(lambda: Area.objects.get(slug="central"))
    step_free = True


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    audience = CoachKind.CITY
    slug = "budgeting"
    name_fi = "Osallistuva budjetointi"
    name_sv = "Deltagande budgetering"
    name_en = "Participatory budgeting"


class CoachProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachProfile

    user = factory.SubFactory(UserFactory, is_staff=True)
    kind = CoachKind.CITY
    slug = factory.Sequence(lambda n: f"coach-{n}")
    languages = ["fi", "sv", "en"]
    bookable_weeks = 8
    notice_hours = 2


def make_coach(district, *, kind=CoachKind.CITY, hours=(), email=None, language="fi", **profile):
    """A coach of ``district`` (a district, a list of them, or None for the whole city)
    with a published page and weekly ``hours``: (weekday, begins, ends, slot minutes,
    place, valid from)."""
    user = UserFactory(
        is_staff=True, preferred_language=language, **({"email": email} if email else {})
    )
    role = StaffRole.Role.CITY_COACH if kind == CoachKind.CITY else StaffRole.Role.BUSINESS_COACH
    areas = district if isinstance(district, list | tuple) else [district]
    for area in areas:
        StaffRole.objects.create(user=user, role=role, area=area)
    CoachProfileFactory(user=user, kind=kind, **profile)
    for weekday, begins, ends, minutes, place, valid_from in hours:
        OfficeHours.objects.create(
            coach=user,
            weekday=weekday,
            begins=begins,
            ends=ends,
            slot_minutes=minutes,
            place=place,
            valid_from=valid_from,
        )
    return user


def hours(weekday, begins, ends, place, *, minutes=30, valid_from=datetime.date(2020, 1, 1)):
    return (weekday, datetime.time(*begins), datetime.time(*ends), minutes, place, valid_from)

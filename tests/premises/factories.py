"""Factories for premises: a unit in the Central district and a space in it that is
open every day 8–21, confirmed at once, free of charge, unless told otherwise."""

import datetime

import factory

from osallistu.areas.models import Area
from osallistu.premises.models import (
    Equipment,
    OpeningHours,
    Purpose,
    Space,
    Unit,
    UnitType,
)


class PurposeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Purpose
        django_get_or_create = ("slug",)

    slug = "meeting"
    name_fi = "Kokous"
    name_sv = "Möte"
    name_en = "Meeting"


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Equipment
        django_get_or_create = ("slug",)

    slug = "projector"
    name_fi = "Videotykki"
    name_sv = "Projektor"
    name_en = "Projector"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name_fi = factory.Sequence(lambda n: f"Kirjasto {n}")
    name_sv = factory.Sequence(lambda n: f"Bibliotek {n}")
    name_en = factory.Sequence(lambda n: f"Library {n}")
    slug = factory.Sequence(lambda n: f"unit-{n}")
    type = UnitType.LIBRARY
    street_address_fi = "Töölönlahdenkatu 4"
    postal_code = "00100"
    district = factory.LazyFunction(lambda: Area.objects.get(slug="central"))
    accessible_entrance = True
    accessible_toilet = True


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space
        skip_postgeneration_save = True

    unit = factory.SubFactory(UnitFactory)
    name_fi = factory.Sequence(lambda n: f"Kokoushuone {n}")
    name_sv = factory.Sequence(lambda n: f"Mötesrum {n}")
    name_en = factory.Sequence(lambda n: f"Meeting room {n}")
    slug = factory.Sequence(lambda n: f"space-{n}")
    capacity = 20
    step_free_access = True
    min_minutes = 60
    max_minutes = 240
    slot_minutes = 30
    buffer_before_minutes = 0
    buffer_after_minutes = 0
    max_days_ahead = 90
    max_active_bookings = 3
    cancellable_hours_before = 24

    @factory.post_generation
    def hours(obj, create, extracted, **kwargs):
        """Every weekday 8–21 unless ``hours=[(weekday, opens, closes), …]`` is given."""
        if not create:
            return
        rows = extracted
        if rows is None:
            rows = [(day, datetime.time(8), datetime.time(21)) for day in range(7)]
        OpeningHours.objects.bulk_create(
            OpeningHours(space=obj, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in rows
        )

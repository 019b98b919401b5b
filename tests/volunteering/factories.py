"""Factories for volunteering: a verified organiser in the Central district, a
published opportunity for adults, and a shift ten days ahead with three places."""

import datetime

import factory
from django.utils import timezone

from osallistu.areas.models import Area
from osallistu.volunteering.models import (
    Opportunity,
    Organiser,
    OrganiserMember,
    Shift,
    Talkoot,
)
from tests.factories import UserFactory


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser

    name = factory.Sequence(lambda n: f"Kallion Kumppanit {n} ry")
    slug = factory.Sequence(lambda n: f"organiser-{n}")
    kind = Organiser.Kind.ASSOCIATION
    district = factory.LazyFunction(lambda: Area.objects.get(slug="central"))
    email = factory.Sequence(lambda n: f"organiser{n}@example.fi")
    status = Organiser.Status.VERIFIED


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganiserMember

    organiser = factory.SubFactory(OrganiserFactory)
    user = factory.SubFactory(UserFactory)


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    organiser = factory.SubFactory(OrganiserFactory)
    title_fi = factory.Sequence(lambda n: f"Puistosiivous {n}")
    title_sv = factory.Sequence(lambda n: f"Parkstädning {n}")
    title_en = factory.Sequence(lambda n: f"Park clean-up {n}")
    description_fi = "Siivotaan puisto yhdessä."
    description_en = "We clean the park together."
    district = factory.LazyFunction(lambda: Area.objects.get(slug="central"))
    place_text = "Karhupuisto"
    kind = Opportunity.Kind.ONE_OFF
    contact_name = "Kaisa Koordinaattori"
    contact_email = "kaisa@example.fi"
    status = Opportunity.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    opportunity = factory.SubFactory(OpportunityFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda shift: shift.starts_at + datetime.timedelta(hours=3))
    capacity = 3


class TalkootFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talkoot

    proposer = factory.SubFactory(UserFactory)
    title = "Kevätsiivous"
    description = "Haravoidaan ja kerätään roskat."
    district = factory.LazyFunction(lambda: Area.objects.get(slug="central"))
    place_text = "Karhupuisto"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
    ends_on = factory.SelfAttribute("starts_on")
    expected_participants = 10
    created_at = factory.LazyFunction(timezone.now)

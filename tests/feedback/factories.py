"""Factories for feedback: a division of the urban environment with two categories
(one with further questions), and feedback in them."""

from decimal import Decimal

import factory
from django.utils import timezone

from osallistu.accounts.models import StaffRole
from osallistu.areas.models import Area
from osallistu.feedback.models import (
    DivisionMember,
    Feedback,
    Moderation,
    ServiceAttribute,
    ServiceAttributeValue,
    ServiceCategory,
)
from tests.factories import DivisionFactory, UserFactory


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory
        django_get_or_create = ("code",)

    code = "171"
    division = factory.SubFactory(DivisionFactory)
    name_fi = "Kuoppa kadulla"
    name_sv = "Grop i gatan"
    name_en = "Pothole"
    description_fi = "Ilmoita kadun kuopasta."
    description_sv = "Anmäl en grop i gatan."
    description_en = "Report a pothole in a street."
    group_fi = "Kadut ja liikenne"
    group_sv = "Gator och trafik"
    group_en = "Streets and traffic"
    keywords_en = "pothole, street"


def playground_category(division=None):
    """A category with further questions: which equipment (a list, required) and since
    when (optional)."""
    category = ServiceCategoryFactory(
        code="211",
        division=division or DivisionFactory(),
        name_fi="Leikkipuistot",
        name_sv="Lekparker",
        name_en="Playgrounds",
    )
    equipment = ServiceAttribute.objects.create(
        service=category,
        code="equipment",
        datatype=ServiceAttribute.Datatype.SINGLEVALUELIST,
        required=True,
        order=1,
        description_fi="Mikä väline on rikki?",
        description_sv="Vilken utrustning är trasig?",
        description_en="Which equipment is broken?",
    )
    for position, (key, fi, sv, en) in enumerate(
        [("swing", "Keinu", "Gunga", "Swing"), ("slide", "Liukumäki", "Rutschkana", "Slide")]
    ):
        ServiceAttributeValue.objects.create(
            attribute=equipment, key=key, name_fi=fi, name_sv=sv, name_en=en, position=position
        )
    ServiceAttribute.objects.create(
        service=category,
        code="since",
        datatype=ServiceAttribute.Datatype.DATETIME,
        required=False,
        order=2,
        description_fi="Milloin huomasit vian?",
        description_sv="När märkte du felet?",
        description_en="When did you notice it?",
    )
    return category


class FeedbackFactory(factory.django.DjangoModelFactory):
    """Unmoderated feedback at a point in the Central district (Kallio)."""

    class Meta:
        model = Feedback

    service = factory.SubFactory(ServiceCategoryFactory)
    description = "Syvä kuoppa pyörätien keskellä Kallion kirjaston kohdalla."
    title = "Kuoppa pyörätiellä"
    address = "Viides linja 11, 00530 Helsinki"
    latitude = Decimal("60.184000")
    longitude = Decimal("24.950000")
    district = factory.LazyFunction(lambda: Area.objects.filter(slug="central").first())
    language = "fi"
    requested_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyAttribute(lambda feedback: feedback.requested_at)


class PublicFeedbackFactory(FeedbackFactory):
    moderation = Moderation.PUBLIC
    public_title = factory.LazyAttribute(lambda feedback: feedback.title)
    public_description = factory.LazyAttribute(lambda feedback: feedback.description)
    public_address = factory.LazyAttribute(lambda feedback: feedback.address)
    moderated_at = factory.LazyAttribute(lambda feedback: feedback.requested_at)


def division_staff(email, division, area=None, **fields):
    """A feedback handler of ``area`` (the whole city when None), member of ``division``."""
    user = UserFactory(email=email, is_staff=True, **fields)
    StaffRole.objects.create(user=user, role=StaffRole.Role.FEEDBACK, area=area)
    DivisionMember.objects.create(division=division, user=user)
    return user

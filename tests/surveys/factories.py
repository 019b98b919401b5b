"""Factories for surveys: an open survey for anyone unless told otherwise."""

from datetime import timedelta

import factory
from django.utils import timezone

from osallistu.surveys.models import (
    Condition,
    Hearing,
    Option,
    Page,
    Poll,
    PollOption,
    Question,
    Section,
    Survey,
)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey
        skip_postgeneration_save = True

    title_fi = factory.Sequence(lambda n: f"Kysely {n}")
    title_sv = factory.Sequence(lambda n: f"Enkät {n}")
    title_en = factory.Sequence(lambda n: f"Survey {n}")
    slug = factory.Sequence(lambda n: f"survey-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    published = True


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n + 1)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    page = factory.SubFactory(PageFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = "short_text"
    text_fi = factory.Sequence(lambda n: f"Kysymys {n}")
    text_sv = factory.Sequence(lambda n: f"Fråga {n}")
    text_en = factory.Sequence(lambda n: f"Question {n}")


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory, kind="single_choice")
    position = factory.Sequence(lambda n: n + 1)
    text_fi = factory.Sequence(lambda n: f"Vaihtoehto {n}")
    text_sv = factory.Sequence(lambda n: f"Alternativ {n}")
    text_en = factory.Sequence(lambda n: f"Option {n}")


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    operator = "answered"


def options(question, *texts, role=Option.Role.CHOICE):
    """Options of ``question`` with the same text in every language."""
    return [
        OptionFactory(
            question=question, role=role, position=index, text_fi=text, text_sv=text, text_en=text
        )
        for index, text in enumerate(texts, start=1)
    ]


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hearing

    title_fi = factory.Sequence(lambda n: f"Kuuleminen {n}")
    title_sv = factory.Sequence(lambda n: f"Hörande {n}")
    title_en = factory.Sequence(lambda n: f"Hearing {n}")
    slug = factory.Sequence(lambda n: f"hearing-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    hearing = factory.SubFactory(HearingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title_fi = factory.Sequence(lambda n: f"Osa {n}")
    title_sv = factory.Sequence(lambda n: f"Del {n}")
    title_en = factory.Sequence(lambda n: f"Part {n}")


class PollFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Poll

    section = factory.SubFactory(SectionFactory)
    position = factory.Sequence(lambda n: n + 1)
    text_fi = "Kumpi vaihtoehto on parempi?"
    text_sv = "Vilket alternativ är bättre?"
    text_en = "Which option is better?"


class PollOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollOption

    poll = factory.SubFactory(PollFactory)
    position = factory.Sequence(lambda n: n + 1)
    text_fi = factory.Sequence(lambda n: f"Vaihtoehto {n}")
    text_sv = factory.Sequence(lambda n: f"Alternativ {n}")
    text_en = factory.Sequence(lambda n: f"Option {n}")

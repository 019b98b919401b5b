import datetime
from types import SimpleNamespace

import pytest

from tests.factories import VerifiedResidentFactory
from tests.surveys.factories import (
    ConditionFactory,
    PageFactory,
    QuestionFactory,
    SurveyFactory,
    options,
)


@pytest.fixture
def branching_survey(db):
    """Three pages. Page 1: do you cycle (yes/no, required). Page 2, only for
    cyclists: which routes (multiple choice) and a comment. Page 3: your age (number)
    and how satisfied you are (scale 1–5, required)."""
    survey = SurveyFactory(slug="pyoraily")
    first, second, third = (PageFactory(survey=survey, position=n) for n in (1, 2, 3))
    cycles = QuestionFactory(page=first, position=1, kind="single_choice", required=True)
    yes, no = options(cycles, "Kyllä", "Ei")
    routes = QuestionFactory(page=second, position=1, kind="multiple_choice")
    baana, coast = options(routes, "Baana", "Rantareitti")
    comment = QuestionFactory(page=second, position=2, kind="long_text")
    for question in (routes, comment):
        ConditionFactory(question=question, depends_on=cycles, operator="equals", option=yes)
    age = QuestionFactory(page=third, position=1, kind="number", settings={"min": 0, "max": 120})
    satisfaction = QuestionFactory(page=third, position=2, kind="scale", required=True)
    return SimpleNamespace(
        survey=survey,
        pages=(first, second, third),
        cycles=cycles,
        yes=yes,
        no=no,
        routes=routes,
        baana=baana,
        coast=coast,
        comment=comment,
        age=age,
        satisfaction=satisfaction,
    )


@pytest.fixture
def resident(helsinki):
    return VerifiedResidentFactory(
        email="aino@example.fi",
        birth_date=datetime.date(1990, 5, 1),
        district=helsinki["eastern"],
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are compared in English; pages choose their language from the URL."""
    from django.utils import translation

    with translation.override("en"):
        yield


HELSINKI_BBOX = [24.78, 60.10, 25.26, 60.30]


@pytest.fixture
def every_kind_survey(db):
    """One page with a question of every kind, none required, none conditional."""
    survey = SurveyFactory(slug="kaikki")
    page = PageFactory(survey=survey, position=1)
    kinds = {}

    def question(kind, **settings):
        kinds[kind] = QuestionFactory(
            page=page, position=len(kinds) + 1, kind=kind, settings=settings
        )
        return kinds[kind]

    question("info")
    question("short_text")
    question("long_text")
    options(question("single_choice", allow_other=True), "Puisto", "Tori")
    options(question("multiple_choice", max_choices=2), "Kirjasto", "Uimahalli", "Nuorisotalo")
    options(question("ranking"), "Turvallisuus", "Viihtyisyys", "Saavutettavuus")
    question("scale", min=0, max=10)
    matrix = question("matrix")
    options(matrix, "Hyvä", "Huono")
    options(matrix, "Kesällä", "Talvella", role="row")
    question("number", integer=False)
    question("date")
    question("map", bbox=HELSINKI_BBOX)
    return SimpleNamespace(survey=survey, page=page, **kinds)

"""Issue 12, items 9 and 11, in the browser: a long answer of 2,000 characters can be
typed in Finnish, Swedish and English (``maxlength="2 000"`` stopped it at two), and a
ranking question says how many items may be ranked and offers exactly those ranks.
Every page passes axe-core."""

import pytest
from playwright.sync_api import expect

from osallistu.surveys.models import Answer
from tests.browser.helpers import follow, visit
from tests.surveys.factories import PageFactory, QuestionFactory, SurveyFactory, options

pytestmark = pytest.mark.browser

LONG = 2000


@pytest.fixture
def survey(transactional_db):
    survey = SurveyFactory(slug="pitka-vastaus")
    page = PageFactory(survey=survey, position=1)
    long_text = QuestionFactory(
        page=page,
        position=1,
        kind="long_text",
        settings={"max_length": LONG},
        text_fi="Kerro tarkemmin",
        text_sv="Berätta mer",
        text_en="Tell us more",
    )
    ranking = QuestionFactory(
        page=page,
        position=2,
        kind="ranking",
        settings={"max_ranked": 2},
        text_fi="Mikä on tärkeintä?",
        text_sv="Vad är viktigast?",
        text_en="What matters most?",
    )
    items = options(ranking, "Turvallisuus", "Viihtyisyys", "Saavutettavuus", "Hinta")
    return survey, long_text, ranking, items


def _start(page, survey, language):
    visit(page, f"/{language}/surveys/{survey.slug}/")
    follow(page, lambda: page.locator("main form button[type=submit]").click())


@pytest.mark.parametrize(
    ("language", "label"),
    [("fi", "Kerro tarkemmin"), ("sv", "Berätta mer"), ("en", "Tell us more")],
)
def test_a_long_answer_of_2000_characters_can_be_typed(page, survey, language, label):
    survey, long_text, _ranking, _items = survey
    _start(page, survey, language)
    field = page.get_by_label(label)
    text = ("Puistoon tarvitaan lisää penkkejä ja valoa. " * 50)[:LONG]
    field.click()
    page.keyboard.type(text)
    assert len(field.input_value()) == LONG
    page.keyboard.type("!")  # the limit is 2,000, not 2
    assert field.input_value() == text
    follow(page, lambda: page.locator("button[value=next]").click())
    assert Answer.objects.get(question=long_text).value == text.strip()


def test_a_ranking_question_says_its_limit_and_offers_only_those_ranks(page, survey):
    survey, _long_text, ranking, items = survey
    _start(page, survey, "fi")
    group = page.get_by_role("group", name="Mikä on tärkeintä?")
    expect(group).to_contain_text("Voit asettaa järjestykseen enintään 2 kohtaa")
    for item in items:
        box = group.get_by_role("combobox", name=item.text_fi)
        assert box.locator("option").all_inner_texts() == ["–", "1", "2"]
    group.get_by_role("combobox", name="Hinta").select_option("1")
    group.get_by_role("combobox", name="Turvallisuus").select_option("2")
    follow(page, lambda: page.locator("button[value=next]").click())
    assert Answer.objects.get(question=ranking).value == [items[3].pk, items[0].pk]

"""Numbers written into HTML attributes are never localised: ``maxlength="2 000"`` let
a browser take two characters, and an option id 4 001 written as ``value="4 001"``
could not be answered (issue 12, item 9). Every survey and hearing page is drawn in
Finnish, Swedish and English with ids, lengths and sizes of four digits and more."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.surveys.models import Answer, Comment, Response, Selection
from tests.factories import StaffRoleFactory, sign_in_past_second_factor
from tests.surveys.factories import (
    HearingFactory,
    OptionFactory,
    PageFactory,
    PollFactory,
    PollOptionFactory,
    QuestionFactory,
    SectionFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ("fi", "sv", "en")
# Attributes holding human text, which is localised on purpose.
TEXT_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "content", "lang", "hreflang"}
# A digit, a separator that fi, sv or en put between digits, a digit.
LOCALISED = re.compile("\\d[\u00a0\u202f,]\\d")


class Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name not in TEXT_ATTRIBUTES and not name.startswith("data-"):
                self.found.append((tag, name, value))


def localised_numbers(html):
    parser = Attributes()
    parser.feed(html)
    return [found for found in parser.found if LOCALISED.search(found[2])]


def _options(question, texts, start, role="choice"):
    return [
        OptionFactory(
            pk=start + index,
            question=question,
            role=role,
            position=index + 1,
            text_fi=text,
            text_sv=text,
            text_en=text,
        )
        for index, text in enumerate(texts)
    ]


@pytest.fixture
def big(helsinki):
    """A survey and a hearing whose every id has four or five digits."""
    survey = SurveyFactory(pk=1234, slug="isot-numerot", results_published=True)
    page = PageFactory(pk=2345, survey=survey, position=1)
    kinds = {}
    for number, (kind, settings) in enumerate(
        [
            ("short_text", {"max_length": 1500}),
            ("long_text", {"max_length": 2000}),
            ("single_choice", {"allow_other": True}),
            ("multiple_choice", {"max_choices": 2}),
            ("ranking", {"max_ranked": 2}),
            ("scale", {"min": 0, "max": 10}),
            ("matrix", {}),
            ("number", {"min": 1000, "max": 100000}),
            ("date", {"min": "2026-01-01"}),
            ("map", {"geometry": "area"}),
        ]
    ):
        kinds[kind] = QuestionFactory(
            pk=3000 + number, page=page, position=number + 1, kind=kind, settings=settings
        )
    choice = _options(kinds["single_choice"], ["Puisto", "Tori"], 4000)
    _options(kinds["multiple_choice"], ["Kirjasto", "Uimahalli", "Nuorisotalo"], 4100)
    _options(kinds["ranking"], ["Turvallisuus", "Viihtyisyys", "Saavutettavuus"], 4200)
    _options(kinds["matrix"], ["Hyvä", "Huono"], 4300)
    _options(kinds["matrix"], ["Kesällä", "Talvella"], 4400, role="row")

    response = Response.objects.create(
        pk=5555, survey=survey, status="submitted", submitted_at=timezone.now()
    )
    answer = Answer.objects.create(
        response=response, question=kinds["single_choice"], value={"option": choice[0].pk}
    )
    Selection.objects.create(
        answer=answer, response=response, question=kinds["single_choice"], option=choice[0]
    )
    Answer.objects.create(
        response=response, question=kinds["long_text"], value="Pitkä vastaus", text="Pitkä"
    )

    hearing = HearingFactory(pk=6000, slug="iso-kuuleminen", map_comments=True)
    section = SectionFactory(pk=6100, hearing=hearing, position=1)
    poll = PollFactory(pk=6200, section=section, position=1)
    PollOptionFactory(pk=6300, poll=poll, position=1)
    PollOptionFactory(pk=6301, poll=poll, position=2)
    comment = Comment.objects.create(
        pk=7000,
        hearing=hearing,
        section=section,
        text="Kommentti",
        geojson={"type": "Point", "coordinates": [24.97, 60.18]},
    )
    Comment.objects.create(pk=7001, hearing=hearing, parent=comment, text="Vastaus")
    return survey, page, kinds, hearing


def _pages(survey, page, kinds, hearing):
    """Every survey and hearing address, for residents and for staff."""
    slug = {"slug": survey.slug}
    build = {"survey_id": survey.pk}
    question = kinds["ranking"].pk
    return {
        "resident": [
            reverse("surveys:list"),
            reverse("surveys:detail", kwargs=slug),
            reverse("surveys:answer", kwargs=slug),
            reverse("surveys:results", kwargs=slug),
            reverse("surveys:hearings"),
            reverse("surveys:hearing", kwargs={"slug": hearing.slug}),
        ],
        "staff": [
            reverse("surveys:staff_list"),
            reverse("surveys:staff_results", kwargs=slug),
            reverse("surveys:staff_breakdown", kwargs=slug),
            f"{reverse('surveys:staff_breakdown', kwargs=slug)}?by=age_group",
            f"{reverse('surveys:staff_texts', kwargs=slug)}?question={kinds['long_text'].pk}",
            reverse("surveys:moderation", kwargs={"slug": hearing.slug}),
            reverse("surveys:builder_list"),
            reverse("surveys:builder", kwargs=build),
            reverse("surveys:builder_settings", kwargs=build),
            reverse("surveys:builder_preview", kwargs=build),
            reverse("surveys:builder_page", kwargs={**build, "page_id": page.pk}),
            reverse("surveys:builder_question", kwargs={**build, "question_id": question}),
            reverse(
                "surveys:builder_question", kwargs={**build, "question_id": kinds["matrix"].pk}
            ),
        ],
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_localised_number_in_any_attribute(client, big, language):
    survey = big[0]
    with translation.override(language):
        client.post(reverse("surveys:start", kwargs={"slug": survey.slug}))
        pages = _pages(*big)
        for address in pages["resident"]:
            html = client.get(address).content.decode()
            assert localised_numbers(html) == [], address
        sign_in_past_second_factor(client, StaffRoleFactory().user)
        for address in pages["staff"]:
            response = client.get(address)
            assert response.status_code == 200, address
            assert localised_numbers(response.content.decode()) == [], address


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_long_answer_takes_its_whole_length(client, big, language):
    survey = big[0]
    with translation.override(language):
        client.post(reverse("surveys:start", kwargs={"slug": survey.slug}))
        html = client.get(reverse("surveys:answer", kwargs={"slug": survey.slug})).content
    html = html.decode()
    assert 'maxlength="2000"' in html and 'maxlength="1500"' in html


class Form(HTMLParser):
    """The values a browser would post from the answer page's form, choosing the
    first option of each radio group and ranking items in order."""

    def __init__(self):
        super().__init__()
        self.data, self.ranks = {}, {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "radio":
            self.data.setdefault(attrs["name"], attrs["value"])
        if tag == "input" and attrs.get("type") == "hidden" and attrs["name"] == "page":
            self.data["page"] = attrs["value"]
        if tag == "select":
            self._select = attrs["name"]
        if tag == "option" and self._select and attrs.get("value"):
            self.ranks.setdefault(self._select, []).append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_the_page_offers_is_what_the_server_takes(client, big, language):
    """Posting the values the page wrote (four-digit ids) stores those answers."""
    survey, _page, kinds, _hearing = big
    address = reverse("surveys:answer", kwargs={"slug": survey.slug})
    with translation.override(language):
        client.post(reverse("surveys:start", kwargs={"slug": survey.slug}))
        form = Form()
        form.feed(client.get(address).content.decode())
        ranked = sorted(name for name in form.ranks if name.startswith(f"q{kinds['ranking'].pk}"))
        # Two ranks are offered, as the question allows, for each of the three items.
        assert [form.ranks[name] for name in ranked] == [["1", "2"]] * 3
        data = {**form.data, ranked[0]: "1", ranked[1]: "2"}
        done = client.post(address, data)
    assert done.status_code == 302
    stored = dict(
        Answer.objects.filter(response__status="draft").values_list("question_id", "value")
    )
    assert stored[kinds["single_choice"].pk] == {"option": 4000}
    assert stored[kinds["scale"].pk] == 0
    assert stored[kinds["matrix"].pk] == {"4400": 4300, "4401": 4300}
    assert stored[kinds["ranking"].pk] == [4200, 4201]

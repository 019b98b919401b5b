"""The demo surveys and hearing build, can be built again, and can be used."""

import datetime

import factory
import pytest
from django.utils import timezone

from osallistu.demo import surveys as demo
from osallistu.surveys import engine, results, selectors
from osallistu.surveys.models import (
    Comment,
    CommentSupport,
    Poll,
    PollVote,
    Response,
    SectionAttachment,
    SectionImage,
    Survey,
)
from tests.factories import StaffRoleFactory, UserFactory


@pytest.fixture
def built(helsinki, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    StaffRoleFactory()
    UserFactory.create_batch(3, email=factory.Sequence(lambda n: f"asukas{n}@example.fi"))
    monkeypatch.setattr(demo, "CLOSED_SURVEY_RESPONSES", 60)
    return demo.build_surveys(timezone.localdate())


def test_demo_builds_once(built):
    (open_survey, _), (closed_survey, _), (hearing, _) = built
    again = demo.build_surveys(timezone.localdate())
    assert [item for item, _note in again] == [open_survey, closed_survey, hearing]
    assert Response.objects.filter(survey=closed_survey).count() == 60


def test_demo_surveys_are_published_and_listed(built):
    open_survey, closed_survey = built[0][0], built[1][0]
    assert open_survey.published and closed_survey.published
    assert set(Survey.objects.listed()) == {open_survey, closed_survey}


def test_open_survey_has_every_kind_and_branches(built):
    survey = built[0][0]
    assert survey.is_open()
    structure = selectors.survey_structure(survey)
    assert {spec.kind for spec in structure.specs} == set(engine.OPERATORS_BY_KIND)
    cycles = next(spec for spec in structure.specs if spec.kind == "single_choice")
    never = {cycles.id: {"option": cycles.choices[-1]}}
    daily = {cycles.id: {"option": cycles.choices[0]}}
    pages = structure.page_ids
    assert engine.shown_pages(pages, structure.specs, never) == [pages[0], pages[-1]]
    assert engine.shown_pages(pages, structure.specs, daily) == pages


def test_closed_survey_has_published_results(built):
    survey = built[1][0]
    assert not survey.is_open() and survey.results_published
    outcome = results.survey_results(survey)
    assert outcome.respondents == 60
    assert all(result.answered > 0 for result in outcome.questions if result.kind != "long_text")
    assert survey.closes_at < timezone.now() - datetime.timedelta(days=1)


def test_hearing_has_comments_replies_and_moderation(built):
    hearing = built[2][0]
    assert hearing.is_open()
    assert Comment.objects.filter(hearing=hearing, parent__isnull=True).count() >= 7
    assert Comment.objects.filter(hearing=hearing, is_official=True).count() == 1
    assert Comment.objects.filter(hearing=hearing, hidden_at__isnull=False).count() == 1
    assert Comment.objects.filter(hearing=hearing, parent__isnull=False, is_official=False).exists()
    assert CommentSupport.objects.filter(comment__hearing=hearing).exists()


def test_hearing_has_pictures_a_plan_and_polls(built):
    hearing = built[2][0]
    images = SectionImage.objects.filter(section__hearing=hearing)
    assert images.count() == 3
    for image in images:
        assert image.image.read(8) == b"\x89PNG\r\n\x1a\n"
        assert image.alt_text_fi and image.alt_text_sv and image.alt_text_en
        image.full_clean()
    plan = SectionAttachment.objects.get(section__hearing=hearing)
    assert plan.file.read(5) == b"%PDF-"
    assert Poll.objects.filter(section__hearing=hearing).count() == 2
    # Three demo residents: all but the last have voted in both polls.
    assert PollVote.objects.filter(poll__section__hearing=hearing).count() == 4


def test_closed_survey_has_places_and_areas_on_the_map(built):
    outcome = results.survey_results(built[1][0])
    point, drawn = [result for result in outcome.questions if result.kind == "map"]
    assert point.points and not point.area_rings
    assert drawn.area_rings and not drawn.points
    drawing = point.map_drawing()
    assert sum(places for _name, places, _areas in drawing.by_district) > len(point.points) / 2

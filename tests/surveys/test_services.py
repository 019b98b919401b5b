from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone

from osallistu.core.models import AuditEntry
from osallistu.surveys import selectors, services
from osallistu.surveys.models import Answer, Audience, Response, Selection, Survey
from osallistu.surveys.services import AnswersInvalid, SurveyError
from tests.factories import UserFactory, VerifiedResidentFactory

pytestmark = pytest.mark.integrity

ANONYMOUS = AnonymousUser()


def post(**fields):
    data = QueryDict(mutable=True)
    for key, value in fields.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def start(survey, user=ANONYMOUS, ip="192.0.2.1", **kwargs):
    return services.start_response(survey=survey, user=user, client_ip=ip, **kwargs)


def answer_page(response, page, **fields):
    return services.save_page(response=response, page_id=page.id, data=post(**fields))


def stored(response):
    return selectors.answer_values(response)


def test_cyclist_sees_every_page_and_sends(branching_survey, resident):
    s = branching_survey
    response = start(s.survey, resident)
    assert response.current_page == s.pages[0]
    response = answer_page(response, s.pages[0], **{f"q{s.cycles.id}": str(s.yes.id)})
    assert response.current_page_id == s.pages[1].id
    response = answer_page(
        response,
        s.pages[1],
        **{f"q{s.routes.id}": [str(s.baana.id)], f"q{s.comment.id}": "Lisää valoja"},
    )
    response = answer_page(response, s.pages[2], **{f"q{s.satisfaction.id}": "4"})
    assert response.current_page_id is None  # the review
    response = services.submit_response(response=response, user=resident)
    assert response.is_submitted
    assert response.district == resident.district
    assert response.age_group == "30-49"
    assert stored(response) == {
        s.cycles.id: {"option": s.yes.id},
        s.routes.id: {"options": [s.baana.id]},
        s.comment.id: "Lisää valoja",
        s.satisfaction.id: 4,
    }
    assert set(Selection.objects.values_list("option_id", flat=True)) == {s.yes.id, s.baana.id}
    assert AuditEntry.objects.filter(action="surveys.response_submitted").count() == 1


def test_non_cyclist_skips_the_cycling_page(branching_survey):
    s = branching_survey
    response = start(s.survey)
    response = answer_page(response, s.pages[0], **{f"q{s.cycles.id}": str(s.no.id)})
    assert response.current_page_id == s.pages[2].id
    response = services.go_back(response=response)
    assert response.current_page_id == s.pages[0].id


def test_changing_a_branching_answer_deletes_the_hidden_answers(branching_survey):
    s = branching_survey
    response = start(s.survey)
    response = answer_page(response, s.pages[0], **{f"q{s.cycles.id}": str(s.yes.id)})
    response = answer_page(
        response, s.pages[1], **{f"q{s.comment.id}": "Baanalle valoja", f"q{s.routes.id}": []}
    )
    response = services.go_back(response=response)
    response = services.go_back(response=response)
    response = answer_page(response, s.pages[0], **{f"q{s.cycles.id}": str(s.no.id)})
    assert stored(response) == {s.cycles.id: {"option": s.no.id}}
    assert not Answer.objects.filter(question=s.comment).exists()


def test_answers_to_hidden_questions_are_never_stored(branching_survey):
    """A tampered form posts answers to the hidden page's questions along with page 1."""
    s = branching_survey
    response = start(s.survey)
    response = answer_page(
        response,
        s.pages[0],
        **{f"q{s.cycles.id}": str(s.no.id), f"q{s.comment.id}": "sneaked in"},
    )
    assert stored(response) == {s.cycles.id: {"option": s.no.id}}


def test_tampered_page_field_cannot_skip_ahead(branching_survey):
    s = branching_survey
    response = start(s.survey)
    with pytest.raises(SurveyError) as refused:
        answer_page(response, s.pages[2], **{f"q{s.satisfaction.id}": "5"})
    assert refused.value.code == "wrong_page"
    assert stored(response) == {}


def test_invalid_answers_store_nothing(branching_survey):
    s = branching_survey
    response = start(s.survey)
    with pytest.raises(AnswersInvalid) as invalid:
        answer_page(response, s.pages[0], **{f"q{s.cycles.id}": "999"})
    assert invalid.value.errors == {s.cycles.id: "Choose one of the options given."}
    response.refresh_from_db()
    assert response.current_page_id == s.pages[0].id
    assert stored(response) == {}


def test_save_for_later_keeps_the_page_and_allows_empty_required(branching_survey, resident):
    s = branching_survey
    response = start(s.survey, resident)
    response = services.save_page(
        response=response, page_id=s.pages[0].id, data=post(), advance=False
    )
    assert response.current_page_id == s.pages[0].id
    response = answer_page(response, s.pages[0], **{f"q{s.cycles.id}": str(s.no.id)})
    # Coming back later continues the same response where it was left.
    again = start(s.survey, resident)
    assert again.pk == response.pk and again.current_page_id == s.pages[2].id


def test_submit_needs_the_review_step_and_required_answers(branching_survey):
    s = branching_survey
    response = start(s.survey)
    with pytest.raises(SurveyError) as refused:
        services.submit_response(response=response, user=ANONYMOUS)
    assert refused.value.code == "not_finished"
    # A review reached with a required answer missing (data changed underneath).
    response = answer_page(response, s.pages[0], **{f"q{s.cycles.id}": str(s.no.id)})
    response = answer_page(response, s.pages[2], **{f"q{s.satisfaction.id}": "3"})
    Answer.objects.filter(question=s.satisfaction).delete()
    with pytest.raises(SurveyError) as refused:
        services.submit_response(response=response, user=ANONYMOUS)
    assert refused.value.code == "missing_answers"
    response.refresh_from_db()
    assert response.current_page_id == s.pages[2].id


def _finish(s, response, user=ANONYMOUS):
    response = answer_page(response, s.pages[0], **{f"q{s.cycles.id}": str(s.no.id)})
    response = answer_page(response, s.pages[2], **{f"q{s.satisfaction.id}": "5"})
    return services.submit_response(response=response, user=user)


def test_one_response_per_person(branching_survey, resident):
    s = branching_survey
    _finish(s, start(s.survey, resident), resident)
    with pytest.raises(SurveyError) as refused:
        start(s.survey, resident)
    assert refused.value.code == "already_answered"
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=s.survey, user=resident)


def test_a_sent_response_cannot_be_changed(branching_survey, resident):
    s = branching_survey
    response = _finish(s, start(s.survey, resident), resident)
    with pytest.raises(SurveyError) as refused:
        services.go_back(response=response)
    assert refused.value.code == "already_answered"


def test_anonymous_browser_that_answered_is_refused(branching_survey):
    with pytest.raises(SurveyError) as refused:
        start(branching_survey.survey, answered_in_this_browser=True)
    assert refused.value.code == "already_answered"


def test_anonymous_responses_are_limited_per_network_address(branching_survey):
    survey = branching_survey.survey
    survey.anonymous_responses_per_hour = 2
    survey.save()
    start(survey)
    start(survey)
    with pytest.raises(SurveyError) as refused:
        start(survey)
    assert refused.value.code == "rate_limited"
    assert start(survey, ip="198.51.100.7") is not None
    assert Response.objects.filter(survey=survey).count() == 3


def test_closed_survey_refuses_starting_and_sending(branching_survey):
    s = branching_survey
    response = start(s.survey)
    response = answer_page(response, s.pages[0], **{f"q{s.cycles.id}": str(s.no.id)})
    response = answer_page(response, s.pages[2], **{f"q{s.satisfaction.id}": "5"})
    s.survey.closes_at = timezone.now() - timedelta(minutes=1)
    s.survey.save()
    with pytest.raises(SurveyError) as refused:
        services.submit_response(response=response, user=ANONYMOUS)
    assert refused.value.code == "closed"
    with pytest.raises(SurveyError) as refused:
        start(s.survey)
    assert refused.value.code == "closed"


def test_not_yet_open(branching_survey):
    s = branching_survey
    s.survey.opens_at = timezone.now() + timedelta(days=1)
    s.survey.save()
    with pytest.raises(SurveyError) as refused:
        start(s.survey)
    assert refused.value.code == "not_open"


class TestAudience:
    def test_signed_in(self, branching_survey):
        survey = branching_survey.survey
        survey.audience = Audience.SIGNED_IN
        survey.save()
        with pytest.raises(SurveyError) as refused:
            start(survey)
        assert refused.value.code == "not_signed_in"
        assert start(survey, UserFactory()).user is not None

    def test_strongly_identified(self, branching_survey, helsinki):
        survey = branching_survey.survey
        survey.audience = Audience.STRONGLY_IDENTIFIED
        survey.save()
        with pytest.raises(SurveyError) as refused:
            start(survey, UserFactory())
        assert refused.value.code == "not_verified"
        with pytest.raises(SurveyError) as refused:
            start(survey, VerifiedResidentFactory(municipality_code="049"))
        assert refused.value.code == "not_resident"
        assert start(survey, VerifiedResidentFactory()) is not None

    def test_districts(self, branching_survey, helsinki, resident):
        survey = branching_survey.survey
        survey.audience = Audience.DISTRICTS
        survey.save()
        survey.districts.set([helsinki["western"]])
        with pytest.raises(SurveyError) as refused:
            start(survey, resident)
        assert refused.value.code == "not_in_district"
        assert "Western" in refused.value.message or "Läntinen" in refused.value.message
        survey.districts.add(helsinki["eastern"])
        assert start(survey, resident) is not None


def test_a_survey_made_a_draft_since_it_was_read_is_not_started(branching_survey, resident):
    survey = branching_survey.survey  # read while published
    Survey.objects.filter(pk=survey.pk).update(published=False)
    with pytest.raises(SurveyError) as refused:
        services.start_response(survey=survey, user=resident, client_ip="192.0.2.1")
    assert refused.value.code == "not_open"
    assert not Response.objects.exists()

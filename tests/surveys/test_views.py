"""Answering page by page with plain form posts, as a browser without JavaScript does."""

import pytest
from django.urls import reverse
from django.utils import translation

from osallistu.surveys.models import Response
from tests.factories import sign_in_past_second_factor

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _finnish_pages():
    with translation.override("fi"):
        yield


def url(name, survey):
    return reverse(f"surveys:{name}", kwargs={"slug": survey.slug})


def test_list_and_detail(client, branching_survey):
    survey = branching_survey.survey
    page = client.get(reverse("surveys:list")).content.decode()
    assert survey.title_fi in page
    page = client.get(url("detail", survey)).content.decode()
    assert "Aloita vastaaminen" in page


def test_home_page_offers_surveys(client, branching_survey):
    assert reverse("surveys:list") in client.get(reverse("core:home")).content.decode()


def test_anonymous_answers_a_branching_survey(client, branching_survey):
    s = branching_survey
    answer = url("answer", s.survey)
    assert client.post(url("start", s.survey)).url == answer

    page = client.get(answer)
    assert s.cycles.text_fi in page.content.decode()
    assert f'name="page" value="{s.pages[0].id}"' in page.content.decode()

    # No answer to a required question: the page comes back with the error by the field.
    page = client.post(answer, {"page": s.pages[0].id, "action": "next"})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="q{s.cycles.id}_error"' in html
    assert f'aria-describedby="q{s.cycles.id}_error"' in html

    client.post(answer, {"page": s.pages[0].id, f"q{s.cycles.id}": s.no.id})
    html = client.get(answer).content.decode()
    assert s.satisfaction.text_fi in html and s.routes.text_fi not in html

    client.post(answer, {"page": s.pages[2].id, f"q{s.satisfaction.id}": "4", f"q{s.age.id}": "41"})
    review = client.get(answer).content.decode()
    assert "Ei" in review and "41" in review

    done = client.post(answer, {"action": "submit"})
    assert done.url == url("thanks", s.survey)
    assert client.get(done.url).status_code == 200
    response = Response.objects.get()
    assert response.is_submitted and response.user is None

    # The signed cookie keeps this browser from starting again.
    client.post(url("start", s.survey))
    assert Response.objects.count() == 1
    assert "Olet vastannut" in client.get(url("detail", s.survey)).content.decode()


def test_back_button_and_stale_page_field(client, branching_survey):
    s = branching_survey
    answer = url("answer", s.survey)
    client.post(url("start", s.survey))
    client.post(answer, {"page": s.pages[0].id, f"q{s.cycles.id}": s.yes.id})
    # A tampered or stale page id does not store anything and shows the current page.
    stale = client.post(answer, {"page": s.pages[2].id, f"q{s.satisfaction.id}": "5"})
    assert stale.url == answer
    assert not Response.objects.get().answers.filter(question=s.satisfaction).exists()
    html = client.get(answer).content.decode()
    assert s.routes.text_fi in html
    client.post(answer, {"page": s.pages[1].id, "action": "back"})
    assert f'value="{s.pages[0].id}"' in client.get(answer).content.decode()


def test_stored_answers_are_filled_in_when_coming_back(client, branching_survey):
    s = branching_survey
    answer = url("answer", s.survey)
    client.post(url("start", s.survey))
    client.post(answer, {"page": s.pages[0].id, f"q{s.cycles.id}": s.yes.id})
    client.post(answer, {"page": s.pages[1].id, "action": "back"})
    html = client.get(answer).content.decode()
    assert f'value="{s.yes.id}" checked' in html


def test_signed_in_resident_saves_and_continues_later(client, branching_survey, resident):
    s = branching_survey
    client.force_login(resident)
    answer = url("answer", s.survey)
    client.post(url("start", s.survey))
    saved = client.post(
        answer, {"page": s.pages[0].id, f"q{s.cycles.id}": s.yes.id, "action": "save"}
    )
    assert saved.url == url("detail", s.survey)
    client.logout()

    client.force_login(resident)
    detail = client.get(url("detail", s.survey)).content.decode()
    assert "Jatka vastaamista" in detail
    client.post(url("start", s.survey))
    html = client.get(answer).content.decode()
    assert f'value="{s.yes.id}" checked' in html
    assert Response.objects.get().user == resident


def test_anonymous_cannot_save_for_later(client, branching_survey):
    s = branching_survey
    client.post(url("start", s.survey))
    html = client.get(url("answer", s.survey)).content.decode()
    assert 'value="save"' not in html


def test_answer_page_without_a_response_goes_to_the_survey(client, branching_survey):
    survey = branching_survey.survey
    assert client.get(url("answer", survey)).url == url("detail", survey)
    assert client.get(url("thanks", survey)).status_code == 404


def test_anonymous_start_again_continues_the_same_answers(client, branching_survey):
    s = branching_survey
    client.post(url("start", s.survey))
    client.post(url("answer", s.survey), {"page": s.pages[0].id, f"q{s.cycles.id}": s.no.id})
    assert client.post(url("start", s.survey)).url == url("answer", s.survey)
    assert Response.objects.count() == 1
    assert s.satisfaction.text_fi in client.get(url("answer", s.survey)).content.decode()


def test_admin_shows_surveys_and_their_conditions_read_only(client, admin_user, branching_survey):
    """Surveys are built in the builder, whose rules protect the answers; the admin only
    shows them (hearings are still made there)."""
    s = branching_survey
    sign_in_past_second_factor(client, admin_user)
    page = client.get(reverse("admin:surveys_question_change", args=[s.satisfaction.pk]))
    assert page.status_code == 200
    formset = next(
        formset
        for formset in page.context["inline_admin_formsets"]
        if formset.formset.model.__name__ == "Condition"
    )
    assert not formset.has_add_permission and not formset.has_change_permission
    assert client.get(reverse("admin:surveys_survey_change", args=[s.survey.pk])).status_code == 200
    for name in ("admin:surveys_survey_add", "admin:surveys_question_add"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("admin:surveys_hearing_add")).status_code == 200


def test_a_database_refusal_is_not_passed_off_as_a_changed_survey(
    client, branching_survey, monkeypatch
):
    """The builder cannot delete what answers refer to while they are saved (the
    survey is locked), so a refusal of the database is a fault to see, not a message
    telling the respondent that the survey changed."""
    from django.db import IntegrityError

    from osallistu.surveys import services

    def refused(*args, **kwargs):
        raise IntegrityError("CHECK constraint failed: JSON_VALID")

    s = branching_survey
    answer = url("answer", s.survey)
    client.post(url("start", s.survey))
    client.post(answer, {"page": s.pages[0].id, f"q{s.cycles.id}": s.yes.id})
    monkeypatch.setattr(services, "_replace_answers", refused)
    with pytest.raises(IntegrityError):
        client.post(answer, {"page": s.pages[1].id, f"q{s.comment.id}": "Baanalle valot"})
    assert not Response.objects.get().answers.filter(question=s.comment).exists()


def test_a_draft_survey_is_not_shown_or_answered(client, branching_survey):
    survey = branching_survey.survey
    survey.published = False
    survey.results_published = True
    survey.save()
    assert survey.title_fi not in client.get(reverse("surveys:list")).content.decode()
    for name in ("detail", "answer", "thanks", "results"):
        assert client.get(url(name, survey)).status_code == 404
    assert client.post(url("start", survey)).status_code == 404
    assert not Response.objects.exists()

"""What people write in hearings is kept as written or refused with a message next to
the field, with the text still in the form: never cut, emptied or thanked for when it
was not saved (issue 12, item 8)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from osallistu.surveys import builder, services
from osallistu.surveys.models import Comment, CommentFlag, Survey
from osallistu.surveys.services import HearingError
from tests.factories import StaffRoleFactory, UserFactory, sign_in_past_second_factor
from tests.surveys.factories import HearingFactory, SurveyFactory

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _finnish():
    with translation.override("fi"):
        yield


@pytest.fixture
def hearing(db):
    return HearingFactory(slug="kalasatama")


@pytest.fixture
def comment(hearing):
    return Comment.objects.create(hearing=hearing, author=UserFactory(), text="Lisää puita")


@pytest.fixture
def staff():
    return StaffRoleFactory().user


def url(name, hearing, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"slug": hearing.slug, **kwargs})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_long_flag_reason_is_refused_next_to_the_field_and_kept(client, hearing, comment):
    client.force_login(UserFactory())
    reason = "Tämä kommentti on asiaton, koska " + "x" * 300
    page = client.post(url("flag", hearing, comment_id=comment.pk), {"reason": reason})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="flag-{comment.pk}-reason_error"' in html
    assert "enintään 300 merkkiä" in html  # Django's own message, in Finnish
    assert reason in html  # the text is still in the field
    assert "<details open>" in html
    assert not CommentFlag.objects.exists()
    assert not messages_of(page)  # no thanks


def test_a_flag_reason_of_the_longest_length_is_kept_whole(client, hearing, comment):
    client.force_login(UserFactory())
    reason = "y" * services.REASON_MAX_LENGTH
    client.post(url("flag", hearing, comment_id=comment.pk), {"reason": reason})
    assert CommentFlag.objects.get().reason == reason


def test_the_services_refuse_what_they_would_have_cut(hearing, comment, staff):
    with pytest.raises(HearingError) as refused:
        services.flag_comment(comment=comment, user=UserFactory(), reason="x" * 301)
    assert refused.value.field == "reason" and "300" in str(refused.value)
    with pytest.raises(HearingError) as refused:
        services.answer_officially(comment=comment, actor=staff, text="x" * 5001)
    assert refused.value.field == "text" and "5000" in str(refused.value).replace("\xa0", "")
    with pytest.raises(HearingError):
        services.hide_comment(comment=comment, actor=staff, reason="x" * 301)
    with pytest.raises(HearingError):
        services.post_comment(
            hearing=hearing, user=UserFactory(), text="Hei", nickname="n" * 61, client_ip=""
        )
    with pytest.raises(HearingError) as refused:
        services.post_comment(hearing=hearing, user=UserFactory(), text="Hei\x00", client_ip="")
    assert refused.value.code == "characters"
    comment.refresh_from_db()
    assert not comment.is_hidden and Comment.objects.count() == 1
    assert not CommentFlag.objects.exists()


@pytest.fixture
def staff_client(client, staff):
    return sign_in_past_second_factor(client, staff)


def test_a_long_official_answer_is_refused_next_to_the_field_and_kept(
    staff_client, hearing, comment
):
    text = "Kiitos kommentista. " * 251  # 5,020 characters
    page = staff_client.post(
        url("moderate", hearing, comment_id=comment.pk, action="answer"), {"text": text}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="answer-{comment.pk}-text_error"' in html and "enintään 5" in html
    assert text.strip() in html
    assert not comment.replies.exists()
    assert "Valmis." not in messages_of(page)


def test_an_official_answer_of_the_longest_length_is_kept_whole(staff_client, hearing, comment):
    text = "z" * services.COMMENT_MAX_LENGTH
    done = staff_client.post(
        url("moderate", hearing, comment_id=comment.pk, action="answer"), {"text": text}
    )
    assert done.status_code == 302
    assert comment.replies.get().text == text


def test_a_long_reason_for_hiding_is_refused_next_to_the_field(staff_client, hearing, comment):
    reason = "Henkilötietoja " * 25  # 375 characters
    page = staff_client.post(
        url("moderate", hearing, comment_id=comment.pk, action="hide"), {"reason": reason}
    )
    html = page.content.decode()
    assert page.status_code == 200 and f'id="hide-{comment.pk}-reason_error"' in html
    assert "enintään 300 merkkiä" in html and "Kerro, miksi" not in html
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_a_long_reply_is_refused_next_to_the_field_and_kept(client, hearing, comment):
    client.force_login(UserFactory())
    text = "Samaa mieltä. " * 400
    page = client.post(url("reply", hearing, comment_id=comment.pk), {"text": text})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="reply-{comment.pk}-text_error"' in html and text.strip() in html
    assert not comment.replies.exists()


def test_a_refused_comment_comes_back_with_its_text(client, hearing, settings):
    hearing.commenting = "anyone"
    hearing.anonymous_comments_per_hour = 1
    hearing.save()
    assert client.post(url("comment", hearing), {"text": "Ensimmäinen"}).status_code == 302
    page = client.post(url("comment", hearing), {"text": "Toinen, pitkä ja mietitty"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Toinen, pitkä ja mietitty" in html and "viimeisen tunnin" in html
    assert Comment.objects.count() == 1


def test_a_control_character_in_a_comment_is_refused_next_to_the_field(client, hearing):
    client.force_login(UserFactory())
    page = client.post(url("comment", hearing), {"text": "Hyvä\x1b[0m suunnitelma"})
    assert page.status_code == 200 and 'id="id_text_error"' in page.content.decode()
    assert not Comment.objects.exists()


def test_a_copy_of_a_survey_with_a_long_title_is_visibly_shortened(staff):
    survey = SurveyFactory(title_fi="Pitkä " * 33)
    copy = builder.duplicate_survey(survey=survey, actor=staff)
    assert len(copy.title_fi) == 200 and copy.title_fi.endswith("… (kopio)")
    assert Survey.objects.get(pk=copy.pk).title_en.endswith("(copy)")


def test_a_database_fault_in_a_vote_is_not_called_a_second_vote(monkeypatch):
    """Only a person's second vote meets the unique constraint; any other refusal of
    the database is a fault to see, not "you have already voted"."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import IntegrityError

    from osallistu.surveys import polls
    from osallistu.surveys.models import PollChoice
    from tests.surveys.factories import PollFactory, PollOptionFactory

    option = PollOptionFactory(poll=PollFactory(voting="anyone"))

    def refused(*args, **kwargs):
        raise IntegrityError("FOREIGN KEY constraint failed")

    monkeypatch.setattr(PollChoice.objects, "bulk_create", refused)
    with pytest.raises(IntegrityError):
        polls.vote(
            poll=option.poll, user=AnonymousUser(), option_ids=[option.pk], client_ip="192.0.2.9"
        )

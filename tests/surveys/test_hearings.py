"""Hearings: commenting by policy, replies, support, reports, moderation."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.core.models import AuditEntry
from osallistu.surveys import selectors, services
from osallistu.surveys.models import Comment, CommentingPolicy
from osallistu.surveys.services import HearingError
from tests.factories import (
    StaffRoleFactory,
    UserFactory,
    VerifiedResidentFactory,
    sign_in_past_second_factor,
)
from tests.surveys.factories import HearingFactory, SectionFactory

ANONYMOUS = AnonymousUser()


def post(hearing, user=ANONYMOUS, text="Hyvä suunnitelma", ip="192.0.2.1", **kwargs):
    return services.post_comment(hearing=hearing, user=user, text=text, client_ip=ip, **kwargs)


@pytest.fixture
def hearing(db):
    hearing = HearingFactory(slug="kalasatama", map_comments=True)
    SectionFactory(hearing=hearing, position=1, kind="main")
    return hearing


@pytest.fixture
def staff(db):
    return StaffRoleFactory().user


class TestCommentingPolicy:
    @pytest.mark.parametrize(
        "policy,user_kind,code",
        [
            (CommentingPolicy.NOBODY, "resident", "closed"),
            (CommentingPolicy.SIGNED_IN, "anonymous", "not_signed_in"),
            (CommentingPolicy.SIGNED_IN, "user", "ok"),
            (CommentingPolicy.ANYONE, "anonymous", "ok"),
            (CommentingPolicy.STRONGLY_IDENTIFIED, "user", "not_verified"),
            (CommentingPolicy.STRONGLY_IDENTIFIED, "resident", "ok"),
        ],
    )
    def test_policy(self, hearing, policy, user_kind, code):
        hearing.commenting = policy
        hearing.save()
        user = {
            "anonymous": ANONYMOUS,
            "user": UserFactory(),
            "resident": VerifiedResidentFactory(),
        }[user_kind]
        assert selectors.may_comment(hearing, user).code == code

    def test_closed_hearing(self, hearing):
        hearing.commenting = CommentingPolicy.ANYONE
        hearing.closes_at = timezone.now() - timedelta(minutes=1)
        hearing.save()
        with pytest.raises(HearingError) as refused:
            post(hearing)
        assert refused.value.code == "closed"


def test_comment_with_a_place_and_a_reply(hearing):
    user = UserFactory()
    place = services.clean_place(address="Työpajankatu 8", lat="60,187", lon="24,977")
    comment = post(hearing, user, section=hearing.sections.get(), place=place, nickname="Aino")
    assert comment.geojson == {"type": "Point", "coordinates": [24.977, 60.187]}
    assert comment.address == "Työpajankatu 8"
    reply = post(hearing, UserFactory(), text="Samaa mieltä", parent=comment, place=place)
    assert reply.section == comment.section and reply.geojson is None
    with pytest.raises(HearingError) as refused:
        post(hearing, user, parent=reply)
    assert refused.value.code == "wrong_parent"
    top = selectors.hearing_comments(hearing)
    assert [c.pk for c in top] == [comment.pk]
    assert [r.pk for r in top[0].reply_list] == [reply.pk]


def test_place_is_ignored_when_the_hearing_takes_no_map_comments(hearing):
    hearing.map_comments = False
    hearing.save()
    comment = post(hearing, UserFactory(), place=services.clean_place(address="Kallio"))
    assert comment.address == "" and comment.geojson is None


def test_empty_and_too_long_comments(hearing):
    with pytest.raises(HearingError):
        post(hearing, UserFactory(), text="   ")
    with pytest.raises(HearingError):
        post(hearing, UserFactory(), text="x" * 5001)


def test_anonymous_comments_are_limited_per_network_address(hearing):
    hearing.commenting = CommentingPolicy.ANYONE
    hearing.anonymous_comments_per_hour = 1
    hearing.save()
    post(hearing)
    with pytest.raises(HearingError) as refused:
        post(hearing)
    assert refused.value.code == "rate_limited"
    post(hearing, ip="198.51.100.2")


def test_support_once_per_person(hearing):
    comment = post(hearing, UserFactory())
    supporter = UserFactory()
    services.support_comment(comment=comment, user=supporter)
    services.support_comment(comment=comment, user=supporter)
    services.support_comment(comment=comment, user=UserFactory())
    assert selectors.hearing_comments(hearing)[0].support_count == 2
    assert selectors.supported_by(hearing, supporter) == {comment.pk}
    with pytest.raises(HearingError):
        services.support_comment(comment=comment, user=ANONYMOUS)


def test_hide_with_a_reason_restore_and_answer(hearing, staff):
    comment = post(hearing, UserFactory())
    services.flag_comment(comment=comment, user=UserFactory(), reason="Asiaton")
    assert selectors.comments_for_moderation(hearing)[0].flag_count == 1
    with pytest.raises(HearingError):
        services.hide_comment(comment=comment, actor=staff, reason=" ")
    hidden = services.hide_comment(comment=comment, actor=staff, reason="Henkilötietoja")
    assert hidden.is_hidden and hidden.hidden_reason == "Henkilötietoja"
    with pytest.raises(HearingError):
        post(hearing, UserFactory(), parent=hidden)
    services.restore_comment(comment=hidden, actor=staff)
    answer = services.answer_officially(comment=comment, actor=staff, text="Kiitos, selvitämme.")
    assert answer.is_official and answer.parent == comment
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "surveys.comment_hidden",
        "surveys.comment_restored",
        "surveys.comment_answered",
    }
    with pytest.raises(HearingError):
        services.answer_officially(comment=answer, actor=staff, text="Ei vastausta vastaukseen")


# Pages


@pytest.fixture(autouse=True)
def _finnish_pages():
    with translation.override("fi"):
        yield


def url(name, hearing, **kwargs):
    return reverse(f"surveys:{name}", kwargs={"slug": hearing.slug, **kwargs})


def test_comment_and_reply_without_javascript(client, hearing):
    author = UserFactory()
    client.force_login(author)
    page = client.get(url("hearing", hearing)).content.decode()
    assert hearing.title_fi in page and 'name="text"' in page
    done = client.post(
        url("comment", hearing),
        {"text": "Lisää puita", "address": "Kalasatama", "lat": "60,187", "lon": "24,977"},
    )
    comment = Comment.objects.get()
    assert done.url.endswith(f"#comment-{comment.pk}")
    assert comment.geojson["coordinates"] == [24.977, 60.187]
    client.post(url("reply", hearing, comment_id=comment.pk), {"text": "Kannatan"})
    client.post(url("support", hearing, comment_id=comment.pk))
    client.post(url("flag", hearing, comment_id=comment.pk), {"reason": "testi"})
    page = client.get(url("hearing", hearing)).content.decode()
    assert "Lisää puita" in page and "Kannatan" in page


def test_a_bad_place_is_shown_next_to_the_field(client, hearing):
    client.force_login(UserFactory())
    page = client.post(url("comment", hearing), {"text": "Täällä", "lat": "61,5", "lon": "x"})
    assert page.status_code == 200
    assert "id_lat_error" in page.content.decode()
    assert not Comment.objects.exists()


def test_anonymous_sees_why_they_cannot_comment(client, hearing):
    page = client.get(url("hearing", hearing)).content.decode()
    assert "Kirjaudu" in page
    client.post(url("comment", hearing), {"text": "Hei"})
    assert not Comment.objects.exists()


def test_the_author_sees_why_a_comment_was_hidden(client, hearing, staff):
    author, other = UserFactory(), UserFactory()
    comment = post(hearing, author, text="Naapurini Matti Meikäläinen")
    services.hide_comment(comment=comment, actor=staff, reason="Toisen henkilön nimi")
    client.force_login(other)
    page = client.get(url("hearing", hearing)).content.decode()
    assert "Matti Meikäläinen" not in page and "Toisen henkilön nimi" not in page
    client.force_login(author)
    page = client.get(url("hearing", hearing)).content.decode()
    assert "Toisen henkilön nimi" in page


@pytest.fixture
def staff_client(client, staff):
    sign_in_past_second_factor(client, staff)
    return client


def test_moderation_pages(staff_client, hearing):
    comment = post(hearing, UserFactory())
    assert staff_client.get(url("moderation", hearing)).status_code == 200
    staff_client.post(
        url("moderate", hearing, comment_id=comment.pk, action="hide"), {"reason": "Asiaton"}
    )
    comment.refresh_from_db()
    assert comment.hidden_reason == "Asiaton"
    staff_client.post(url("moderate", hearing, comment_id=comment.pk, action="restore"))
    staff_client.post(
        url("moderate", hearing, comment_id=comment.pk, action="answer"), {"text": "Kiitos"}
    )
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.replies.get().is_official
    response = staff_client.post(url("moderate", hearing, comment_id=comment.pk, action="delete"))
    assert response.status_code == 404


def test_moderation_needs_staff(client, hearing):
    client.force_login(UserFactory())
    assert client.get(url("moderation", hearing)).status_code == 403

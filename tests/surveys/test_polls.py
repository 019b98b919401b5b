"""Hearing polls: who may vote, once per person, results shown by the poll's setting;
images and attachments of sections; the admin pages where staff manage them."""

import re
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.surveys import polls, selectors
from osallistu.surveys.models import (
    CommentingPolicy,
    Poll,
    PollChoice,
    PollVote,
    SectionAttachment,
    SectionImage,
)
from tests.factories import UserFactory, VerifiedResidentFactory, sign_in_past_second_factor
from tests.surveys.factories import HearingFactory, PollFactory, PollOptionFactory, SectionFactory

ANONYMOUS = AnonymousUser()


@pytest.fixture
def poll(db):
    hearing = HearingFactory(slug="puisto")
    section = SectionFactory(hearing=hearing, position=1)
    poll = PollFactory(section=section, position=1)
    PollOptionFactory(poll=poll, position=1, text_fi="Metsäinen", text_en="Wooded")
    PollOptionFactory(poll=poll, position=2, text_fi="Avoin", text_en="Open")
    PollOptionFactory(poll=poll, position=3, text_fi="Ei kumpikaan", text_en="Neither")
    return poll


def options(poll):
    return list(poll.options.order_by("position"))


def vote(poll, user=ANONYMOUS, chosen=None, **kwargs):
    chosen = [options(poll)[0].pk] if chosen is None else chosen
    return polls.vote(poll=poll, user=user, option_ids=chosen, client_ip="192.0.2.1", **kwargs)


def sections_for(poll, user=ANONYMOUS, voted_here=()):
    hearing = poll.section.hearing
    return selectors.hearing_sections(hearing, user, voted_here)[0].polls.all()[0]


class TestVoting:
    def test_signed_in_resident_votes_once(self, poll):
        user = UserFactory()
        vote(poll, user)
        with pytest.raises(polls.PollError) as refused:
            vote(poll, user, [options(poll)[1].pk])
        assert refused.value.code == "already_voted"
        assert PollVote.objects.count() == 1 and PollChoice.objects.count() == 1

    def test_anonymous_cannot_vote_when_the_poll_needs_a_login(self, poll):
        with pytest.raises(polls.PollError) as refused:
            vote(poll)
        assert refused.value.code == "not_signed_in"

    def test_strong_identification_is_required_when_the_poll_says_so(self, poll):
        poll.voting = CommentingPolicy.STRONGLY_IDENTIFIED
        poll.save()
        with pytest.raises(polls.PollError):
            vote(poll, UserFactory())
        vote(poll, VerifiedResidentFactory())

    def test_anyone_may_vote_once_in_a_browser(self, poll):
        poll.voting = CommentingPolicy.ANYONE
        poll.save()
        ballot = vote(poll)
        assert ballot.user is None
        with pytest.raises(polls.PollError):
            vote(poll, voted_here=True)

    def test_anonymous_votes_are_limited_per_network(self, poll):
        poll.voting = CommentingPolicy.ANYONE
        poll.save()
        hearing = poll.section.hearing
        hearing.anonymous_comments_per_hour = 2
        hearing.save()
        vote(poll)
        vote(poll)
        with pytest.raises(polls.PollError) as refused:
            vote(poll)
        assert refused.value.code == "rate_limited"

    def test_closed_hearing_takes_no_votes(self, poll):
        hearing = poll.section.hearing
        hearing.closes_at = timezone.now() - timedelta(minutes=1)
        hearing.opens_at = hearing.closes_at - timedelta(days=2)
        hearing.save()
        with pytest.raises(polls.PollError) as refused:
            vote(poll, UserFactory())
        assert refused.value.code == "closed"

    def test_nobody_may_vote(self, poll):
        poll.voting = CommentingPolicy.NOBODY
        poll.save()
        with pytest.raises(polls.PollError):
            vote(poll, UserFactory())

    @pytest.mark.parametrize("chosen", [[], ["x"], ["999999"]])
    def test_nothing_or_a_foreign_option_is_refused(self, poll, chosen):
        with pytest.raises(polls.PollError):
            vote(poll, UserFactory(), chosen)
        assert not PollVote.objects.exists()

    def test_an_option_of_another_poll_is_refused(self, poll):
        other = PollOptionFactory()
        with pytest.raises(polls.PollError):
            vote(poll, UserFactory(), [other.pk])

    def test_single_choice_takes_one_option_multiple_takes_several(self, poll):
        first, second, _third = options(poll)
        with pytest.raises(polls.PollError):
            vote(poll, UserFactory(), [first.pk, second.pk])
        poll.kind = Poll.Kind.MULTIPLE
        poll.save()
        vote(poll, UserFactory(), [first.pk, second.pk, first.pk])
        assert PollChoice.objects.count() == 2


class TestResults:
    def test_shown_to_a_voter_after_voting(self, poll):
        voter, other = UserFactory(), UserFactory()
        first, second, _third = options(poll)
        vote(poll, voter, [first.pk])
        vote(poll, UserFactory(), [first.pk])
        vote(poll, UserFactory(), [second.pk])
        assert sections_for(poll, other).bars == []
        shown = sections_for(poll, voter)
        assert shown.voted and shown.voters == 3
        assert [(bar["count"], bar["percent"]) for bar in shown.bars] == [
            (2, 66.7),
            (1, 33.3),
            (0, 0.0),
        ]

    def test_anonymous_voter_sees_results_by_the_session(self, poll):
        assert sections_for(poll, voted_here=[poll.pk]).bars

    def test_only_after_closing_when_so_set(self, poll):
        poll.results_shown = Poll.ResultsShown.AFTER_CLOSING
        poll.save()
        voter = UserFactory()
        vote(poll, voter)
        assert sections_for(poll, voter).bars == []
        hearing = poll.section.hearing
        hearing.closes_at = timezone.now() - timedelta(minutes=1)
        hearing.opens_at = hearing.closes_at - timedelta(days=2)
        hearing.save()
        assert sections_for(poll).bars[0]["count"] == 1

    def test_hearing_sections_take_a_fixed_number_of_queries(self, poll, django_assert_num_queries):
        PollOptionFactory(poll=PollFactory(section=poll.section, position=2))
        user = UserFactory()
        with django_assert_num_queries(8):
            sections = selectors.hearing_sections(poll.section.hearing, user)
            for section in sections:
                list(section.images.all())
                list(section.attachments.all())


class TestPages:
    def test_vote_without_javascript_and_see_the_results(self, client, poll):
        user = UserFactory()
        client.force_login(user)
        url = reverse("surveys:hearing", kwargs={"slug": "puisto"})
        page = client.get(url).content.decode()
        assert 'type="radio"' in page and "Wooded" in page
        first = options(poll)[0]
        reply = client.post(
            reverse("surveys:poll_vote", kwargs={"slug": "puisto", "poll_id": poll.pk}),
            {"option": [first.pk]},
        )
        assert reply.url == f"{url}#poll-{poll.pk}"
        page = client.get(url).content.decode()
        assert "Thank you! Your vote is counted." in page
        assert "You have voted in this poll." in page
        assert 'type="radio"' not in page
        assert "100.0 %" in page

    def test_a_refused_vote_says_why(self, client, poll):
        url = reverse("surveys:poll_vote", kwargs={"slug": "puisto", "poll_id": poll.pk})
        client.force_login(UserFactory())
        reply = client.post(url, {}, follow=True)
        assert "Choose an option before voting." in reply.content.decode()
        assert not PollVote.objects.exists()

    def test_anonymous_vote_once_per_session(self, client, poll):
        poll.voting = CommentingPolicy.ANYONE
        poll.save()
        url = reverse("surveys:poll_vote", kwargs={"slug": "puisto", "poll_id": poll.pk})
        first = options(poll)[0].pk
        client.post(url, {"option": [first]})
        client.post(url, {"option": [first]})
        assert PollVote.objects.count() == 1
        Client().post(url, {"option": [first]})
        assert PollVote.objects.count() == 2

    def test_a_poll_of_another_hearing_is_not_found(self, client, poll):
        HearingFactory(slug="toinen")
        url = reverse("surveys:poll_vote", kwargs={"slug": "toinen", "poll_id": poll.pk})
        client.force_login(UserFactory())
        assert client.post(url, {"option": [options(poll)[0].pk]}).status_code == 404

    def test_images_with_captions_and_attachments(self, client, poll, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        section = poll.section
        for position in (1, 2):
            image = SectionImage(
                section=section,
                position=position,
                alt_text_fi=f"Kuva {position}",
                alt_text_sv=f"Bild {position}",
                alt_text_en=f"Picture {position}",
                caption_fi=f"Kuvateksti {position}",
            )
            image.image.save(f"kuva{position}.png", ContentFile(b"\x89PNG"), save=False)
            image.full_clean()
            image.save()
        attachment = SectionAttachment(
            section=section,
            position=1,
            title_fi="Selostus",
            title_sv="Beskrivning",
            title_en="Report",
        )
        attachment.file.save("selostus.pdf", ContentFile(b"%PDF-1.4"), save=False)
        attachment.save()
        with translation.override("fi"):
            page = client.get(
                reverse("surveys:hearing", kwargs={"slug": "puisto"})
            ).content.decode()
        assert 'alt="Kuva 1"' in page and 'alt="Kuva 2"' in page
        assert "<figcaption>Kuvateksti 1</figcaption>" in page
        assert ">Selostus</a> (PDF)" in page


def test_an_image_needs_a_description_in_every_language(poll):
    from django.core.exceptions import ValidationError

    image = SectionImage(section=poll.section, position=1, image="x.png", alt_text_fi="Kuva")
    with pytest.raises(ValidationError) as refused:
        image.full_clean()
    assert {"alt_text_sv", "alt_text_en"} <= set(refused.value.message_dict)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_vote_per_person_under_concurrent_requests(poll):
    user = UserFactory()
    chosen = [options(poll)[0].pk]
    barrier = threading.Barrier(4)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            polls.vote(poll=poll, user=user, option_ids=chosen, client_ip="192.0.2.1")
            outcomes.append("voted")
        except polls.PollError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_voted"] * 3 + ["voted"]
    assert PollVote.objects.filter(user=user).count() == 1


def test_staff_see_poll_results_while_the_hearing_is_open(client, poll):

    from tests.factories import StaffRoleFactory

    poll.results_shown = Poll.ResultsShown.AFTER_CLOSING
    poll.save()
    vote(poll, UserFactory(), [options(poll)[1].pk])
    staff = StaffRoleFactory().user
    sign_in_past_second_factor(client, staff)
    page = client.get(reverse("surveys:moderation", kwargs={"slug": "puisto"})).content.decode()
    assert "1 person has voted." in page
    assert re.search(r"<th scope=\"row\">Open</th>\s*<td class=\"chart__value\">1</td>", page)
    # Residents still see no results.
    client.logout()
    page = client.get(reverse("surveys:hearing", kwargs={"slug": "puisto"})).content.decode()
    assert "1 person has voted." not in page


def test_staff_manage_images_attachments_and_polls_in_the_admin(client, admin_user, poll):

    from osallistu.core.models import AuditEntry

    sign_in_past_second_factor(client, admin_user)
    section = poll.section
    page = client.get(reverse("admin:surveys_section_change", args=[section.pk]))
    assert page.status_code == 200
    inlines = {formset.formset.model.__name__ for formset in page.context["inline_admin_formsets"]}
    assert inlines == {"SectionImage", "SectionAttachment", "Poll"}
    assert client.get(reverse("admin:surveys_poll_add")).status_code == 200
    page = client.get(reverse("admin:surveys_poll_change", args=[poll.pk]))
    assert page.status_code == 200
    data = {
        "section": section.pk,
        "position": 1,
        "kind": "multiple",
        "text_fi": "Mitä puistoon?",
        "text_sv": "Vad i parken?",
        "text_en": "What in the park?",
        "voting": "identified",
        "results_shown": "after_closing",
        "options-TOTAL_FORMS": 3,
        "options-INITIAL_FORMS": 3,
    }
    for index, option in enumerate(options(poll)):
        data.update(
            {
                f"options-{index}-id": option.pk,
                f"options-{index}-poll": poll.pk,
                f"options-{index}-position": option.position,
                f"options-{index}-text_fi": option.text_fi,
                f"options-{index}-text_sv": option.text_sv,
                f"options-{index}-text_en": option.text_en,
            }
        )
    reply = client.post(reverse("admin:surveys_poll_change", args=[poll.pk]), data)
    assert reply.status_code == 302
    poll.refresh_from_db()
    assert poll.kind == "multiple" and poll.voting == "identified"
    assert AuditEntry.objects.filter(action="admin.changed").exists()

"""Delete my account: the person's data goes; what the city must keep stays without them
(counts, results, the ballot box, published content, booked hours); what stands in the
way is listed with its reason. Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone, translation

from osallistu.accounts.models import StaffRole, User
from osallistu.budgeting import selectors as budgeting
from osallistu.budgeting.models import Ballot, BallotChoice, Proposal, ProposalComment
from osallistu.core import privacy
from osallistu.core.models import AuditEntry
from osallistu.initiatives.models import Author, Initiative, State, Support
from osallistu.initiatives.services.supports import counted_supports
from osallistu.premises import selectors as premises
from osallistu.premises.models import Booking, BookingState
from osallistu.surveys.models import Answer, Comment, Response
from tests.budgeting.factories import RoundFactory
from tests.core import privacy_world

pytestmark = pytest.mark.integrity


@pytest.fixture
def world(helsinki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return privacy_world.build(helsinki)


def every_text_in_the_database():
    """Every text and JSON value of every row of every table, as one string."""
    found = []
    for model in apps.get_models():
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if names:
            found.extend(str(row) for row in model.objects.values_list(*names))
    return "\n".join(found)


def the_citys_figures():
    round = Ballot.objects.first().round
    sent = Initiative.objects.get(state=State.SENT)
    today = timezone.localdate()
    return {
        "ballots": sorted(
            (str(b.pk), b.district_id, sorted(str(c.plan_id) for c in b.choices.all()))
            for b in Ballot.objects.prefetch_related("choices")
        ),
        "choices": BallotChoice.objects.count(),
        "turnout": budgeting.turnout(round)["total"],
        "by_district": budgeting.turnout_by_home_district(round),
        "by_age": budgeting.turnout_by_age(round),
        "proposals": Proposal.objects.count(),
        "comments": ProposalComment.objects.count(),
        "responses": list(Response.objects.values_list("survey", "district", "age_group")),
        "answers": list(Answer.objects.values_list("question", "text", "number")),
        "hearing_comments": Comment.objects.count(),
        "supports": counted_supports(sent),
        "support_rows": Support.objects.count(),
        "usage": premises.usage_figures(first_day=today - timedelta(days=30), last_day=today),
    }


def test_a_dry_run_says_what_would_happen_and_changes_nothing(world):
    resident, _others = world
    before = every_text_in_the_database()
    with translation.override("en"):
        result = privacy.delete_account(user=resident, dry_run=True)
    assert result.blockers == [] and not result.deleted
    assert any("anonymous count" in str(action) for action in result.actions)
    assert any("removed user" in str(action) for action in result.actions)
    assert User.objects.filter(pk=resident.pk).exists()
    assert every_text_in_the_database() == before


def test_deleting_removes_every_trace_and_keeps_counts_results_and_the_ballot_box(world):
    resident, others = world
    figures = the_citys_figures()
    assert "Aino Virtanen" in every_text_in_the_database()

    result = privacy.delete_account(user=resident, actor=resident)

    assert result.deleted
    assert not User.objects.filter(pk=resident.pk).exists()
    everything = every_text_in_the_database()
    traces = ("Aino Virtanen", "aino@example.fi", "a" * 64, "Aino V.", "Kerhon kokous", "192.0.2.7")
    for trace in traces:
        assert trace not in everything
    assert the_citys_figures() == figures
    # Published content stays, its author shown as removed.
    assert Proposal.objects.get(title="Penkki").author is None
    assert ProposalComment.objects.get(text="Hyvä").author is None
    author = Author.objects.get(initiative__title="Aloite")
    assert author.user is None and author.public_name == ""
    # The past booking keeps its hours without the person.
    booking = Booking.objects.get(state=BookingState.CONFIRMED)
    assert booking.booker is None and booking.booker_removed_at is not None
    # Others' data is untouched.
    assert User.objects.filter(pk__in=[o.pk for o in others]).count() == len(others)
    entry = AuditEntry.objects.get(action="privacy.account_deleted")
    assert entry.actor is None and entry.data["account"] == resident.pk


def test_asked_to_remove_content_too_proposals_comments_and_pictures_go(
    world, django_capture_on_commit_callbacks
):
    resident, _others = world
    picture = Proposal.objects.get(title="Penkki").images.get().image.name
    assert default_storage.exists(picture)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.delete_account(user=resident, remove_content=True)
    assert not Proposal.objects.filter(title="Penkki").exists()
    assert not ProposalComment.objects.filter(text="Hyvä").exists()
    # Comments of others on a removed proposal go with it.
    assert not Comment.objects.filter(text="Kommentti").exists()
    assert not default_storage.exists(picture)


def test_a_dry_run_does_not_delete_pictures(world, django_capture_on_commit_callbacks):
    resident, _others = world
    picture = Proposal.objects.get(title="Penkki").images.get().image.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        privacy.delete_account(user=resident, remove_content=True, dry_run=True)
    assert callbacks == []
    assert default_storage.exists(picture)


def test_what_stands_in_the_way_is_listed_and_nothing_is_deleted(world, helsinki):
    resident, _others = world
    from osallistu.budgeting.models import Participation

    open_round = RoundFactory(slug="open")
    Participation.objects.create(round=open_round, voter=resident, channel="online")
    booking = Booking.objects.get(booker=resident)
    later = timezone.now() + timedelta(days=3)
    Booking.objects.filter(pk=booking.pk).update(
        begins_at=later,
        ends_at=later + timedelta(hours=1),
        occupied_from=later,
        occupied_until=later + timedelta(hours=1),
    )
    running = Initiative.objects.get(title="Aloite")
    Initiative.objects.filter(pk=running.pk).update(
        state=State.SENT, sent_at=timezone.now(), closed_at=None, end_reason=""
    )
    before = every_text_in_the_database()

    with pytest.raises(privacy.AccountNotDeletable) as refused:
        privacy.delete_account(user=resident)

    reasons = " ".join(str(reason) for reason in refused.value.blockers)
    assert "“Kierros" in reasons or open_round.name in reasons
    assert booking.space.name in reasons
    assert "Aloite" in reasons
    assert len(refused.value.blockers) == 3
    assert every_text_in_the_database() == before
    assert privacy.delete_account(user=resident, dry_run=True).blockers == refused.value.blockers


def test_a_staff_account_is_closed_by_an_administrator(world, helsinki):
    resident, _others = world
    StaffRole.objects.create(user=resident, role=StaffRole.Role.REPORTER)
    assert privacy.deletion_blockers(resident)
    with pytest.raises(privacy.AccountNotDeletable):
        privacy.delete_account(user=resident)

"""Supports: strongly identified residents once each, counted towards the thresholds
from the age of 18; withdrawn until sent; paper supports with four eyes; crossing a
threshold tells the authors and the registry, with the deadline."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation

from osallistu.accounts.models import StaffRole
from osallistu.core import jobs
from osallistu.core.models import AuditEntry
from osallistu.initiatives import services, thresholds
from osallistu.initiatives.models import PaperSupportBatch, State, Support
from osallistu.initiatives.services import InitiativeError
from tests.factories import UserFactory, VerifiedResidentFactory
from tests.initiatives.conftest import born_years_ago, staff, supporter
from tests.initiatives.test_drafting import refused

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]


def test_a_resident_supports_once(collecting):
    person = supporter()
    support = services.support_initiative(initiative=collecting, user=person)
    assert support.counts
    refused("already_supported", services.support_initiative, initiative=collecting, user=person)
    assert Support.objects.count() == 1
    assert AuditEntry.objects.filter(action="initiatives.supported", actor=person).count() == 1


def test_the_database_holds_one_support_per_person(collecting):
    person = supporter()
    Support.objects.create(initiative=collecting, user=person, counts=True)
    with (
        pytest.raises(IntegrityError, match=r"support_one_per_person|UNIQUE"),
        transaction.atomic(),
    ):
        Support.objects.create(initiative=collecting, user=person, counts=True)


def test_when_the_check_is_skipped_the_constraint_still_answers_clearly(collecting, monkeypatch):
    from osallistu.initiatives.services import supports

    person = supporter()
    services.support_initiative(initiative=collecting, user=person)
    monkeypatch.setattr(supports, "check_not_supported", lambda *args: None)
    refused("already_supported", services.support_initiative, initiative=collecting, user=person)
    assert Support.objects.count() == 1


@pytest.mark.parametrize(
    ("person", "code"),
    [
        (lambda: UserFactory(), "not_verified"),
        (lambda: VerifiedResidentFactory(municipality_code="049"), "not_resident"),
        (lambda: VerifiedResidentFactory(birth_date=born_years_ago(12)), "too_young"),
        (lambda: VerifiedResidentFactory(birth_date=None), "birth_date_unknown"),
    ],
)
def test_who_may_not_support(collecting, person, code):
    error = refused(code, services.support_initiative, initiative=collecting, user=person())
    assert str(error.message)


def test_supporters_under_18_support_but_do_not_count_towards_the_thresholds(collecting):
    services.support_initiative(
        initiative=collecting, user=supporter(birth_date=born_years_ago(15))
    )
    services.support_initiative(initiative=collecting, user=supporter())
    assert [s.counts for s in Support.objects.order_by("pk")] == [False, True]
    assert services.counted_supports(collecting) == 1


def test_supports_only_while_collecting(draft, author):
    refused("not_collecting", services.support_initiative, initiative=draft, user=supporter())
    services.publish_initiative(initiative=draft, actor=author)
    services.send_initiative(initiative=draft, actor=author)
    refused("not_collecting", services.support_initiative, initiative=draft, user=supporter())


def test_a_support_is_withdrawn_until_the_initiative_is_sent(collecting, author):
    first, second = supporter(), supporter()
    services.support_initiative(initiative=collecting, user=first)
    services.support_initiative(initiative=collecting, user=second)
    services.withdraw_support(initiative=collecting, user=first)
    refused("not_supported", services.withdraw_support, initiative=collecting, user=first)
    # Supporting again after withdrawing is a new support.
    services.support_initiative(initiative=collecting, user=first)
    services.send_initiative(initiative=collecting, actor=author)
    refused("not_collecting", services.withdraw_support, initiative=collecting, user=second)
    assert Support.objects.count() == 2


def support_by(initiative, count):
    for _number in range(count):
        services.support_initiative(initiative=initiative, user=supporter())


def test_crossing_two_per_cent_tells_authors_and_registry(collecting, author, registry):
    support_by(collecting, 19)
    collecting.refresh_from_db()
    assert collecting.council_threshold_reached_on is None
    support_by(collecting, 1)  # 20 of 1,000
    collecting.refresh_from_db()
    assert collecting.council_threshold_reached_on == timezone.localdate()
    assert collecting.referendum_threshold_reached_on is None
    assert AuditEntry.objects.filter(action="initiatives.threshold_reached").count() == 1
    jobs.run_pending()
    reached = [m for m in mail.outbox if m.subject.startswith("2 % kannatus saavutettu")]
    assert sorted(address for m in reached for address in m.to) == sorted(
        [author.email, registry.email]
    )
    assert all("kuuden kuukauden kuluessa" in m.body for m in reached)
    # Still collecting, so the six months have not started.
    assert collecting.deadline is None


def test_sending_with_two_per_cent_starts_the_six_months(collecting, author):
    support_by(collecting, 20)
    services.send_initiative(initiative=collecting, actor=author)
    collecting.refresh_from_db()
    sent_on = timezone.localdate(collecting.sent_at)
    assert collecting.deadline == thresholds.council_deadline(sent_on)
    assert collecting.deadline_by_law


def test_withdrawals_below_the_line_before_sending_undo_the_threshold(collecting):
    people = [supporter() for _ in range(20)]
    for person in people:
        services.support_initiative(initiative=collecting, user=person)
    services.withdraw_support(initiative=collecting, user=people[0])
    collecting.refresh_from_db()
    assert collecting.council_threshold_reached_on is None


def test_four_per_cent_may_demand_a_referendum(collecting, author, registry, second_registry):
    support_by(collecting, 5)
    batch = services.enter_paper_batch(
        initiative=collecting, actor=registry, label="Listat 1–3", signatures=40, valid=35,
        notes="Viisi ei asu Helsingissä.",
    )  # fmt: skip
    collecting.refresh_from_db()
    assert collecting.council_threshold_reached_on is None  # not counted before it is confirmed
    services.confirm_paper_batch(batch=batch, actor=second_registry, valid_counted=35)
    collecting.refresh_from_db()
    assert collecting.council_threshold_reached_on == timezone.localdate()
    assert collecting.referendum_threshold_reached_on == timezone.localdate()
    jobs.run_pending()
    assert any("kunnallista kansanäänestystä" in m.body for m in mail.outbox)


def test_paper_supports_confirmed_after_sending_start_the_law_deadline_from_sending(
    sent, registry, second_registry
):
    batch = services.enter_paper_batch(
        initiative=sent, actor=registry, label="Listat", signatures=25, valid=25
    )
    services.confirm_paper_batch(batch=batch, actor=second_registry, valid_counted=25)
    sent.refresh_from_db()
    assert sent.deadline == thresholds.council_deadline(timezone.localdate(sent.sent_at))
    jobs.run_pending()
    with translation.override("fi"):  # the recipients' language
        day = formats.date_format(sent.deadline, "DATE_FORMAT")
    told = sorted(address for m in mail.outbox if day in m.body for address in m.to)
    assert told == sorted([sent.authors.get().user.email, registry.email, second_registry.email])


def test_paper_batch_needs_a_second_person_who_counts_the_same(
    collecting, registry, second_registry
):
    batch = services.enter_paper_batch(
        initiative=collecting, actor=registry, label="Listat", signatures=10, valid=10
    )
    refused(
        "same_person",
        services.confirm_paper_batch,
        batch=batch,
        actor=registry,
        valid_counted=10,
    )
    refused(
        "counts_differ",
        services.confirm_paper_batch,
        batch=batch,
        actor=second_registry,
        valid_counted=9,
    )
    services.confirm_paper_batch(batch=batch, actor=second_registry, valid_counted=10)
    refused(
        "checked",
        services.return_paper_batch,
        batch=batch,
        actor=second_registry,
        reason="Väärin",
    )
    assert services.counted_supports(collecting) == 10


def test_a_returned_batch_never_counts(collecting, registry, second_registry):
    batch = services.enter_paper_batch(
        initiative=collecting, actor=registry, label="Listat", signatures=10, valid=10
    )
    refused("no_reason", services.return_paper_batch, batch=batch, actor=second_registry, reason="")
    services.return_paper_batch(batch=batch, actor=second_registry, reason="Arkki 3 puuttuu")
    refused(
        "checked",
        services.confirm_paper_batch,
        batch=batch,
        actor=second_registry,
        valid_counted=10,
    )
    assert services.counted_supports(collecting) == 0


def test_paper_batch_counts_are_checked(collecting, registry):
    refused(
        "counts",
        services.enter_paper_batch,
        initiative=collecting,
        actor=registry,
        label="L",
        signatures=5,
        valid=6,
    )
    refused(
        "no_notes",
        services.enter_paper_batch,
        initiative=collecting,
        actor=registry,
        label="L",
        signatures=6,
        valid=5,
    )


def test_the_database_holds_four_eyes_on_paper(collecting, registry):
    batch = PaperSupportBatch.objects.create(
        initiative=collecting, label="L", signatures=5, valid=5, entered_by=registry
    )
    batch.confirmed_by = registry
    batch.confirmed_at = timezone.now()
    with (
        pytest.raises(IntegrityError, match=r"paperbatch_checked_by_another_person|CHECK"),
        transaction.atomic(),
    ):
        batch.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperSupportBatch.objects.create(
            initiative=collecting, label="L", signatures=5, valid=6, entered_by=registry
        )


def test_paper_supports_are_entered_by_registry_staff_of_the_area(collecting, city):
    eastern = staff(StaffRole.Role.REGISTRY, city["eastern"], email="east@example.fi")
    western = staff(StaffRole.Role.REGISTRY, city["western"], email="west@example.fi")
    coach = staff(StaffRole.Role.CITY_COACH, city["eastern"], email="coach@example.fi")
    arguments = {"initiative": collecting, "label": "L", "signatures": 1, "valid": 1}
    for refused_person in (western, coach, UserFactory()):
        with pytest.raises(PermissionDenied):
            services.enter_paper_batch(actor=refused_person, **arguments)
    services.enter_paper_batch(actor=eastern, **arguments)


def test_no_paper_supports_for_a_draft_or_a_decided_initiative(draft, registry):
    refused(
        "state",
        services.enter_paper_batch,
        initiative=draft,
        actor=registry,
        label="L",
        signatures=1,
        valid=1,
    )


def test_thresholds_need_population_figures(collecting):
    from osallistu.areas.models import Population

    Population.objects.all().delete()
    support_by(collecting, 30)
    collecting.refresh_from_db()
    assert collecting.council_threshold_reached_on is None


def test_state_after_support_is_unchanged(collecting):
    services.support_initiative(initiative=collecting, user=supporter())
    collecting.refresh_from_db()
    assert collecting.state == State.COLLECTING


def test_a_support_refusal_is_an_initiative_error(collecting):
    with pytest.raises(InitiativeError):
        services.support_initiative(initiative=collecting, user=UserFactory())

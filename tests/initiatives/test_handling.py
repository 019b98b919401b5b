"""The city's handling: registering with a diary number, preparation with a division
and a named preparer, the decision with its answer and attachments, ending without a
decision, deadlines and the overdue queue. Each by registry staff of the area (or a
city administrator), each a public transition and an audit entry."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from osallistu.accounts.models import StaffRole
from osallistu.core import jobs
from osallistu.core.models import AuditEntry
from osallistu.initiatives import selectors, services, thresholds
from osallistu.initiatives.models import Attachment, Initiative, State
from tests.factories import UserFactory
from tests.initiatives.conftest import staff, start, supporter
from tests.initiatives.test_drafting import refused

pytestmark = [pytest.mark.integrity, pytest.mark.django_db]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def decide(initiative, actor, **overrides):
    fields = {
        "decision_maker": "Kaupunginvaltuusto",
        "decision_date": timezone.localdate(),
        "answer": "Penkit lisätään kesällä.",
        "answer_language": "fi",
        "decision_url": "https://paatokset.hel.fi/fi/asia/1",
    }
    fields.update(overrides)
    return services.decide_initiative(initiative=initiative, actor=actor, **fields)


def test_registering_records_the_diary_number(sent, registry):
    refused(
        "no_diary_number",
        services.register_initiative,
        initiative=sent,
        actor=registry,
        diary_number=" ",
    )
    services.register_initiative(initiative=sent, actor=registry, diary_number=" HEL 1 ")
    sent.refresh_from_db()
    assert sent.diary_number == "HEL 1" and sent.registered_at is not None
    assert sent.state == State.SENT
    refused(
        "already_registered",
        services.register_initiative,
        initiative=sent,
        actor=registry,
        diary_number="HEL 2",
    )
    entry = AuditEntry.objects.get(action="initiatives.registered")
    assert entry.actor == registry and entry.data == {"diary_number": "HEL 1"}


def test_a_diary_number_belongs_to_one_initiative(sent, registry, author, city):
    services.register_initiative(initiative=sent, actor=registry, diary_number="HEL 1")
    other = start(author, city["city"])
    services.send_initiative(initiative=other, actor=author)
    refused(
        "diary_number_taken",
        services.register_initiative,
        initiative=other,
        actor=registry,
        diary_number="HEL 1",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.filter(pk=other.pk).update(diary_number="HEL 1")


def test_only_a_registered_initiative_is_prepared(sent, registry, division):
    refused(
        "not_registered",
        services.prepare_initiative,
        initiative=sent,
        actor=registry,
        division=division,
        preparer_name="Liisa",
    )


def test_preparation_names_division_and_preparer(registered, registry, division):
    refused(
        "no_preparer",
        services.prepare_initiative,
        initiative=registered,
        actor=registry,
        division=division,
        preparer_name="",
    )
    services.prepare_initiative(
        initiative=registered,
        actor=registry,
        division=division,
        preparer_name="Liisa Metsänen",
        preparer_email="liisa@example.fi",
    )
    registered.refresh_from_db()
    assert registered.state == State.PREPARING
    assert registered.transitions.last().by_city
    # Called again, it changes the preparer without a new state.
    services.prepare_initiative(
        initiative=registered, actor=registry, division=division, preparer_name="Pekka"
    )
    registered.refresh_from_db()
    assert registered.preparer_name == "Pekka" and registered.transitions.count() == 3
    assert AuditEntry.objects.filter(action="initiatives.preparer_changed").exists()


def test_the_decision_is_recorded_with_its_answer_and_attachments(
    preparing, registry, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    decide(preparing, registry, attachments=[("Päätös", PDF)])
    preparing.refresh_from_db()
    assert preparing.state == State.DECIDED and preparing.closed_at is not None
    attachment = Attachment.objects.get()
    assert attachment.title == "Päätös" and attachment.size == len(PDF)
    assert attachment.file.name.endswith(".pdf")
    assert AuditEntry.objects.filter(action="initiatives.decided", actor=registry).exists()


def test_decision_refusals(preparing, registry, sent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    refused("no_decision", decide, preparing, registry, answer=" ")
    refused(
        "decision_date",
        decide,
        preparing,
        registry,
        decision_date=timezone.localdate() + datetime.timedelta(days=1),
    )
    refused(
        "decision_date",
        decide,
        preparing,
        registry,
        decision_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    refused("attachment_format", decide, preparing, registry, attachments=[("X", b"<html>")])
    refused("attachment_title", decide, preparing, registry, attachments=[(" ", PDF)])
    assert not list(tmp_path.rglob("*.pdf"))  # nothing half-saved


def test_a_failed_decision_leaves_no_files_behind(preparing, registry, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachments = [(f"Liite {n}", PDF) for n in range(11)]
    refused("too_many_attachments", decide, preparing, registry, attachments=attachments)
    assert not list(tmp_path.rglob("*.pdf"))
    preparing.refresh_from_db()
    assert preparing.state == State.PREPARING


def test_only_a_prepared_initiative_is_decided(registered, registry):
    refused("not_preparing", decide, registered, registry)


def test_the_database_keeps_decisions_whole(preparing):
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.filter(pk=preparing.pk).update(state=State.DECIDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.filter(pk=preparing.pk).update(state=State.ENDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.filter(pk=preparing.pk).update(division=None)


def test_ending_without_a_decision_is_public_with_its_reason(registered, registry):
    refused(
        "no_reason", services.end_without_decision, initiative=registered, actor=registry, reason=""
    )
    services.end_without_decision(
        initiative=registered, actor=registry, reason="Asia ei kuulu kaupungille."
    )
    registered.refresh_from_db()
    assert registered.state == State.ENDED
    transition = registered.transitions.last()
    assert (transition.to_state, transition.reason, transition.by_city) == (
        State.ENDED,
        "Asia ei kuulu kaupungille.",
        True,
    )


def test_state_changes_email_the_authors_in_their_language(registered, registry, division):
    jobs.run_pending()
    mail.outbox.clear()
    services.prepare_initiative(
        initiative=registered, actor=registry, division=division, preparer_name="Liisa"
    )
    jobs.run_pending()
    [message] = mail.outbox
    assert message.to == ["author@example.fi"]
    assert "Valmistelussa" in message.subject or "valmistel" in message.body.lower()


def test_handling_needs_the_registry_of_the_area(sent, city):
    eastern = staff(StaffRole.Role.REGISTRY, city["eastern"], email="east@example.fi")
    western = staff(StaffRole.Role.REGISTRY, city["western"], email="west@example.fi")
    admin = staff(StaffRole.Role.CITY_ADMIN, email="admin@example.fi")
    for person in (
        western,
        staff(StaffRole.Role.CITY_COACH, city["eastern"], email="coach@example.fi"),
        staff(StaffRole.Role.DISTRICT_MODERATOR, city["eastern"], email="mod@example.fi"),
        UserFactory(),
        UserFactory(is_staff=False),
    ):
        with pytest.raises(PermissionDenied):
            services.register_initiative(initiative=sent, actor=person, diary_number="HEL 9")
    services.register_initiative(initiative=sent, actor=eastern, diary_number="HEL 9")
    services.set_deadline(
        initiative=sent,
        actor=admin,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        reason="Vastaus luvattu kuukaudessa",
    )


def test_a_city_wide_initiative_is_handled_by_city_wide_registry(author, city):
    initiative = start(author, city["city"])
    services.send_initiative(initiative=initiative, actor=author)
    eastern = staff(StaffRole.Role.REGISTRY, city["eastern"], email="east@example.fi")
    with pytest.raises(PermissionDenied):
        services.register_initiative(initiative=initiative, actor=eastern, diary_number="H")
    whole_city = staff(StaffRole.Role.REGISTRY, city["city"], email="all@example.fi")
    services.register_initiative(initiative=initiative, actor=whole_city, diary_number="H")


def test_staff_deadlines_and_the_overdue_queue(sent, registry, author, city):
    refused(
        "no_deadline",
        services.set_deadline,
        initiative=sent,
        actor=registry,
        deadline=None,
        reason="x",
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    services.set_deadline(initiative=sent, actor=registry, deadline=tomorrow, reason="Lupaus")
    later = start(author, city["eastern"], title="Myöhemmin")
    services.send_initiative(initiative=later, actor=author)
    assert not sent.is_overdue()
    day_after = tomorrow + datetime.timedelta(days=1)
    sent.refresh_from_db()
    assert sent.is_overdue(day_after) and not sent.is_overdue(tomorrow)
    queue = list(selectors.staff_queue(registry, today=day_after))
    assert [(item.pk, item.overdue) for item in queue] == [(sent.pk, True), (later.pk, False)]
    overdue = list(selectors.staff_queue(registry, show="overdue", today=day_after))
    assert [item.pk for item in overdue] == [sent.pk]


def test_the_law_deadline_cannot_be_extended(collecting, author, registry):
    for _number in range(20):
        services.support_initiative(initiative=collecting, user=supporter())
    services.send_initiative(initiative=collecting, actor=author)
    collecting.refresh_from_db()
    legal = thresholds.council_deadline(timezone.localdate(collecting.sent_at))
    refused(
        "past_legal_deadline",
        services.set_deadline,
        initiative=collecting,
        actor=registry,
        deadline=legal + datetime.timedelta(days=1),
        reason="Myöhemmin",
    )
    services.set_deadline(
        initiative=collecting,
        actor=registry,
        deadline=legal - datetime.timedelta(days=30),
        reason="Valtuusto kokoontuu aiemmin",
    )
    collecting.refresh_from_db()
    assert not collecting.deadline_by_law


def test_attachments_are_pdf_files(registered, registry, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    refused(
        "attachment_format",
        services.add_attachment,
        initiative=registered,
        actor=registry,
        title="Liite",
        data=b"GIF89a",
    )
    services.add_attachment(initiative=registered, actor=registry, title="Lausunto", data=PDF)
    assert registered.attachments.count() == 1


def test_every_transition_is_audited(preparing, registry):
    decide(preparing, registry)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "initiatives.started",
        "initiatives.collecting",
        "initiatives.sent",
        "initiatives.registered",
        "initiatives.preparing",
        "initiatives.decided",
    } <= actions
    assert [t.to_state for t in preparing.transitions.all()] == [
        State.COLLECTING,
        State.SENT,
        State.PREPARING,
        State.DECIDED,
    ]

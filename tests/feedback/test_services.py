"""Every state change of feedback through its services: sending, moderation, handling,
answers, merging duplicates, reopening, following and API keys; what each refuses and
who may do it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from osallistu.core.models import AuditEntry, Job
from osallistu.feedback import permissions, selectors, services
from osallistu.feedback.models import (
    ApiKey,
    EventKind,
    Feedback,
    FeedbackFollower,
    Moderation,
    Status,
)
from osallistu.feedback.services import Contact, FeedbackError, Place
from tests.feedback.factories import FeedbackFactory, PublicFeedbackFactory, playground_category

pytestmark = pytest.mark.integrity

KALLIO = Place(address="Viides linja 11", latitude=Decimal("60.184"), longitude=Decimal("24.95"))
TEXT = "Katuvalo on ollut rikki kaksi viikkoa."


def send(service, **overrides):
    arguments = {"service": service, "description": TEXT, "place": KALLIO, **overrides}
    return services.submit_feedback(**arguments)


def mails_to(address):
    jobs = Job.objects.filter(name="core.send_mail").order_by("pk")
    return [job for job in jobs if job.payload["to"] == [address]]


# Sending


def test_feedback_waits_for_moderation_with_the_week_promised(pothole, resident, helsinki):
    now = timezone.now()
    feedback = send(pothole, author=resident, title=" Valo ", language="fi", now=now)
    assert feedback.moderation == Moderation.UNMODERATED
    assert feedback.status == Status.RECEIVED
    assert feedback.title == "Valo"
    assert feedback.district == helsinki["central"]
    assert feedback.due_at == now + timedelta(days=7)
    # No handled feedback in the category yet: expected within the promised week.
    assert feedback.expected_at == now + timedelta(days=7)
    assert [event.kind for event in feedback.events.all()] == [EventKind.SUBMITTED]
    assert AuditEntry.objects.filter(action="feedback.submitted", target_id=str(feedback.pk))


def test_anonymous_feedback_with_only_an_address(pothole, helsinki):
    feedback = send(pothole, place=Place(address="Fleminginkatu 1, 00530 Helsinki"))
    assert feedback.author is None and feedback.contact_email == ""
    assert (feedback.latitude, feedback.longitude) == (None, None)
    # The postal code in the address tells the district.
    assert feedback.postal_code == "00530"
    assert feedback.district == helsinki["central"]


def test_contact_details_are_kept_for_staff(pothole):
    feedback = send(
        pothole, contact=Contact(email=" a@b.fi ", first_name="Aino", last_name="V", phone="040")
    )
    assert (feedback.contact_email, feedback.contact_name, feedback.contact_phone) == (
        "a@b.fi",
        "Aino V",
        "040",
    )


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"description": "  lyhyt  "}, "description_short"),
        ({"description": "x" * 5001}, "description_long"),
        ({"title": "x" * 121}, "title_long"),
        ({"place": Place()}, "no_place"),
        ({"place": Place(latitude=Decimal("60.1"))}, "point_half"),
        (
            {"place": Place(latitude=Decimal("61.5"), longitude=Decimal("23.76"))},
            "point_outside",
        ),
        ({"place": Place(address="x" * 301)}, "address_long"),
        # What a reader would not see: a direction override, NUL, a line break in a line.
        ({"title": "Valo \u202egnp.exe"}, "control_characters"),
        ({"description": "Katuvalo\x00 on rikki."}, "control_characters"),
        ({"place": Place(address="Viides linja\n11")}, "control_characters"),
        ({"contact": Contact(first_name="Aino\u200f")}, "control_characters"),
    ],
)
def test_bad_feedback_is_refused_and_nothing_is_saved(pothole, overrides, code):
    with pytest.raises(FeedbackError) as refused:
        send(pothole, **overrides)
    assert refused.value.code == code
    assert str(refused.value.message)
    assert not Feedback.objects.exists()


def test_texts_are_kept_as_written_without_the_spaces_around(pothole):
    feedback = send(
        pothole,
        title="  Valo  pimeänä ",
        description="Katuvalo  on rikki.\n\n\tKäy katsomassa.\n",
        place=Place(address=" Viides  linja 11 "),
        contact=Contact(first_name="Aino  Maria", phone="040  123"),
    )
    assert (feedback.title, feedback.description, feedback.address) == (
        "Valo  pimeänä",
        "Katuvalo  on rikki.\n\n\tKäy katsomassa.",
        "Viides  linja 11",
    )
    assert (feedback.contact_first_name, feedback.contact_phone) == ("Aino  Maria", "040  123")
    # Persian and emoji need the zero-width joiners.
    assert send(pothole, title="می\u200cخواهم").title == "می\u200cخواهم"


def test_exactly_ten_and_five_thousand_characters_are_taken(pothole):
    assert send(pothole, description="x" * 10).description == "x" * 10
    assert len(send(pothole, description="y" * 5000).description) == 5000


def test_inactive_category_takes_no_feedback(pothole):
    pothole.is_active = False
    pothole.save()
    with pytest.raises(FeedbackError) as refused:
        send(pothole)
    assert refused.value.code == "service_inactive"


def test_database_refuses_feedback_without_place_or_with_short_text(pothole):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackFactory(service=pothole, address="", latitude=None, longitude=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackFactory(service=pothole, description="lyhyt")
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackFactory(service=pothole, moderation=Moderation.PUBLIC)  # no public text


def test_further_questions_are_checked(division):
    playground = playground_category(division)
    with pytest.raises(FeedbackError) as refused:
        send(playground)
    assert refused.value.code == "attribute_required"
    assert refused.value.field == "attribute[equipment]"
    for answers, code in [
        ({"equipment": "seesaw"}, "attribute_choice"),
        ({"equipment": ["swing", "slide"]}, "attribute_many"),
        ({"equipment": "swing", "since": "yesterday"}, "attribute_datetime"),
        ({"equipment": "swing", "colour": "red"}, "attribute_unknown"),
    ]:
        with pytest.raises(FeedbackError) as refused:
            send(playground, attribute_values=answers)
        assert refused.value.code == code
    feedback = send(
        playground, attribute_values={"equipment": "swing", "since": "2026-05-14T09:30:00+03:00"}
    )
    assert feedback.attribute_values == {
        "equipment": "swing",
        "since": "2026-05-14T09:30:00+03:00",
    }


def test_anonymous_senders_are_limited_per_network(pothole):
    for _ in range(services.submission.ANONYMOUS_PER_HOUR):
        send(pothole, client_ip="192.0.2.1")
    with pytest.raises(services.RateLimited):
        send(pothole, client_ip="192.0.2.1")
    send(pothole, client_ip="192.0.2.2")  # another network is not limited
    assert Feedback.objects.count() == services.submission.ANONYMOUS_PER_HOUR + 1


def test_signed_in_senders_are_limited_per_person(pothole, resident):
    for _ in range(services.submission.PERSON_PER_HOUR):
        send(pothole, author=resident, client_ip="192.0.2.1")
    with pytest.raises(services.RateLimited):
        send(pothole, author=resident, client_ip="192.0.2.9")


def test_expected_time_is_the_median_of_the_category(pothole):
    now = timezone.now()
    for days in (1, 2, 10):
        PublicFeedbackFactory(
            service=pothole,
            status=Status.DONE,
            closed_at=now,
            handling_seconds=days * 86400,
        )
    # A duplicate's time and hidden feedback do not count.
    FeedbackFactory(service=pothole, status=Status.DONE, closed_at=now, handling_seconds=99)
    assert selectors.median_handling_seconds(pothole.pk) == 2 * 86400
    feedback = send(pothole, now=now)
    assert feedback.expected_at == now + timedelta(days=2)
    PublicFeedbackFactory(
        service=pothole, status=Status.DONE, closed_at=now, handling_seconds=4 * 86400
    )
    assert selectors.median_handling_seconds(pothole.pk) == 3 * 86400


# Moderation


def test_publishing_sets_the_public_texts(pothole, handler, resident):
    feedback = send(pothole, author=resident, title="Valo", description=TEXT + " Soita 040 123")
    services.publish_feedback(
        feedback=feedback,
        staff=handler,
        public_title="Katuvalo rikki",
        public_description=TEXT,
        public_address="Viides linja",
    )
    feedback.refresh_from_db()
    assert feedback.moderation == Moderation.PUBLIC
    assert feedback.public_description == TEXT
    assert feedback.description.endswith("Soita 040 123")  # the original is kept for staff
    assert feedback.moderated_by == handler
    event = feedback.events.get(kind=EventKind.PUBLISHED)
    assert sorted(event.data["edited"]) == ["address", "description", "title"]
    assert not event.is_public


def test_publishing_needs_the_public_text(pothole, handler):
    feedback = send(pothole)
    with pytest.raises(FeedbackError) as refused:
        services.publish_feedback(feedback=feedback, staff=handler, public_description="  ")
    assert refused.value.field == "public_description"
    feedback.refresh_from_db()
    assert feedback.moderation == Moderation.UNMODERATED


def test_hiding_keeps_the_reason_and_withdraws_the_public_texts(pothole, handler):
    feedback = send(pothole)
    services.publish_feedback(feedback=feedback, staff=handler, public_description=TEXT)
    with pytest.raises(FeedbackError):
        services.hide_feedback(feedback=feedback, staff=handler, reason=" ")
    services.hide_feedback(feedback=feedback, staff=handler, reason="Asiaton kielenkäyttö")
    feedback.refresh_from_db()
    assert feedback.moderation == Moderation.HIDDEN
    assert feedback.moderation_reason == "Asiaton kielenkäyttö"
    assert feedback.public_description == ""
    assert not selectors.public_feedback().exists()


def test_only_staff_who_reach_the_feedback_moderate_it(
    pothole, central_handler, culture_staff, resident, helsinki
):
    in_central = send(pothole)
    in_eastern = send(pothole, place=Place(latitude=Decimal("60.21"), longitude=Decimal("25.15")))
    address_only = send(pothole, place=Place(address="Jossain päin kaupunkia"))
    assert in_eastern.district == helsinki["eastern"]
    services.publish_feedback(feedback=in_central, staff=central_handler, public_description=TEXT)
    for staff, feedback in [
        (central_handler, in_eastern),  # another district
        (central_handler, address_only),  # district unknown: whole-city staff only
        (culture_staff, in_central),  # another division
        (resident, in_central),  # not staff
    ]:
        with pytest.raises(PermissionDenied):
            services.hide_feedback(feedback=feedback, staff=staff, reason="Ei")
    assert Feedback.objects.filter(moderation=Moderation.HIDDEN).count() == 0


def test_city_administrators_reach_every_feedback(pothole, library, city_admin):
    for service in (pothole, library):
        feedback = send(service, place=Place(address="Jossain"))
        services.publish_feedback(feedback=feedback, staff=city_admin, public_description=TEXT)
    assert selectors.public_feedback().count() == 2


# Handling


@pytest.fixture
def published(pothole, handler, resident):
    feedback = send(pothole, author=resident, contact=Contact(email="aino.oma@example.fi"))
    return services.publish_feedback(feedback=feedback, staff=handler, public_description=TEXT)


def test_the_whole_way_to_done(published, handler, central_handler, resident):
    services.assign_handler(feedback=published, staff=handler, handler=central_handler)
    published.refresh_from_db()
    assert (published.status, published.handler) == (Status.ALLOCATED, central_handler)
    services.change_status(
        feedback=published, staff=central_handler, status=Status.IN_HANDLING, note="Tilattu"
    )
    services.answer_feedback(feedback=published, staff=central_handler, text="Korjataan pian.")
    published.refresh_from_db()
    assert published.due_at is None  # answered: the promise is kept
    done_at = timezone.now()
    services.change_status(
        feedback=published, staff=central_handler, status=Status.DONE, note="Korjattu", now=done_at
    )
    published.refresh_from_db()
    assert published.status == Status.DONE
    assert published.closed_at == done_at
    assert published.handling_seconds == round((done_at - published.requested_at).total_seconds())
    kinds = [(event.kind, event.status) for event in published.events.all()]
    assert kinds == [
        (EventKind.SUBMITTED, Status.RECEIVED),
        (EventKind.PUBLISHED, Status.RECEIVED),
        (EventKind.ASSIGNED, Status.ALLOCATED),
        (EventKind.STATUS, Status.ALLOCATED),
        (EventKind.STATUS, Status.IN_HANDLING),
        (EventKind.ANSWERED, Status.IN_HANDLING),
        (EventKind.STATUS, Status.DONE),
    ]
    # The sender hears of each status change and answer (not of the allocation) at the
    # address they gave, in Finnish.
    mails = mails_to("aino.oma@example.fi")
    assert len(mails) == 3
    assert "Korjataan pian." in mails[1].payload["body"]
    assert "Tehty" in mails[2].payload["subject"]
    audit_actions = set(
        AuditEntry.objects.filter(target_id=str(published.pk)).values_list("action", flat=True)
    )
    assert {"feedback.assigned", "feedback.status_changed", "feedback.answered"} <= audit_actions


def test_status_changes_that_are_refused(published, handler):
    for status, note, code in [
        (Status.RECEIVED, "", "same_status"),
        (Status.ALLOCATED, "", "no_handler"),
        (Status.DUPLICATE, "", "duplicate_by_merge"),
        (Status.NOT_CITY, "", "reason_missing"),
        ("lost", "", "status"),
    ]:
        with pytest.raises(FeedbackError) as refused:
            services.change_status(feedback=published, staff=handler, status=status, note=note)
        assert refused.value.code == code
    published.refresh_from_db()
    assert published.status == Status.RECEIVED


@pytest.mark.parametrize("status", [Status.NOT_CITY, Status.CANNOT_FIX])
def test_closing_with_a_reason(published, handler, status):
    services.change_status(feedback=published, staff=handler, status=status, note="Syy")
    published.refresh_from_db()
    assert published.status == status and published.closed_at is not None
    assert published.events.last().public_note == "Syy"


def test_staff_take_closed_feedback_back_into_handling(published, handler):
    services.change_status(feedback=published, staff=handler, status=Status.DONE)
    services.change_status(feedback=published, staff=handler, status=Status.IN_HANDLING)
    published.refresh_from_db()
    assert published.closed_at is None and published.handling_seconds is None


def test_handler_must_be_of_the_division_and_district(
    published, handler, culture_staff, helsinki, division
):
    from tests.feedback.factories import division_staff

    eastern = division_staff("itainen@example.fi", division, area=helsinki["eastern"])
    for person in (culture_staff, eastern):
        with pytest.raises(FeedbackError) as refused:
            services.assign_handler(feedback=published, staff=handler, handler=person)
        assert refused.value.code == "handler_out_of_reach"
    assert set(permissions.handlers_for(published)) == {handler}


def test_handling_is_refused_outside_the_division(published, culture_staff):
    for action in (
        lambda: services.change_status(
            feedback=published, staff=culture_staff, status=Status.IN_HANDLING
        ),
        lambda: services.answer_feedback(feedback=published, staff=culture_staff, text="Hei"),
    ):
        with pytest.raises(PermissionDenied):
            action()
    published.refresh_from_db()
    assert published.status == Status.RECEIVED and published.answer == ""


def test_overdue_after_a_week_without_an_answer(pothole, handler):
    long_ago = timezone.now() - timedelta(days=8)
    late = send(pothole, now=long_ago)
    answered = send(pothole, now=long_ago)
    send(pothole)  # recent
    services.answer_feedback(feedback=answered, staff=handler, text="Selvitämme.")
    assert list(Feedback.objects.overdue()) == [late]
    assert late.is_overdue
    assert selectors.overdue_count(permissions.reach(handler)) == 1


# Duplicates


def test_merging_a_duplicate(published, pothole, handler, neighbour, resident):
    repeat = send(pothole, author=neighbour)
    services.publish_feedback(feedback=repeat, staff=handler, public_description=TEXT)
    follower = FeedbackFollower.objects.create(feedback=repeat, user=resident).user
    services.merge_duplicate(duplicate=repeat, original=published, staff=handler, note="Sama")
    repeat.refresh_from_db()
    assert repeat.status == Status.DUPLICATE and repeat.duplicate_of == published
    assert repeat.handling_seconds is None  # not counted in handling times
    # The repeat's sender and followers follow the original now.
    assert set(published.followers.values_list("user", flat=True)) == {neighbour.pk, follower.pk}
    assert published.events.filter(kind=EventKind.DUPLICATE_ADDED).exists()
    with pytest.raises(FeedbackError) as refused:
        services.change_status(feedback=repeat, staff=handler, status=Status.IN_HANDLING)
    assert refused.value.code == "merged"


def test_merges_never_chain(published, pothole, handler):
    first, second = send(pothole), send(pothole)
    services.merge_duplicate(duplicate=first, original=second, staff=handler)
    with pytest.raises(FeedbackError) as refused:
        services.merge_duplicate(duplicate=published, original=first, staff=handler)
    assert refused.value.code == "original_merged"
    # Merging the original elsewhere takes its duplicates along.
    services.merge_duplicate(duplicate=second, original=published, staff=handler)
    first.refresh_from_db()
    assert first.duplicate_of == published
    with pytest.raises(FeedbackError) as refused:
        services.merge_duplicate(duplicate=published, original=published, staff=handler)
    assert refused.value.code == "self"


def test_merging_needs_both_in_reach(published, library, handler, culture_staff):
    book = send(library)
    for staff in (handler, culture_staff):
        with pytest.raises(PermissionDenied):
            services.merge_duplicate(duplicate=book, original=published, staff=staff)
    book.refresh_from_db()
    assert book.status == Status.RECEIVED


# Reopening


def test_sender_reopens_within_thirty_days(published, handler, resident):
    services.assign_handler(feedback=published, staff=handler, handler=handler)
    done_at = timezone.now() - timedelta(days=29)
    services.change_status(feedback=published, staff=handler, status=Status.DONE, now=done_at)
    reopened_at = timezone.now()
    services.reopen_feedback(
        feedback=published, author=resident, reason="Kuoppa on taas auki.", now=reopened_at
    )
    published.refresh_from_db()
    assert published.status == Status.IN_HANDLING  # back to its handler
    assert published.closed_at is None and published.handling_seconds is None
    assert published.due_at == reopened_at + timedelta(days=7)
    event = published.events.last()
    assert event.kind == EventKind.REOPENED and event.is_public
    assert event.public_note == ""  # the sender's words are not moderated


def test_reopening_is_refused_late_early_or_to_others(published, handler, resident, neighbour):
    with pytest.raises(FeedbackError) as refused:
        services.reopen_feedback(feedback=published, author=resident, reason="Ei vielä tehty")
    assert refused.value.code == "not_done"
    done_at = timezone.now() - timedelta(days=31)
    services.change_status(feedback=published, staff=handler, status=Status.DONE, now=done_at)
    with pytest.raises(FeedbackError) as refused:
        services.reopen_feedback(feedback=published, author=resident, reason="Kuoppa on auki.")
    assert refused.value.code == "reopen_too_late"
    with pytest.raises(PermissionDenied):
        services.reopen_feedback(feedback=published, author=neighbour, reason="Kuoppa on auki.")
    with pytest.raises(FeedbackError) as refused:
        services.reopen_feedback(feedback=published, author=resident, reason="lyhyt", now=done_at)
    assert refused.value.code == "reason_short"


@pytest.mark.parametrize("status", [Status.NOT_CITY, Status.CANNOT_FIX])
def test_only_done_feedback_is_reopened(published, handler, resident, status):
    services.change_status(feedback=published, staff=handler, status=status, note="Syy")
    assert not services.may_reopen(published, resident)
    with pytest.raises(FeedbackError):
        services.reopen_feedback(feedback=published, author=resident, reason="Kuoppa on auki.")


# Following


def test_followers_hear_of_public_changes(published, handler, neighbour):
    services.follow_feedback(feedback=published, user=neighbour)
    services.follow_feedback(feedback=published, user=neighbour)  # once is enough
    assert published.followers.count() == 1
    services.change_status(
        feedback=published, staff=handler, status=Status.IN_HANDLING, note="Työn alla"
    )
    [mail] = mails_to(neighbour.email)
    assert mail.payload["subject"] == f"Respons {published.pk} som du följer: Under behandling"
    assert "Työn alla" in mail.payload["body"]
    assert services.unfollow_feedback(feedback=published, user=neighbour)
    services.change_status(feedback=published, staff=handler, status=Status.DONE)
    assert len(mails_to(neighbour.email)) == 1


def test_unmoderated_feedback_cannot_be_followed(pothole, neighbour):
    with pytest.raises(FeedbackError):
        services.follow_feedback(feedback=send(pothole), user=neighbour)


# API keys


def test_city_administrators_issue_and_revoke_keys(city_admin, handler):
    api_key, key = services.issue_api_key(name="Palauteappi", staff=city_admin)
    assert api_key.digest == ApiKey.digest_of(key) and key not in api_key.digest
    assert api_key.prefix == key[:8]
    with pytest.raises(PermissionDenied):
        services.issue_api_key(name="Oma", staff=handler)
    with pytest.raises(PermissionDenied):
        services.revoke_api_key(api_key=api_key, staff=handler)
    services.revoke_api_key(api_key=api_key, staff=city_admin)
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    with pytest.raises(FeedbackError):
        services.revoke_api_key(api_key=api_key, staff=city_admin)
    for name, code in (("x" * 101, "name_long"), ("Appi\u202e", "control_characters")):
        with pytest.raises(FeedbackError) as refused:
            services.issue_api_key(name=name, staff=city_admin)
        assert refused.value.code == code
    assert ApiKey.objects.count() == 1


def test_number_answers_are_kept_as_written(division):
    playground = playground_category(division)
    playground.attributes.create(
        code="count", datatype="number", order=3, description_en="How many?"
    )
    answers = {"equipment": "swing"}
    feedback = send(playground, attribute_values={**answers, "count": " 1,5 "})
    assert feedback.attribute_values["count"] == "1,5"
    for number in ("1e5", "\u0661\u0662", "12 000", "NaN"):
        with pytest.raises(FeedbackError) as refused:
            send(playground, attribute_values={**answers, "count": number})
        assert refused.value.code == "attribute_number", number


def test_public_texts_are_kept_as_staff_wrote_them(pothole, handler):
    feedback = send(pothole)
    services.publish_feedback(
        feedback=feedback,
        staff=handler,
        public_description=" Katuvalo  on rikki.\n",
        public_address="Viides  linja",
    )
    feedback.refresh_from_db()
    assert (feedback.public_description, feedback.public_address) == (
        "Katuvalo  on rikki.",
        "Viides  linja",
    )
    with pytest.raises(FeedbackError) as refused:
        services.publish_feedback(
            feedback=feedback, staff=handler, public_description="Ok", public_title="\u202eX"
        )
    assert (refused.value.code, refused.value.field) == ("control_characters", "public_title")

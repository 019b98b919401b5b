"""City coaches' personal data (see ``osallistu.core.personal_data``): residents'
appointments, requests and event sign-ups, and the coaches' own profiles and work."""

from django.apps import apps
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallistu.core.personal_data import (
    Basis,
    Purpose,
    register_erasure,
    register_model,
    register_retention,
)

from .services import people

COACHING = Purpose(
    key="coaches.coaching",
    title=gettext_lazy("Help from city coaches"),
    description=gettext_lazy(
        "Your appointments, questions and messages to city coaches, and the events you "
        "signed up for, with how to reach you and what you need to take part."
    ),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy(
        "A year after the meeting, the event, or the answer to your question (or until you "
        "delete your account); then your name, contacts and what you wrote are removed and "
        "only the figures stay."
    ),
    order=97,
)
COACH_WORK = Purpose(
    key="coaches.staff",
    title=gettext_lazy("City coaches' profiles and work"),
    description=gettext_lazy(
        "A coach's public profile and hours, and which coach handled what, with their notes."
    ),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy("While the person works as a coach; notes with their case."),
    order=880,
)

model = apps.get_model
register_model(
    model("coaches", "Topic"), other=["audience", "slug", "name", "position", "is_active"]
)
register_model(
    model("coaches", "Place"),
    other=[
        "name", "kind", "street_address", "postal_code", "district", "online_link",
        "step_free", "induction_loop", "accessibility_notes",
    ],
)  # fmt: skip
register_model(
    model("coaches", "OfficeHours"),
    personal={COACH_WORK: ["coach"]},
    other=["weekday", "begins", "ends", "slot_minutes", "place", "valid_from", "valid_until"],
)
register_model(
    model("coaches", "OfficeHoursException"),
    personal={COACH_WORK: ["coach"]},
    other=["date", "begins", "ends", "slot_minutes", "place", "reason"],
)
Appointment = model("coaches", "Appointment")
register_model(
    Appointment,
    personal={
        COACHING: [
            "person", "name", "email", "phone", "email_language", "meeting_language",
            "details", "accessibility_needs",
        ],
        COACH_WORK: ["coach", "cancelled_by"],
    },
    other=[
        "coach_kind", "district", "begins_at", "ends_at", "place", "topic", "company",
        "state", "hold_until", "created_at", "confirmed_at", "cancelled_at",
        "cancel_reason", "reminded_at", "sequence",
    ],
    of_person=lambda user: Appointment.objects.filter(person=user),
)  # fmt: skip
register_model(
    model("coaches", "Company"), other=["name", "business_id", "sector", "district", "created_at"]
)
register_model(
    model("coaches", "CompanyContact"),
    personal={COACH_WORK: ["coach", "notes"]},
    other=["company", "district", "topic", "channel", "happened_on", "request", "created_at"],
)
register_model(
    model("coaches", "Event"),
    personal={COACH_WORK: ["organiser"]},
    other=[
        "kind", "title", "description", "district", "begins_at", "ends_at", "place",
        "space_booking", "languages", "step_free", "induction_loop", "accessibility_notes",
        "signup_required", "capacity", "signup_count", "participants", "published_at",
        "cancelled_at", "cancel_reason", "sequence", "created_at",
    ],
)  # fmt: skip
Signup = model("coaches", "EventSignup")
register_model(
    Signup,
    personal={COACHING: ["person", "accessibility_needs", "created_at", "cancelled_at"]},
    other=["event"],
    of_person=lambda user: Signup.objects.filter(person=user),
)
register_model(
    model("coaches", "CoachProfile"),
    personal={COACH_WORK: ["user", "introduction", "phone", "email", "photo", "photo_alt"]},
    other=[
        "kind", "slug", "reach", "languages", "is_published", "bookable_weeks", "notice_hours",
    ],
)  # fmt: skip
Request = model("coaches", "ContactRequest")
register_model(
    Request,
    personal={
        COACHING: ["asker", "question", "phone", "language", "created_at"],
        COACH_WORK: ["assigned_to"],
    },
    other=[
        "kind", "district", "company", "topic", "wants_meeting", "status",
        "first_response_at", "closed_at", "updated_at",
    ],
    of_person=lambda user: Request.objects.filter(asker=user),
)  # fmt: skip
Message = model("coaches", "RequestMessage")
register_model(
    Message,
    personal={COACHING: ["author", "body", "created_at"]},
    other=["request", "from_coach"],
    of_person=lambda user: Message.objects.filter(author=user),
)
register_model(
    model("coaches", "RequestNote"),
    personal={COACH_WORK: ["author", "body", "created_at"]},
    other=["request"],
)
register_model(
    model("coaches", "RequestHandover"),
    personal={COACH_WORK: ["from_coach", "to_coach", "note"]},
    other=["request", "created_at"],
)


def deletion_blockers(user):
    return [
        _(
            "Your question to a city coach about “%(topic)s”, sent on %(date)s, is being "
            "handled. Close it under My requests if you need nothing more, or delete your "
            "account once it has been answered."
        )
        % {
            "topic": request.topic.name,
            "date": formats.date_format(timezone.localtime(request.created_at), "DATE_FORMAT"),
        }
        for request in people.open_requests(user)
    ]


def erase(user, *, remove_content):
    cancelled, kept = people.remove_person(user=user)
    done = []
    if cancelled:
        done.append(
            _(
                "Your upcoming meetings and event sign-ups with city coaches are cancelled "
                "(%(count)d); the coaches are told as on any cancellation."
            )
            % {"count": cancelled}
        )
    if kept:
        done.append(
            _(
                "Your past meetings, questions and event sign-ups with city coaches stay in "
                "their figures without your name, contacts or what you wrote."
            )
        )
    return done


register_erasure(app_label="coaches", blockers=deletion_blockers, erase=erase)

register_retention(
    key="coaches.appointments",
    title=gettext_lazy("Meetings with city coaches a year after the meeting"),
    setting="RETENTION_COACH_APPOINTMENTS_DAYS",
    default_days=365,
    apply=lambda *, before: people.apply_retention(appointments_before=before),
)
register_retention(
    key="coaches.event_signups",
    title=gettext_lazy("Sign-ups for city coaches' events a year after the event"),
    setting="RETENTION_COACH_EVENT_SIGNUPS_DAYS",
    default_days=365,
    apply=lambda *, before: people.apply_retention(signups_before=before),
)
register_retention(
    key="coaches.requests",
    title=gettext_lazy("Questions to city coaches a year after they were answered or closed"),
    setting="RETENTION_COACH_REQUESTS_DAYS",
    default_days=365,
    apply=lambda *, before: people.apply_retention(requests_before=before),
)

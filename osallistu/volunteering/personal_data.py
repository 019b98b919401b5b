"""Volunteering's personal data (see ``osallistu.core.personal_data``): volunteers'
sign-ups and talkoot proposals, and organisers' contacts."""

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

VOLUNTEERING = Purpose(
    key="volunteering.signups",
    title=gettext_lazy("Volunteering"),
    description=gettext_lazy(
        "Your sign-ups for shifts (with a guardian's consent for the young), your hours, "
        "and the talkoot you proposed."
    ),
    basis=Basis.CONSENT,
    retention=gettext_lazy(
        "A year after your last shift (or until you delete your account); then your name "
        "and contacts are removed and only the hours and attendance stay in the figures. A "
        "guardian's details are removed 30 days after they answered."
    ),
    order=98,
)
ORGANISERS = Purpose(
    key="volunteering.organisers",
    title=gettext_lazy("Organisers of volunteering"),
    description=gettext_lazy(
        "How to reach an organiser, who belongs to it, and who decided on it."
    ),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy("While the organiser offers volunteering."),
    order=890,
)

model = apps.get_model
register_model(
    model("volunteering", "Organiser"),
    personal={ORGANISERS: ["email", "phone", "decided_by", "created_by", "members"]},
    other=[
        "name", "slug", "kind", "description", "district", "business_id", "website",
        "status", "status_reason", "decided_at", "created_at",
    ],
)  # fmt: skip
Member = model("volunteering", "OrganiserMember")
register_model(
    Member,
    personal={ORGANISERS: ["user", "added_at"]},
    other=["organiser"],
    of_person=lambda user: Member.objects.filter(user=user),
)
register_model(
    model("volunteering", "Invitation"),
    personal={ORGANISERS: ["email", "token_digest", "invited_by", "created_at", "accepted_at"]},
    other=["organiser"],
    secret=["token_digest"],
)
register_model(model("volunteering", "Theme"), other=["slug", "name", "position"])
register_model(model("volunteering", "Language"), other=["slug", "name", "position"])
register_model(
    model("volunteering", "Opportunity"),
    personal={ORGANISERS: ["contact_name", "contact_email", "contact_phone", "created_by"]},
    other=[
        "organiser", "title", "description", "tasks", "benefits", "offers_training",
        "offers_insurance", "offers_certificate", "district", "place_text", "latitude",
        "longitude", "kind", "remote", "accessible", "accessibility_notes",
        "under_18_allowed", "youth_min_age", "cancel_hours_before", "status",
        "published_at", "created_at", "updated_at", "themes", "languages",
    ],
)  # fmt: skip
register_model(
    model("volunteering", "Shift"),
    other=[
        "opportunity", "starts_at", "ends_at", "place_text", "capacity", "taken", "status",
        "cancel_reason", "sequence", "created_at",
    ],
)  # fmt: skip
register_model(
    model("volunteering", "ShiftMessage"),
    personal={ORGANISERS: ["sender", "subject", "body", "recipients"]},
    other=["shift", "include_waiting", "sent_at"],
)
SignUp = model("volunteering", "SignUp")
register_model(
    SignUp,
    personal={
        VOLUNTEERING: [
            "volunteer", "name", "phone", "message", "age", "created_at", "guardian_name",
            "guardian_email", "guardian_language", "guardian_token_digest",
            "guardian_confirmed_at", "attendance", "hours",
        ],
        ORGANISERS: ["attendance_by"],
    },
    other=[
        "removed_volunteer", "shift", "status", "held_since", "cancelled_at",
        "cancelled_because", "cancel_note", "consent_due", "attendance_at", "reminded_at",
    ],
    secret=["guardian_token_digest"],
    of_person=lambda user: SignUp.objects.filter(volunteer=user),
)  # fmt: skip
Talkoot = model("volunteering", "Talkoot")
register_model(
    Talkoot,
    personal={
        VOLUNTEERING: [
            "proposer", "title", "description", "place_text", "latitude", "longitude",
            "created_at",
        ],
        ORGANISERS: ["decided_by"],
    },
    other=[
        "district", "starts_on", "ends_on", "expected_participants", "equipment",
        "equipment_notes", "status", "decision_reason", "decided_at",
    ],
    of_person=lambda user: Talkoot.objects.filter(proposer=user),
)  # fmt: skip


def deletion_blockers(user):
    today = timezone.localdate()
    reasons = [
        _(
            "Your talkoot “%(title)s” is going on until %(day)s. You answer for it until it "
            "is over: delete your account after it."
        )
        % {"title": talkoot.title, "day": formats.date_format(talkoot.ends_on, "DATE_FORMAT")}
        for talkoot in people.running_talkoot(user, today)
    ]
    reasons += [
        _(
            "You are the only person who manages “%(name)s”, which has volunteering on offer. "
            "Invite someone else to manage it, or close its opportunities, first."
        )
        % {"name": organiser.name}
        for organiser in people.organisers_left_alone(user)
    ]
    return reasons


def erase(user, *, remove_content):
    cancelled, kept, removed = people.remove_person(user=user, remove_content=remove_content)
    done = []
    if cancelled:
        done.append(
            _(
                "Your upcoming volunteering sign-ups and talkoot are cancelled (%(count)d); "
                "the places go to the next on the waiting list."
            )
            % {"count": cancelled}
        )
    if kept:
        done.append(
            _(
                "Your past volunteering stays in the figures (shifts, attendance and hours) "
                "without your name or contacts; approved talkoot stay without their proposer."
            )
        )
    if removed:
        done.append(_("Your talkoot proposals that were not approved are deleted."))
    return done


register_erasure(app_label="volunteering", blockers=deletion_blockers, erase=erase)

register_retention(
    key="volunteering.signups",
    title=gettext_lazy("Volunteers' sign-ups a year after their last shift"),
    setting="RETENTION_VOLUNTEER_SIGNUPS_DAYS",
    default_days=365,
    apply=lambda *, before: people.apply_retention(signups_before=before),
)
register_retention(
    key="volunteering.guardians",
    title=gettext_lazy("Guardians' details 30 days after they answered or the sign-up ended"),
    setting="RETENTION_VOLUNTEER_GUARDIANS_DAYS",
    default_days=30,
    apply=lambda *, before: people.apply_retention(guardians_before=before),
)

"""Feedback's personal data (see ``osallistu.core.personal_data``). Deleting an account
keeps the feedback (it is the city's case) without its author and contact details."""

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallistu.core.personal_data import (
    Basis,
    Purpose,
    register_erasure,
    register_model,
    register_retention,
)

from .models import CLOSED_STATUSES

FEEDBACK = Purpose(
    key="feedback.feedback",
    title=gettext_lazy("Feedback"),
    description=gettext_lazy(
        "What you reported, where, with your photos, and how the city may reach you about "
        "it; and the feedback whose news you follow."
    ),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy(
        "The feedback is kept as the city's case; your name and contact details are removed "
        "from it 180 days after it is closed, or when you delete your account."
    ),
    order=95,
)
HANDLING = Purpose(
    key="feedback.handling",
    title=gettext_lazy("Handling of feedback"),
    description=gettext_lazy("Who of the city's staff handled, moderated or answered feedback."),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy("Kept with the feedback."),
    order=860,
)

model = apps.get_model
register_model(
    model("feedback", "DivisionMember"),
    personal={HANDLING: ["user", "added_at"]},
    other=["division"],
)
register_model(
    model("feedback", "ServiceCategory"),
    other=["code", "division", "name", "description", "group", "keywords", "position", "is_active"],
)
register_model(
    model("feedback", "ServiceAttribute"),
    other=[
        "service", "code", "variable", "datatype", "required", "order", "description",
        "datatype_description",
    ],
)  # fmt: skip
register_model(
    model("feedback", "ServiceAttributeValue"), other=["attribute", "key", "name", "position"]
)
register_model(
    model("feedback", "ApiKey"),
    personal={HANDLING: ["created_by", "revoked_by"]},
    other=["name", "prefix", "digest", "created_at", "revoked_at"],
)
Feedback = model("feedback", "Feedback")
register_model(
    Feedback,
    personal={
        FEEDBACK: [
            "title", "description", "address", "postal_code", "latitude", "longitude",
            "attribute_values", "author", "contact_email", "contact_first_name",
            "contact_last_name", "contact_phone", "media_url", "token", "requested_at",
        ],
        HANDLING: ["moderated_by", "handler"],
    },
    other=[
        "service", "language", "district", "api_key", "moderation", "public_title",
        "public_description", "public_address", "moderation_reason", "moderated_at",
        "status", "answer", "answered_at", "duplicate_of", "updated_at", "expected_at",
        "due_at", "closed_at", "reopened_at", "handling_seconds",
    ],
    secret=["token"],
    of_person=lambda user: Feedback.objects.filter(author=user),
)  # fmt: skip
Photo = model("feedback", "FeedbackPhoto")
register_model(
    Photo,
    personal={FEEDBACK: ["image", "description"]},
    other=["feedback", "position", "is_public"],
    of_person=lambda user: Photo.objects.filter(feedback__author=user),
)
register_model(
    model("feedback", "FeedbackEvent"),
    personal={HANDLING: ["actor", "note", "data"]},
    other=["feedback", "kind", "status", "created_at"],
)
Follower = model("feedback", "FeedbackFollower")
register_model(
    Follower,
    personal={FEEDBACK: ["user", "created_at"]},
    other=["feedback"],
    of_person=lambda user: Follower.objects.filter(user=user),
)


CONTACTS = {
    "contact_email": "",
    "contact_first_name": "",
    "contact_last_name": "",
    "contact_phone": "",
}


def erase(user, *, remove_content):
    # The feedback and its public text stay as the city's case; the sender goes (the
    # account link is SET_NULL with the account).
    kept = Feedback.objects.filter(author=user).update(**CONTACTS)
    if kept:
        return [_("Your feedback stays as the city's case, without your name and contacts.")]
    return []


register_erasure(app_label="feedback", erase=erase)


def erase_old_contacts(*, before):
    """Senders' contact details of feedback closed before ``before``: the city has
    answered, and a reopened case has its ``closed_at`` cleared."""
    return (
        Feedback.objects.filter(status__in=CLOSED_STATUSES, closed_at__lt=before)
        .filter(
            ~Q(contact_email="")
            | ~Q(contact_first_name="")
            | ~Q(contact_last_name="")
            | ~Q(contact_phone="")
        )
        .update(**CONTACTS)
    )


register_retention(
    key="feedback.contacts",
    title=gettext_lazy("Senders' contact details of feedback 180 days after it was closed"),
    setting="RETENTION_FEEDBACK_CONTACTS_DAYS",
    default_days=180,
    apply=erase_old_contacts,
)

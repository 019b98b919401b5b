"""Initiatives' personal data (see ``osallistu.core.personal_data``).

An initiative is a public record of the city once published: deleting an account keeps
it, its author shown as removed, and its supports counted without the supporters,
except supports of an initiative still collecting, which are withdrawn. Whoever leads
an initiative being collected for or handled stays until it is decided or ended.
"""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallistu.core.personal_data import (
    Basis,
    Purpose,
    register_erasure,
    register_model,
    register_retention,
)

from .models import (
    Attachment,
    Author,
    Follower,
    Initiative,
    Invitation,
    PaperSupportBatch,
    State,
    Support,
    Transition,
)

AUTHORS = Purpose(
    key="initiatives.authors",
    title=gettext_lazy("Authors of initiatives"),
    description=gettext_lazy(
        "Who made an initiative, under the name they chose to show, whom they invited, and "
        "what help they asked of a city coach."
    ),
    basis=Basis.LEGAL_OBLIGATION,
    retention=gettext_lazy(
        "A published initiative is kept as the city's record; if you delete your account "
        "it stays with its author shown as removed. Drafts go with the account."
    ),
    order=80,
)
SUPPORTERS = Purpose(
    key="initiatives.supports",
    title=gettext_lazy("Supports and following of initiatives"),
    description=gettext_lazy(
        "That you supported an initiative (never shown to anyone), so that you support it "
        "once and it counts towards the thresholds of the law; and the initiatives whose "
        "news you follow."
    ),
    basis=Basis.LEGAL_OBLIGATION,
    retention=gettext_lazy(
        "Until you delete your account: a support of an initiative still collecting is "
        "then withdrawn; a support of one sent to the city stays as a count. Unanswered "
        "invitations are erased after 60 days."
    ),
    order=90,
)
HANDLING = Purpose(
    key="initiatives.handling",
    title=gettext_lazy("Handling of initiatives"),
    description=gettext_lazy(
        "Who of the city's staff prepared, coached, entered or confirmed something."
    ),
    basis=Basis.LEGAL_OBLIGATION,
    retention=gettext_lazy("Kept with the initiative."),
    order=850,
)

register_model(
    Initiative,
    personal={
        AUTHORS: ["help_message", "help_requested_at"],
        HANDLING: ["preparer_name", "preparer_email", "coach", "coach_assigned_at"],
    },
    other=[
        "category", "title", "proposal", "rationale", "language", "area", "place_text",
        "latitude", "longitude", "state", "created_at", "edited_at", "published_at",
        "sent_at", "diary_number", "registered_at", "division", "decision_maker",
        "decision_date", "answer", "answer_language", "decision_url", "end_reason",
        "closed_at", "deadline", "deadline_by_law", "deadline_reason",
        "council_threshold_reached_on", "referendum_threshold_reached_on",
    ],
    of_person=lambda user: Initiative.objects.filter(authors__user=user).distinct(),
)  # fmt: skip
register_model(
    Author,
    personal={AUTHORS: ["user", "kind", "organisation", "public_name", "joined_at"]},
    other=["initiative", "is_initiator"],
    of_person=lambda user: Author.objects.filter(user=user),
)
register_model(
    Invitation,
    personal={AUTHORS: ["email", "token_digest", "invited_by", "invited_at", "accepted_at"]},
    other=["initiative"],
    secret=["token_digest"],
    of_person=lambda user: Invitation.objects.filter(invited_by=user),
)
register_model(
    Support,
    personal={SUPPORTERS: ["user", "supported_at", "counts"]},
    other=["initiative", "home_district", "age_group"],
    of_person=lambda user: Support.objects.filter(user=user),
)
register_model(
    Follower,
    personal={SUPPORTERS: ["user", "token", "followed_at"]},
    other=["initiative"],
    secret=["token"],
    of_person=lambda user: Follower.objects.filter(user=user),
)
register_model(
    PaperSupportBatch,
    personal={HANDLING: ["entered_by", "confirmed_by", "returned_by"]},
    other=[
        "initiative", "label", "signatures", "valid", "notes", "entered_at", "confirmed_at",
        "returned_at", "return_reason",
    ],
)  # fmt: skip
register_model(
    Transition,
    personal={HANDLING: ["actor"]},
    other=["initiative", "from_state", "to_state", "at", "reason", "by_city"],
)
register_model(
    Attachment,
    personal={HANDLING: ["added_by"]},
    other=["initiative", "title", "file", "size", "added_at"],
)

RUNNING = (State.COLLECTING, State.SENT, State.PREPARING)


def deletion_blockers(user):
    led = Initiative.objects.filter(
        authors__user=user, authors__is_initiator=True, state__in=RUNNING
    ).order_by("pk")
    return [
        _(
            "You lead the initiative “%(title)s”, which is at the stage “%(state)s”. Its "
            "initiator answers for it until it is decided or ended."
        )
        % {"title": initiative.title, "state": initiative.get_state_display()}
        for initiative in led
    ]


def erase(user, *, remove_content):
    done = []
    drafts = Initiative.objects.filter(
        authors__user=user, authors__is_initiator=True, state=State.DRAFT
    )
    for attachment in Attachment.objects.filter(initiative__in=drafts):
        transaction.on_commit(partial(attachment.file.storage.delete, attachment.file.name))
    # Deleting a draft deletes its rows that point at it (authors, invitations).
    drafts_deleted = drafts.delete()[1].get(Initiative._meta.label, 0)
    if drafts_deleted:
        done.append(_("Your draft initiatives are deleted."))
    Invitation.objects.filter(invited_by=user).delete()
    if user.email:
        Invitation.objects.filter(email=user.email, accepted_at__isnull=True).delete()
    Author.objects.filter(user=user, initiative__state=State.DRAFT).delete()
    if Author.objects.filter(user=user).update(user=None, public_name=""):
        done.append(_("Your published initiatives stay, their author shown as removed."))
    withdrawn = Support.objects.filter(user=user, initiative__state=State.COLLECTING).delete()[0]
    kept = Support.objects.filter(user=user).update(user=None)
    if withdrawn or kept:
        done.append(
            _(
                "Supports of initiatives still collecting are withdrawn (%(withdrawn)d); "
                "supports of initiatives sent to the city stay as counts (%(kept)d)."
            )
            % {"withdrawn": withdrawn, "kept": kept}
        )
    return done


register_erasure(app_label="initiatives", blockers=deletion_blockers, erase=erase)


def erase_old_invitations(*, before):
    return Invitation.objects.filter(invited_at__lt=before).delete()[0]


register_retention(
    key="initiatives.invitations",
    title=gettext_lazy("Invitations of co-authors"),
    setting="RETENTION_INVITATIONS_DAYS",
    default_days=60,
    apply=erase_old_invitations,
)

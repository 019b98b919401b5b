"""Surveys' and hearings' personal data (see ``osallistu.core.personal_data``).

Sent answers count in results: deleting an account keeps them without the person
(with the district and age group copied when they were sent); unfinished ones go.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osallistu.core.personal_data import Basis, Purpose, register_erasure, register_model

from .models import (
    Answer,
    Comment,
    CommentFlag,
    CommentSupport,
    Condition,
    Hearing,
    Option,
    Page,
    Poll,
    PollChoice,
    PollOption,
    PollVote,
    Question,
    Response,
    ResponseStatus,
    Section,
    SectionAttachment,
    SectionImage,
    Selection,
    Survey,
)

ANSWERS = Purpose(
    key="surveys.answers",
    title=gettext_lazy("Survey answers and poll votes"),
    description=gettext_lazy(
        "Your answers, so that you can continue where you left off and so that they count "
        "in the results, which show only totals by district and age group."
    ),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy(
        "The link between you and your answers lasts until you delete your account; the "
        "answers stay in the results without you."
    ),
    order=50,
)
HEARING_COMMENTS = Purpose(
    key="surveys.comments",
    title=gettext_lazy("Comments in hearings"),
    description=gettext_lazy(
        "What you commented in a hearing, under the name you chose, and which comments you "
        "supported or reported."
    ),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy(
        "As long as the hearing is public. If you delete your account your comments stay "
        "without your name, unless you ask for them to be removed too."
    ),
    order=60,
)
MODERATION = Purpose(
    key="surveys.moderation",
    title=gettext_lazy("Moderation of hearings"),
    description=gettext_lazy("Which member of staff hid a comment, and why."),
    basis=Basis.PUBLIC_TASK,
    retention=gettext_lazy("As long as the hearing is kept."),
    order=830,
)

TRANSLATED_TEXT = ["title", "description"]
register_model(
    Survey,
    other=[
        "opens_at", "closes_at", *TRANSLATED_TEXT, "slug", "audience",
        "anonymous_responses_per_hour", "published", "results_published", "created_at",
        "districts",
    ],
)  # fmt: skip
register_model(Page, other=["survey", "position", "title"])
register_model(
    Question,
    other=["page", "position", "kind", "text", "help_text", "required", "settings"],
)
register_model(Option, other=["question", "role", "position", "text"])
register_model(Condition, other=["question", "depends_on", "operator", "option", "value"])
register_model(
    Response,
    personal={ANSWERS: ["user", "status", "current_page", "started_at", "submitted_at"]},
    other=["survey", "district", "age_group"],
    of_person=lambda user: Response.objects.filter(user=user),
)
register_model(
    Answer,
    personal={ANSWERS: ["value", "text", "number"]},
    other=["response", "question"],
    of_person=lambda user: Answer.objects.filter(response__user=user),
)
register_model(
    Selection,
    personal={ANSWERS: ["option", "row", "rank"]},
    other=["answer", "response", "question"],
    of_person=lambda user: Selection.objects.filter(response__user=user),
)
register_model(
    Hearing,
    other=[
        "opens_at", "closes_at", "title", "slug", "lead", "commenting", "map_comments",
        "anonymous_comments_per_hour", "created_at", "districts",
    ],
)  # fmt: skip
register_model(Section, other=["hearing", "position", "kind", "title", "content"])
register_model(SectionImage, other=["section", "position", "image", "alt_text", "caption"])
register_model(SectionAttachment, other=["section", "position", "file", "title"])
register_model(Poll, other=["section", "position", "kind", "text", "voting", "results_shown"])
register_model(PollOption, other=["poll", "position", "text"])
register_model(
    PollVote,
    personal={ANSWERS: ["user", "created_at"]},
    other=["poll"],
    of_person=lambda user: PollVote.objects.filter(user=user),
)
register_model(
    PollChoice,
    personal={ANSWERS: ["option"]},
    other=["vote", "poll"],
    of_person=lambda user: PollChoice.objects.filter(vote__user=user),
)
register_model(
    Comment,
    personal={
        HEARING_COMMENTS: ["author", "nickname", "text", "geojson", "address", "created_at"],
        MODERATION: ["hidden_by"],
    },
    other=["hearing", "section", "parent", "is_official", "hidden_at", "hidden_reason"],
    of_person=lambda user: Comment.objects.filter(author=user),
)
register_model(
    CommentSupport,
    personal={HEARING_COMMENTS: ["user", "created_at"]},
    other=["comment"],
    of_person=lambda user: CommentSupport.objects.filter(user=user),
)
register_model(
    CommentFlag,
    personal={HEARING_COMMENTS: ["user", "reason", "created_at"]},
    other=["comment"],
    of_person=lambda user: CommentFlag.objects.filter(user=user),
)


def erase(user, *, remove_content):
    done = []
    Response.objects.filter(user=user, status=ResponseStatus.DRAFT).delete()
    sent = Response.objects.filter(user=user).update(user=None)
    if sent:
        done.append(_("Your sent survey answers stay in the results without your name."))
    PollVote.objects.filter(user=user).update(user=None)
    comments = Comment.objects.filter(author=user)
    if remove_content:
        replied = Exists(Comment.objects.filter(parent=OuterRef("pk")))
        # A comment others answered keeps its place in the thread, emptied.
        comments.filter(replied).update(text="—", nickname="", geojson=None, address="")
        comments.exclude(replied).delete()
        if comments.exists():
            comments.update(author=None)
        done.append(_("Your comments in hearings are removed."))
    elif comments.update(author=None, nickname=""):
        done.append(_("Your comments in hearings stay without your name."))
    return done


register_erasure(app_label="surveys", erase=erase)

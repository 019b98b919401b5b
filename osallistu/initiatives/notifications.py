"""E-mails about initiatives, each in its recipient's language. Called inside the
service's transaction: ``send_later`` queues each e-mail as a job that exists only if
the change is committed. Followers' e-mails carry a link that ends them."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from osallistu.accounts.models import StaffRole
from osallistu.core.mail import send_later
from osallistu.core.site import absolute_url

from . import thresholds


def _address(name, *args):
    return absolute_url(reverse(name, args=args))


def _send(to, language, compose):
    """Render ``compose()`` → (subject, body) in ``language`` and queue it to ``to``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, body = compose()
    send_later(to=[to], subject=subject, body=body)


def _authors(initiative):
    return [
        author.user
        for author in initiative.authors.select_related("user")
        # An author who deleted their account has no user left to write to.
        if author.user is not None and author.user.email and author.user.is_active
    ]


def registry_recipients(area):
    """(address, language) of the registry of ``area``: its registry staff and the
    registry's own address when one is set (``INITIATIVES_REGISTRY_EMAIL``)."""
    staff = (
        get_user_model()
        .objects.filter(
            is_active=True,
            is_staff=True,
            pk__in=StaffRole.objects.for_area(StaffRole.Role.REGISTRY, area).values("user"),
        )
        .exclude(email=None)
        .exclude(email="")
        .order_by("pk")
    )
    recipients = [(person.email, person.preferred_language) for person in staff]
    registry = settings.INITIATIVES_REGISTRY_EMAIL
    if registry and registry not in {address for address, _language in recipients}:
        recipients.append((registry, settings.LANGUAGE_CODE))
    return recipients


def sent_to_registry(initiative):
    """A new initiative waits for registering."""
    for address, language in registry_recipients(initiative.area):

        def compose():
            subject = _("New initiative to register: %(title)s") % {"title": initiative.title}
            lines = [
                _("An initiative was sent to the city. Please register it."),
                _("Title: %(title)s") % {"title": initiative.title},
                _("Area: %(area)s") % {"area": initiative.area.name},
                _deadline_text(initiative),
                _address("initiatives:staff_initiative", initiative.pk),
            ]
            return subject, "\n\n".join(line for line in lines if line) + "\n"

        _send(address, language, compose)


def _deadline_text(initiative):
    if initiative.deadline_by_law and initiative.deadline:
        return _(
            "It has support from 2 %% of the residents entitled to vote, so the council "
            "must take it up by %(day)s."
        ) % {"day": date_format(initiative.deadline, "DATE_FORMAT")}
    return ""


def threshold_reached(initiative, threshold):
    """Tell the authors and the registry that a legal threshold is crossed, with what
    follows and by when."""
    recipients = [(user.email, user.preferred_language, True) for user in _authors(initiative)]
    recipients += [
        (address, language, False) for address, language in registry_recipients(initiative.area)
    ]
    for address, language, is_author in recipients:

        def compose(is_author=is_author):
            subject = _("%(percent)s %% support reached: %(title)s") % {
                "percent": threshold.percent,
                "title": initiative.title,
            }
            lines = [
                _(
                    "The initiative “%(title)s” has %(count)s supports from residents "
                    "entitled to vote: %(percent)s %% of them, which is %(needed)s, is reached."
                )
                % {
                    "title": initiative.title,
                    "count": threshold.counted,
                    "percent": threshold.percent,
                    "needed": threshold.needed,
                }
            ]
            if threshold.key == thresholds.COUNCIL:
                if initiative.sent_at is not None:
                    deadline = thresholds.council_deadline(timezone.localdate(initiative.sent_at))
                    lines.append(
                        _(
                            "The council must take it up within six months of its being "
                            "sent, by %(day)s."
                        )
                        % {"day": date_format(deadline, "DATE_FORMAT")}
                    )
                else:
                    lines.append(
                        _(
                            "When the initiative is sent to the city, the council must take "
                            "it up within six months."
                        )
                    )
            else:
                lines.append(
                    _(
                        "The authors may demand a municipal referendum on the matter; the "
                        "council then decides without delay whether to hold one."
                    )
                )
            if is_author:
                lines.append(_address("initiatives:detail", initiative.pk))
            else:
                lines.append(_address("initiatives:staff_initiative", initiative.pk))
            return subject, "\n\n".join(lines) + "\n"

        _send(address, language, compose)


def invitation(invitation, token, *, inviter):
    initiative = invitation.initiative

    def compose():
        subject = _("You are invited to make an initiative: %(title)s") % {
            "title": initiative.title
        }
        body = "\n\n".join(
            [
                _(
                    "%(name)s invites you to be a co-author of the initiative “%(title)s” on "
                    "Osallistu, the City of Helsinki's service for taking part."
                )
                % {"name": inviter.public_name, "title": initiative.title},
                _("To join, open this link and log in or create an account:"),
                _address("initiatives:invitation", token),
                _("If you do not want to join, you do not need to do anything."),
            ]
        )
        return subject, body + "\n"

    _send(invitation.email, initiative.language, compose)


def help_requested(initiative):
    """Tell the assigned city coach."""
    coach = initiative.coach
    if coach is None or not coach.email:
        return

    def compose():
        subject = _("An initiative asks for your help: %(title)s") % {"title": initiative.title}
        body = "\n\n".join(
            [
                _("You have been assigned as the city coach of the initiative “%(title)s”.")
                % {"title": initiative.title},
                _("What the authors ask: %(message)s") % {"message": initiative.help_message},
                _address("initiatives:coach_queue"),
            ]
        )
        return subject, body + "\n"

    _send(coach.email, coach.preferred_language, compose)


def state_changed(transition):
    """Tell the authors and followers of the new state, except whoever made the change."""
    initiative = transition.initiative
    seen = set()
    recipients = []
    for user in _authors(initiative):
        recipients.append((user, None))
        seen.add(user.pk)
    for follower in initiative.followers.select_related("user"):
        if follower.user_id not in seen and follower.user.email and follower.user.is_active:
            recipients.append((follower.user, follower.token))
            seen.add(follower.user_id)
    for user, token in recipients:
        if user.pk == transition.actor_id:
            continue

        def compose(token=token):
            state = transition.get_to_state_display()
            subject = _("%(title)s: %(state)s") % {"title": initiative.title, "state": state}
            lines = [
                _("The initiative “%(title)s” is now: %(state)s.")
                % {"title": initiative.title, "state": state}
            ]
            if transition.reason:
                lines.append(
                    pgettext("justification", "Reason: %(reason)s") % {"reason": transition.reason}
                )
            lines.append(_address("initiatives:detail", initiative.pk))
            if token is not None:
                lines.append(
                    _("You get these e-mails because you follow the initiative. To stop them:")
                    + "\n"
                    + _address("initiatives:unsubscribe", token)
                )
            return subject, "\n\n".join(lines) + "\n"

        _send(user.email, user.preferred_language, compose)

"""E-mails of volunteering, each in its recipient's language: volunteers in their
account's preferred language, guardians in the language chosen at sign-up. Called by
the services inside their transaction: ``send_later`` queues each e-mail as a job that
exists only if the change is committed. Confirmations carry the shift's .ics."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from osallistu.core.mail import send_later
from osallistu.core.site import absolute_url

from . import ical
from .selectors import CITY_TZ


def when(shift):
    begins = timezone.localtime(shift.starts_at, CITY_TZ)
    ends = timezone.localtime(shift.ends_at, CITY_TZ)
    if begins.date() == ends.date():
        return f"{date_format(begins, 'DATE_FORMAT')} {begins:%H.%M}–{ends:%H.%M}"
    return (
        f"{date_format(begins, 'DATE_FORMAT')} {begins:%H.%M} – "
        f"{date_format(ends, 'DATE_FORMAT')} {ends:%H.%M}"
    )


def _details(shift):
    opportunity = shift.opportunity
    lines = [
        _("Task: %(title)s") % {"title": opportunity.title},
        _("Organiser: %(name)s") % {"name": opportunity.organiser.name},
        _("Time: %(when)s") % {"when": when(shift)},
    ]
    place = shift.place_text or opportunity.place_text
    if place:
        lines.append(_("Place: %(place)s") % {"place": place})
    if opportunity.remote:
        lines.append(_("The task can be done remotely."))
    lines.append(
        _("Contact person: %(name)s, %(email)s")
        % {"name": opportunity.contact_name, "email": opportunity.contact_email}
        + (f", {opportunity.contact_phone}" if opportunity.contact_phone else "")
    )
    return "\n".join(lines)


def _title(signup):
    """The task's title in the active language: read inside the recipient's language,
    not the language of the request that caused the e-mail."""
    return signup.shift.opportunity.title


def _footer():
    url = absolute_url(reverse("volunteering:mine"))
    return "\n\n" + _("Your sign-ups and hours: %(url)s") % {"url": url} + "\n"


def _to_volunteer(signup, subject, intro, *, ics=False):
    volunteer = signup.volunteer
    if volunteer is None or not volunteer.email:
        return
    with translation.override(volunteer.preferred_language):
        attachments = [("shift.ics", ical.shift_ics(signup.shift), "text/calendar")] if ics else []
        send_later(
            to=[volunteer.email],
            subject=str(subject()),
            body=f"{intro()}\n\n{_details(signup.shift)}{_footer()}",
            attachments=attachments,
        )


def signed_up(signup):
    from .models import SignUp

    if signup.status == SignUp.Status.CONFIRMED:
        _to_volunteer(
            signup,
            lambda: _("You have a place: %(title)s") % {"title": _title(signup)},
            lambda: _(
                "Thank you for signing up! Your place is confirmed. The calendar file is attached."
            ),
            ics=True,
        )
    elif signup.status == SignUp.Status.AWAITING_GUARDIAN:
        _to_volunteer(
            signup,
            lambda: _("Waiting for your guardian: %(title)s") % {"title": _title(signup)},
            lambda: (
                _(
                    "Thank you for signing up! We are keeping a place for you. Your guardian "
                    "%(guardian)s has been sent an e-mail: your place is confirmed once they "
                    "give their consent, by %(due)s."
                )
                % {"guardian": signup.guardian_name, "due": _local(signup.consent_due)}
            ),
        )
    else:
        _to_volunteer(
            signup,
            lambda: _("On the waiting list: %(title)s") % {"title": _title(signup)},
            lambda: _(
                "The shift is full, so you are on its waiting list. If a place frees up, "
                "it is yours automatically and we will e-mail you."
            ),
        )


def _local(moment):
    return date_format(timezone.localtime(moment, CITY_TZ), "DATETIME_FORMAT")


def guardian_request(signup, token):
    """The e-mail with the link a guardian follows to consent, in the guardian's
    language (the link opens the page in that language too)."""
    with translation.override(signup.guardian_language or settings.LANGUAGE_CODE):
        link = absolute_url(reverse("volunteering:guardian", args=[token]))
        subject = _("Please confirm: %(name)s has signed up to volunteer") % {"name": signup.name}
        intro = _(
            "%(name)s (%(age)s) has signed up for a volunteering task and named you as "
            "their guardian. Volunteers under 18 need their guardian's consent before their "
            "sign-up counts."
        ) % {"name": signup.name, "age": signup.age}
        action = _("Read about the task and give or refuse your consent here: %(url)s") % {
            "url": link
        }
        note = _("If you do not know what this is about, you can ignore this e-mail.")
        send_later(
            to=[signup.guardian_email],
            subject=subject,
            body=f"{intro}\n\n{_details(signup.shift)}\n\n{action}\n\n{note}\n",
        )


def guardian_consented(signup):
    from .models import SignUp

    if signup.status == SignUp.Status.CONFIRMED:
        _to_volunteer(
            signup,
            lambda: _("You have a place: %(title)s") % {"title": _title(signup)},
            lambda: _(
                "Your guardian has given their consent: your place is confirmed. The calendar file"
                " is attached."
            ),
            ics=True,
        )
    else:
        _to_volunteer(
            signup,
            lambda: _("Your guardian has consented: %(title)s") % {"title": _title(signup)},
            lambda: _(
                "Your guardian has given their consent. You are still on the waiting list; "
                "if a place frees up, it is yours automatically."
            ),
        )


def consent_refused(signup):
    _to_volunteer(
        signup,
        lambda: _("Sign-up cancelled: %(title)s") % {"title": _title(signup)},
        lambda: _("Your guardian did not give their consent, so your sign-up is cancelled."),
    )


def consent_lapsed(signup):
    _to_volunteer(
        signup,
        lambda: _("Sign-up cancelled: %(title)s") % {"title": _title(signup)},
        lambda: _(
            "Your guardian did not give their consent in time, so the place we kept for "
            "you went to the next person. You can sign up again if places are left."
        ),
    )


def moved_up(signup):
    from .models import SignUp

    if signup.status == SignUp.Status.CONFIRMED:
        _to_volunteer(
            signup,
            lambda: _("A place freed up for you: %(title)s") % {"title": _title(signup)},
            lambda: _(
                "A place freed up and it is yours: your place is confirmed. The calendar file is "
                "attached. If you cannot come after all, please cancel so that the next person "
                "gets it."
            ),
            ics=True,
        )
    else:
        _to_volunteer(
            signup,
            lambda: _("A place freed up for you: %(title)s") % {"title": _title(signup)},
            lambda: (
                _(
                    "A place freed up and we are keeping it for you until %(due)s. It is "
                    "confirmed once your guardian gives their consent by the link we sent them."
                )
                % {"due": _local(signup.consent_due)}
            ),
        )


def cancelled(signup):
    _to_volunteer(
        signup,
        lambda: _("Sign-up cancelled: %(title)s") % {"title": _title(signup)},
        lambda: _("Your sign-up is cancelled. Thank you for letting us know."),
    )


def removed(signup):
    _to_volunteer(
        signup,
        lambda: _("Sign-up cancelled: %(title)s") % {"title": _title(signup)},
        lambda: (
            _("The organiser has cancelled your sign-up.")
            + "\n"
            + _("Reason: %(reason)s") % {"reason": signup.cancel_note}
        ),
    )


def shift_cancelled(signup):
    _to_volunteer(
        signup,
        lambda: _("Shift cancelled: %(title)s") % {"title": _title(signup)},
        lambda: (
            _("The organiser has cancelled the shift you signed up for.")
            + "\n"
            + _("Reason: %(reason)s") % {"reason": signup.shift.cancel_reason}
        ),
        ics=True,
    )


def shift_changed(signup):
    _to_volunteer(
        signup,
        lambda: _("Shift changed: %(title)s") % {"title": _title(signup)},
        lambda: _(
            "The organiser has changed the time of the shift you signed up for. The new time is "
            "below, and the calendar file is attached."
        ),
        ics=True,
    )


def reminder(signup):
    _to_volunteer(
        signup,
        lambda: _("Reminder: %(title)s") % {"title": _title(signup)},
        lambda: _("Your volunteering shift begins in two days. Thank you for taking part!"),
        ics=True,
    )


def organiser_message(signup, message):
    organiser = signup.shift.opportunity.organiser.name
    _to_volunteer(
        signup,
        lambda: f"{message.subject} ({organiser})",
        lambda: (
            _("A message from %(organiser)s about your shift:") % {"organiser": organiser}
            + f"\n\n{message.body}"
        ),
    )


def _to_members(organiser, subject, body):
    for user in organiser.members.filter(is_active=True).exclude(email=None):
        with translation.override(user.preferred_language):
            send_later(to=[user.email], subject=str(subject()), body=str(body()))


def organiser_decided(organiser):
    url = absolute_url(reverse("volunteering:manage_organiser", args=[organiser.slug]))
    if organiser.is_verified:
        _to_members(
            organiser,
            lambda: _("%(name)s is verified") % {"name": organiser.name},
            lambda: (
                _(
                    "The city has verified %(name)s. You can now publish its volunteering "
                    "opportunities: %(url)s"
                )
                % {"name": organiser.name, "url": url}
            ),
        )
    else:
        _to_members(
            organiser,
            lambda: _("%(name)s was not verified") % {"name": organiser.name},
            lambda: (
                _("The city did not verify %(name)s.") % {"name": organiser.name}
                + "\n"
                + _("Reason: %(reason)s") % {"reason": organiser.status_reason}
                + f"\n\n{url}\n"
            ),
        )


def invitation(invitation, token, member):
    url = absolute_url(reverse("volunteering:invitation", args=[token]))
    with translation.override(member.preferred_language):
        send_later(
            to=[invitation.email],
            subject=_("Invitation to manage the volunteering of %(name)s")
            % {"name": invitation.organiser.name},
            body=_(
                "%(member)s invites you to manage the volunteering opportunities of "
                "%(name)s on Osallistu. Log in or create an account, then follow this "
                "link within 14 days: %(url)s"
            )
            % {"member": str(member), "name": invitation.organiser.name, "url": url}
            + "\n",
        )


def _to_proposer(talkoot, subject, body):
    proposer = talkoot.proposer
    if proposer is None or not proposer.email:
        return
    with translation.override(proposer.preferred_language):
        url = absolute_url(reverse("volunteering:talkoot", args=[talkoot.pk]))
        days = date_format(talkoot.starts_on, "DATE_FORMAT")
        if talkoot.ends_on != talkoot.starts_on:
            days += " – " + date_format(talkoot.ends_on, "DATE_FORMAT")
        facts = "\n".join(
            [
                _("Talkoot: %(title)s") % {"title": talkoot.title},
                _("Days: %(days)s") % {"days": days},
                _("Place: %(place)s") % {"place": talkoot.place_text},
            ]
        )
        send_later(
            to=[proposer.email], subject=str(subject()), body=f"{body()}\n\n{facts}\n\n{url}\n"
        )


def talkoot_received(talkoot):
    _to_proposer(
        talkoot,
        lambda: _("Talkoot received: %(title)s") % {"title": talkoot.title},
        lambda: _(
            "Thank you for your proposal! The city handles it and you will get an e-mail "
            "when it is approved or refused."
        ),
    )


def talkoot_decided(talkoot):
    from .models import Talkoot

    if talkoot.status == Talkoot.Status.APPROVED:
        _to_proposer(
            talkoot,
            lambda: _("Talkoot approved: %(title)s") % {"title": talkoot.title},
            lambda: (
                _("The city has approved your talkoot. Thank you!")
                + (f"\n{talkoot.decision_reason}" if talkoot.decision_reason else "")
            ),
        )
    else:
        _to_proposer(
            talkoot,
            lambda: _("Talkoot refused: %(title)s") % {"title": talkoot.title},
            lambda: (
                _("Unfortunately the city cannot approve your talkoot.")
                + "\n"
                + _("Reason: %(reason)s") % {"reason": talkoot.decision_reason}
            ),
        )

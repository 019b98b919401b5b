"""E-mails about a person's account, in their language, queued in the transaction of
the change (``osallistu.core.mail.send_later``): registration links, and every change
of the second factor, so that a change the person did not make does not go unnoticed."""

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osallistu.core.mail import send_later
from osallistu.core.site import absolute_url


def _send(email, subject, paragraphs):
    send_later(to=[email], subject=subject, body="\n\n".join(paragraphs) + "\n")


def _now():
    moment = timezone.localtime()
    return f"{date_format(moment, 'DATE_FORMAT')} {moment:%H.%M}"


def _not_you():
    return _(
        "If this was not you, tell a city administrator at once: they can reset your "
        "two-step verification, and someone may know your password."
    )


def confirm_registration(*, email, language, token, valid_for):
    with translation.override(language):
        link = absolute_url(reverse("accounts:register_confirm", args=[token]))
        hours = int(valid_for.total_seconds() // 3600)
        _send(
            email,
            _("Finish creating your Osallistu account"),
            [
                _("Follow this link to finish creating your account:"),
                link,
                ngettext(
                    "The link works for %(count)d hour.",
                    "The link works for %(count)d hours.",
                    hours,
                )
                % {"count": hours},
                _("If you did not ask for an account, you can ignore this message."),
            ],
        )


def already_registered(user):
    with translation.override(user.preferred_language):
        _send(
            user.email,
            _("You already have an Osallistu account"),
            [
                _(
                    "Someone, perhaps you, asked to create an Osallistu account with this "
                    "e-mail address. The address already has an account, so nothing was "
                    "changed."
                ),
                _("Log in here: %(url)s") % {"url": absolute_url(reverse("accounts:login"))},
                _("If it was not you, you can ignore this message."),
            ],
        )


def authenticator_added(user, *, first, replaced):
    if not user.email:
        return
    with translation.override(user.preferred_language):
        if replaced:
            change = _(
                "An authenticator app was set up for two-step verification of your Osallistu "
                "account on %(when)s, replacing the apps you had before."
            )
        elif first:
            change = _(
                "Two-step verification of your Osallistu account was turned on with an "
                "authenticator app on %(when)s."
            )
        else:
            change = _(
                "Another authenticator app was added to the two-step verification of your "
                "Osallistu account on %(when)s."
            )
        _send(
            user.email,
            _("Two-step verification of your account changed"),
            [change % {"when": _now()}, _not_you()],
        )


def second_factor_reset(user):
    if not user.email:
        return
    with translation.override(user.preferred_language):
        _send(
            user.email,
            _("Two-step verification of your account was reset"),
            [
                _(
                    "A city administrator reset the two-step verification of your Osallistu "
                    "account on %(when)s. The next time you open a staff page you will set "
                    "up an authenticator app again."
                )
                % {"when": _now()},
                _not_you(),
            ],
        )

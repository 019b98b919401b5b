"""E-mails about feedback, each in its recipient's language, queued inside the
service's transaction (``send_later``) so that only committed changes send anything.

The sender hears of every status change and answer of their feedback (public or not):
at the e-mail address they gave, or their account's. Followers hear only of public
feedback. Nobody is told of their own action.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from osallistu.core.mail import send_later
from osallistu.core.site import absolute_url

from .models import Moderation


def _page(feedback, language):
    with translation.override(language):
        return absolute_url(reverse("feedback:detail", args=[feedback.pk]))


def _recipients(feedback, actor):
    """``[(address, language, is_sender)]``, each address once."""
    seen = set()
    found = []
    author = feedback.author
    sender_address = feedback.contact_email or (author.email if author else "")
    if sender_address and (actor is None or author is None or actor.pk != author.pk):
        language = author.preferred_language if author else feedback.language
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        found.append((sender_address, language, True))
        seen.add(sender_address.lower())
    if feedback.moderation == Moderation.PUBLIC:
        followers = feedback.followers.select_related("user").exclude(user__email=None)
        for follow in followers:
            user = follow.user
            if actor is not None and user.pk == actor.pk:
                continue
            if not user.email or user.email.lower() in seen:
                continue
            seen.add(user.email.lower())
            found.append((user.email, user.preferred_language, False))
    return found


def feedback_changed(feedback, *, actor, what):
    """Tell the sender and the followers of ``feedback`` that ``what`` (a callable
    giving the news as text in the active language) happened."""
    for address, language, is_sender in _recipients(feedback, actor):
        with translation.override(language):
            number = feedback.pk
            name = feedback.service.name
            if is_sender:
                subject = _("Your feedback %(number)s: %(status)s") % {
                    "number": number,
                    "status": feedback.get_status_display(),
                }
                greeting = _("There is news of your feedback to the City of Helsinki.")
            else:
                subject = _("Feedback %(number)s you follow: %(status)s") % {
                    "number": number,
                    "status": feedback.get_status_display(),
                }
                greeting = _("There is news of feedback you follow.")
            lines = [
                greeting,
                "",
                _("Feedback %(number)s, %(category)s") % {"number": number, "category": name},
                _("Status: %(status)s") % {"status": feedback.get_status_display()},
                "",
                what(),
                "",
            ]
            if feedback.moderation == Moderation.PUBLIC or feedback.author_id is not None:
                lines.append(_("See it on the site: %(url)s") % {"url": _page(feedback, language)})
            if not is_sender:
                lines.append(_("To stop these e-mails, choose “Stop following” on that page."))
            send_later(to=[address], subject=subject, body="\n".join(lines) + "\n")

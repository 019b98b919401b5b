"""E-mails to bookers, in the booker's language, with an .ics file when the booking
holds a time or has been cancelled. Called by the services inside their transaction:
``send_later`` queues the e-mail as a job that exists only if the change is committed.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from osallistu.core.mail import send_later
from osallistu.core.site import absolute_url

from . import ical
from .models import BookingState
from .selectors import CITY_TZ


def _when(booking):
    begins = timezone.localtime(booking.begins_at, CITY_TZ)
    ends = timezone.localtime(booking.ends_at, CITY_TZ)
    return f"{date_format(begins, 'DATE_FORMAT')} {begins:%H.%M}–{ends:%H.%M}"


def _price(booking):
    if not booking.price:
        return _("Free of charge")
    amount = f"{booking.price:.2f}"
    if translation.get_language() == "en":
        return f"€{amount}"
    return f"{amount.replace('.', ',')}\N{NO-BREAK SPACE}€"


def _details(booking):
    space = booking.space
    unit = space.unit
    lines = [
        _("Space: %(space)s") % {"space": space.name},
        _("Place: %(unit)s, %(address)s, %(postal_code)s")
        % {"unit": unit.name, "address": unit.street_address, "postal_code": unit.postal_code},
        _("Time: %(when)s") % {"when": _when(booking)},
        _("People: %(count)s") % {"count": booking.attendees},
        _("Price: %(price)s") % {"price": _price(booking)},
        _("Booking number: %(number)s") % {"number": booking.pk},
    ]
    if booking.association:
        lines.append(_("Association: %(name)s") % {"name": booking.association})
    return "\n".join(lines)


def _footer():
    # My bookings, where the booker sees, cancels and downloads them, in the e-mail's
    # language (reverse() follows the active language's prefix).
    url = absolute_url(reverse("premises:my_bookings"))
    return "\n\n" + _("Your bookings: %(url)s") % {"url": url} + "\n"


def _send(booker, subject, body, attachment=None):
    if booker is None or not booker.email:
        return
    attachments = [("booking.ics", attachment, "text/calendar")] if attachment else []
    send_later(to=[booker.email], subject=subject, body=body, attachments=attachments)


def _in_language_of(booker):
    return translation.override(booker.preferred_language if booker else settings.LANGUAGE_CODE)


def booking_created(booking):
    """Confirmed at once: the confirmation with .ics; waiting: a receipt."""
    booker = booking.booker
    with _in_language_of(booker):
        if booking.state == BookingState.CONFIRMED:
            subject = _("Booking confirmed: %(space)s") % {"space": booking.space.name}
            intro = _("Your booking is confirmed. The calendar file is attached.")
            _send(
                booker,
                subject,
                f"{intro}\n\n{_details(booking)}\n{_terms(booking)}{_footer()}",
                ical.booking_ics(booking),
            )
        else:
            subject = _("Booking received: %(space)s") % {"space": booking.space.name}
            intro = _(
                "We have received your booking. Staff will handle it and you will get "
                "an e-mail when it is confirmed or denied."
            )
            _send(booker, subject, f"{intro}\n\n{_details(booking)}{_footer()}")


def _terms(booking):
    terms = "\n\n".join(
        text for text in (booking.space.unit.terms, booking.space.terms) if text.strip()
    )
    if not terms:
        return ""
    return "\n" + _("Terms of use:") + "\n" + terms + "\n"


def booking_approved(booking):
    booker = booking.booker
    with _in_language_of(booker):
        subject = _("Booking confirmed: %(space)s") % {"space": booking.space.name}
        intro = _("Staff have confirmed your booking. The calendar file is attached.")
        if booking.free_of_charge_requested and not booking.price:
            intro += " " + _("Your application for free-of-charge use was granted.")
        elif booking.free_of_charge_requested:
            intro += " " + _("Your application for free-of-charge use was not granted.")
        _send(
            booker,
            subject,
            f"{intro}\n\n{_details(booking)}\n{_terms(booking)}{_footer()}",
            ical.booking_ics(booking),
        )


def booking_denied(booking):
    booker = booking.booker
    with _in_language_of(booker):
        subject = _("Booking denied: %(space)s") % {"space": booking.space.name}
        intro = _("Unfortunately your booking was denied.")
        reason = _("Reason: %(reason)s") % {"reason": booking.state_reason}
        _send(
            booker,
            subject,
            f"{intro}\n{reason}\n\n{_details(booking)}{_footer()}",
            ical.booking_ics(booking),
        )


def booking_cancelled(booking, *, by_staff):
    booker = booking.booker
    with _in_language_of(booker):
        subject = _("Booking cancelled: %(space)s") % {"space": booking.space.name}
        if by_staff:
            intro = _("Staff have cancelled your booking.")
            intro += "\n" + _("Reason: %(reason)s") % {"reason": booking.state_reason}
        else:
            intro = _("Your booking has been cancelled.")
        _send(
            booker,
            subject,
            f"{intro}\n\n{_details(booking)}{_footer()}",
            ical.booking_ics(booking),
        )


def _series_lines(bookings):
    return "\n".join(f"- {_when(booking)}" for booking in bookings)


def series_created(series, bookings):
    booker = series.booker
    with _in_language_of(booker):
        if bookings[0].state == BookingState.CONFIRMED:
            subject = _("Recurring booking confirmed: %(space)s") % {"space": series.space.name}
            intro = _("Your recurring booking is confirmed. The calendar file is attached.")
            attachment = ical.bookings_ics(bookings)
        else:
            subject = _("Recurring booking received: %(space)s") % {"space": series.space.name}
            intro = _(
                "We have received your recurring booking. Staff will handle each date and "
                "you will get an e-mail about each decision."
            )
            attachment = None
        dates = _("Dates:") + "\n" + _series_lines(bookings)
        _send(
            booker,
            subject,
            f"{intro}\n\n{_details(bookings[0])}\n\n{dates}{_footer()}",
            attachment,
        )


def series_cancelled(series, bookings, *, by_staff):
    booker = series.booker
    with _in_language_of(booker):
        subject = _("Recurring booking cancelled: %(space)s") % {"space": series.space.name}
        if by_staff:
            intro = _("Staff have cancelled these dates of your recurring booking.")
            intro += "\n" + _("Reason: %(reason)s") % {"reason": bookings[0].state_reason}
        else:
            intro = _("These dates of your recurring booking have been cancelled.")
        dates = _series_lines(bookings)
        _send(booker, subject, f"{intro}\n\n{dates}{_footer()}", ical.bookings_ics(bookings))


def series_handled(series, bookings):
    """Staff confirmed or denied the waiting dates of a series."""
    booker = series.booker
    with _in_language_of(booker):
        dates = _("Dates:") + "\n" + _series_lines(bookings)
        if bookings[0].state == BookingState.CONFIRMED:
            subject = _("Recurring booking confirmed: %(space)s") % {"space": series.space.name}
            intro = _("Staff have confirmed your recurring booking. The calendar file is attached.")
            body = f"{intro}\n\n{_details(bookings[0])}\n\n{dates}\n{_terms(bookings[0])}"
        else:
            subject = _("Recurring booking denied: %(space)s") % {"space": series.space.name}
            intro = _("Unfortunately your recurring booking was denied.")
            reason = _("Reason: %(reason)s") % {"reason": bookings[0].state_reason}
            body = f"{intro}\n{reason}\n\n{_details(bookings[0])}\n\n{dates}"
        _send(booker, subject, body + _footer(), ical.bookings_ics(bookings))

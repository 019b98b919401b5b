"""Sending feedback: from the site's form or an application over the Open311 API."""

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from osallistu.areas.models import Area, PostalCode
from osallistu.core import audit, geo

from .. import photos as feedback_photos
from .. import selectors
from ..models import (
    ADDRESS_MAX_LENGTH,
    ANSWER_PROMISE_DAYS,
    DESCRIPTION_MAX_LENGTH,
    DESCRIPTION_MIN_LENGTH,
    MAX_PHOTOS,
    TITLE_MAX_LENGTH,
    EventKind,
    Feedback,
    FeedbackEvent,
    ServiceAttribute,
)
from . import text
from .errors import FeedbackError, RateLimited

# Helsinki with its sea area and Östersundom, generously: (south, west, north, east).
CITY_BOUNDS = (Decimal("59.90"), Decimal("24.50"), Decimal("60.40"), Decimal("25.40"))
POSTAL_CODE_IN_ADDRESS = re.compile(r"(?<!\d)(00\d{3})(?!\d)")
# The answer to a number question: digits with a decimal comma or point, maybe a sign.
NUMBER = re.compile(r"[-+]?[0-9]{1,15}(?:[.,][0-9]{1,10})?")

# How much feedback one sender may send in an hour: from one network without signing in,
# from one signed-in person, from one application's key. Enough for anyone reporting
# what they see; it stops a script from flooding the handlers.
ANONYMOUS_PER_HOUR = 10
PERSON_PER_HOUR = 30
APPLICATION_PER_HOUR = 1200
WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class Place:
    """Where the matter is: an address or a description of the place, and/or a point
    (WGS84)."""

    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class Contact:
    """How the city can reach the sender; every part optional."""

    email: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""


def check_text(*, description, title=""):
    description = text.lines(description, field="description")
    if len(description) < DESCRIPTION_MIN_LENGTH:
        raise FeedbackError(
            _("Write at least %(count)s characters about the matter.")
            % {"count": DESCRIPTION_MIN_LENGTH},
            code="description_short",
            field="description",
        )
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise FeedbackError(
            _("Feedback can be at most %(count)s characters long; this is %(length)s.")
            % {"count": DESCRIPTION_MAX_LENGTH, "length": len(description)},
            code="description_long",
            field="description",
        )
    title = text.line(title, field="title")
    if len(title) > TITLE_MAX_LENGTH:
        raise FeedbackError(
            _("A title can be at most %(count)s characters long.") % {"count": TITLE_MAX_LENGTH},
            code="title_long",
            field="title",
        )
    return description, title


def check_contact(contact):
    """The contact details cleaned: an e-mail address that is one, names and a phone
    number of sensible length."""
    cleaned = Contact(
        email=text.line(contact.email, field="email"),
        first_name=text.line(contact.first_name, field="first_name"),
        last_name=text.line(contact.last_name, field="last_name"),
        phone=text.line(contact.phone, field="phone"),
    )
    if cleaned.email:
        try:
            validate_email(cleaned.email)
        except ValidationError:
            raise FeedbackError(
                _("Enter a valid e-mail address."), code="email", field="email"
            ) from None
    for value, limit, field in (
        (cleaned.email, 254, "email"),
        (cleaned.first_name, 100, "first_name"),
        (cleaned.last_name, 100, "last_name"),
        (cleaned.phone, 30, "phone"),
    ):
        if len(value) > limit:
            raise FeedbackError(
                _("At most %(count)s characters.") % {"count": limit},
                code="contact_long",
                field=field,
            )
    return cleaned


def check_place(place):
    """The place cleaned, or FeedbackError: a point in the city and/or an address."""
    address = text.line(place.address, field="address")
    if len(address) > ADDRESS_MAX_LENGTH:
        raise FeedbackError(
            _("An address can be at most %(count)s characters long.")
            % {"count": ADDRESS_MAX_LENGTH},
            code="address_long",
            field="address",
        )
    if (place.latitude is None) != (place.longitude is None):
        raise FeedbackError(
            _("Give both the latitude and the longitude, or neither."),
            code="point_half",
            field="longitude",
        )
    if place.latitude is not None:
        south, west, north, east = CITY_BOUNDS
        if not (south <= place.latitude <= north and west <= place.longitude <= east):
            raise FeedbackError(
                _("The point is not in Helsinki. Check the coordinates or write an address."),
                code="point_outside",
                field="latitude",
            )
    elif not address:
        raise FeedbackError(
            _("Mark the place on the map or write its address."),
            code="no_place",
            field="address",
        )
    return Place(address=address, latitude=place.latitude, longitude=place.longitude)


def _district_and_postal_code(place):
    """The district of the point (by the approximate outlines), else of a Helsinki postal
    code written in the address; and that postal code."""
    postal_code = None
    match = POSTAL_CODE_IN_ADDRESS.search(place.address)
    if match:
        postal_code = PostalCode.objects.select_related("district").filter(pk=match[1]).first()
    district = None
    if place.latitude is not None:
        slug = geo.district_of(float(place.longitude), float(place.latitude))
        if slug is not None:
            district = Area.objects.filter(slug=slug).first()
    if district is None and postal_code is not None:
        district = postal_code.district
    return district, postal_code.code if postal_code else ""


def check_attribute_values(service, raw):
    """The answers to a category's further questions, cleaned: ``{code: value}`` with a
    list for several choices. ``raw`` maps codes to a string or a list of strings."""
    attributes = {attribute.code: attribute for attribute in service.attributes.all()}
    unknown = sorted(set(raw) - set(attributes))
    if unknown:
        raise FeedbackError(
            _("This category has no question “%(code)s”.") % {"code": unknown[0]},
            code="attribute_unknown",
            field=f"attribute[{unknown[0]}]",
        )
    cleaned = {}
    for code, attribute in attributes.items():
        if not attribute.variable:
            continue
        value = raw.get(code)
        field = f"attribute[{code}]"
        check = text.lines if attribute.datatype == ServiceAttribute.Datatype.TEXT else text.line
        given = value if isinstance(value, list) else [value or ""]
        values = [answer for answer in (check(v, field=field) for v in given) if answer]
        if not values:
            if attribute.required:
                raise FeedbackError(
                    _("Please answer: %(question)s") % {"question": attribute.description},
                    code="attribute_required",
                    field=field,
                )
            continue
        cleaned[code] = _clean_answer(attribute, values, field)
    return cleaned


def _clean_answer(attribute, values, field):
    kind = attribute.datatype
    if kind != ServiceAttribute.Datatype.MULTIVALUELIST and len(values) > 1:
        raise FeedbackError(
            _("Give one answer to: %(question)s") % {"question": attribute.description},
            code="attribute_many",
            field=field,
        )
    if kind in ServiceAttribute.LISTS:
        keys = set(attribute.values.values_list("key", flat=True))
        wrong = [value for value in values if value not in keys]
        if wrong:
            raise FeedbackError(
                _("“%(value)s” is not one of the choices of: %(question)s")
                % {"value": wrong[0], "question": attribute.description},
                code="attribute_choice",
                field=field,
            )
        return values if kind == ServiceAttribute.Datatype.MULTIVALUELIST else values[0]
    value = values[0]
    if kind == ServiceAttribute.Datatype.NUMBER:
        # Kept as written (a comma or a point), once it is a plain number.
        if not NUMBER.fullmatch(value):
            raise FeedbackError(
                _("Answer with a number: %(question)s") % {"question": attribute.description},
                code="attribute_number",
                field=field,
            )
        return value
    if kind == ServiceAttribute.Datatype.DATETIME:
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise FeedbackError(
                _("Answer with a date and time such as 2026-05-14T09:30: %(question)s")
                % {"question": attribute.description},
                code="attribute_datetime",
                field=field,
            )
        return moment.isoformat()
    limit = 300 if kind == ServiceAttribute.Datatype.STRING else 2000
    if len(value) > limit:
        raise FeedbackError(
            _("The answer is too long (at most %(count)s characters, one line): %(question)s")
            % {"count": limit, "question": attribute.description}
            if kind == ServiceAttribute.Datatype.STRING
            else _("The answer is too long (at most %(count)s characters): %(question)s")
            % {"count": limit, "question": attribute.description},
            code="attribute_long",
            field=field,
        )
    return value


def _within_rate(key, limit):
    """A fixed window per sender in the shared cache, keyed by a digest only. False
    past ``limit``."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"feedback:limit:{digest}"
    cache.add(cache_key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= limit


def check_rate(*, author=None, api_key=None, client_ip=""):
    if api_key is not None:
        key, limit = f"key:{api_key.pk}", APPLICATION_PER_HOUR
    elif author is not None:
        key, limit = f"person:{author.pk}", PERSON_PER_HOUR
    else:
        key, limit = f"network:{client_ip}", ANONYMOUS_PER_HOUR
    if not _within_rate(key, limit):
        raise RateLimited(
            _(
                "Very much feedback has come from you in the last hour, so we cannot take "
                "more just now. Please try again later."
            ),
            code="rate_limited",
        )


def submit_feedback(
    *,
    service,
    description,
    place,
    title="",
    attribute_values=None,
    author=None,
    contact=None,
    language="",
    api_key=None,
    media_url="",
    photos=(),
    client_ip="",
    now=None,
):
    """New feedback, waiting for moderation.

    ``photos`` are cleaned pictures (``photos.Photo``). ``author`` is the signed-in
    sender, if any; ``contact`` how to reach them (optional: feedback may be
    anonymous). Checks everything before it writes anything; the rate limit counts
    every attempt that passed the checks."""
    contact = check_contact(contact or Contact())
    if not service.is_active:
        raise FeedbackError(
            _("This category no longer takes feedback. Please choose another one."),
            code="service_inactive",
            field="service_code",
        )
    description, title = check_text(description=description, title=title)
    place = check_place(place)
    if len(photos) > MAX_PHOTOS:
        raise FeedbackError(
            _("At most %(count)s photos can be added.") % {"count": MAX_PHOTOS},
            code="too_many_photos",
            field="media",
        )
    answers = check_attribute_values(service, attribute_values or {})
    district, postal_code = _district_and_postal_code(place)
    check_rate(author=author, api_key=api_key, client_ip=client_ip)
    now = now or timezone.now()
    with feedback_photos.removed_on_error() as stored, transaction.atomic():
        feedback = Feedback.objects.create(
            service=service,
            title=title,
            description=description,
            address=place.address,
            latitude=place.latitude,
            longitude=place.longitude,
            district=district,
            postal_code=postal_code,
            attribute_values=answers,
            language=language,
            author=author,
            contact_email=contact.email,
            contact_first_name=contact.first_name,
            contact_last_name=contact.last_name,
            contact_phone=contact.phone,
            api_key=api_key,
            media_url=media_url,
            requested_at=now,
            updated_at=now,
            expected_at=selectors.expected_at(service.pk, now),
            due_at=now + timedelta(days=ANSWER_PROMISE_DAYS),
        )
        for position, photo in enumerate(photos):
            photo.save_for(feedback, position, stored)
        FeedbackEvent.objects.create(
            feedback=feedback, kind=EventKind.SUBMITTED, actor=author, created_at=now
        )
        audit.record(
            action="feedback.submitted",
            actor=author,
            target=feedback,
            data={
                "service": service.code,
                "photos": len(photos),
                "api_key": api_key.pk if api_key else None,
            },
        )
    return feedback

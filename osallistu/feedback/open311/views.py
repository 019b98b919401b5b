"""The Open311 GeoReport v2 API under ``/open311/v2/``, with the CitySDK and 6Aika
extensions Helsinki's feedback API has.

Plain Django views rather than Django REST framework: the specification fixes the XML
element names, the shape of its error responses and the form-encoded POST with
``attribute[code][]`` keys, which plain views write directly. Reading needs no key;
sending feedback needs an API key issued by a city administrator. Every refusal is the
specification's error format: 403 for a missing or wrong key, 404 for what does not
exist, 405 (with Allow) for a method an address does not take, 400 for the rest (a rate
limit too, with the code 429 in the body). Messages are in the language of ``locale``
(English by default, as in the CitySDK extension).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .. import mapview, photos, selectors, services
from ..models import (
    CLOSED_STATUSES,
    MAX_PHOTOS,
    OPEN_STATUSES,
    ApiKey,
    Feedback,
    ServiceAttribute,
    ServiceAttributeValue,
    ServiceCategory,
)
from ..selectors import MAX_RADIUS_METRES, Circle
from . import representation
from .formats import errors, render

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
# A search by requested time spans at most 90 days, and without any dates it is the
# latest 90 days (the specification's default).
MAX_SPAN = datetime.timedelta(days=90)
# Dates far from the years of any feedback: 90 days from the year 9999 is past what a
# date can be, and the database's time zones stop near the year 1.
FIRST_YEAR, LAST_YEAR = 1900, 2999
# The API's name of each input a service's error can be about.
API_FIELDS = {"address": "address_string", "latitude": "lat", "longitude": "long"}
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
# A whole number as the API takes one: ASCII digits ("²" and "٣" are digits to Python),
# short enough for the database's ids.
ASCII_NUMBER = re.compile(r"[0-9]{1,18}")


class ApiError(Exception):
    """A refusal in the specification's format: HTTP ``status``, ``code`` in the body."""

    def __init__(self, status, description, code=None):
        super().__init__(description)
        self.status = status
        self.code = code or status
        self.description = description


def _language(request):
    """The language of ``locale`` (``fi``, ``sv_FI``, ``en-GB``…), English by default."""
    wanted = request.GET.get("locale") or (
        request.POST.get("locale", "") if request.method == "POST" else ""
    )
    code = re.split(r"[-_]", wanted.strip().lower())[0]
    return code if code in dict(settings.LANGUAGES) else "en"


def endpoint(methods=("GET",)):
    """An API view: the format from the address, the language from ``locale``, and
    ApiError (or a wrong method) answered in the specification's error format."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request, *args, fmt="json", **kwargs):
            try:
                language = _language(request)
            except (MultiPartParserError, RequestDataTooBig, TooManyFieldsSent):
                return errors(
                    [(400, "The body of the request could not be read.")], fmt=fmt, status=400
                )
            with translation.override(language):
                if request.method not in methods:
                    response = errors(
                        [
                            (
                                405,
                                _("This address does not take %(method)s requests.")
                                % {"method": request.method},
                            )
                        ],
                        fmt=fmt,
                        status=405,
                    )
                    response["Allow"] = ", ".join(methods)
                    return response
                try:
                    return view(request, *args, fmt=fmt, **kwargs)
                except ApiError as error:
                    return errors([(error.code, error.description)], fmt=fmt, status=error.status)

        return wrapped

    return decorate


def not_found(request, path=""):
    fmt = "xml" if path.endswith(".xml") else "json"
    with translation.override(_language(request)):
        return errors(
            [(404, _("There is nothing at this address of the Open311 API."))], fmt=fmt, status=404
        )


@endpoint()
def discovery(request, fmt):
    """The service discovery file the GeoReport v2 specification asks for."""
    base = request.build_absolute_uri("/open311/v2/")
    return render(
        {
            "changeset": "2026-01-01T00:00:00+02:00",
            "contact": settings.DEFAULT_FROM_EMAIL,
            "key_service": _("API keys are issued by the city's administrators."),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base.rstrip("/"),
                    "changeset": "2026-01-01T00:00:00+02:00",
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
        fmt=fmt,
        root="discovery",
    )


def _categories():
    return ServiceCategory.objects.annotate(
        has_attributes=Exists(ServiceAttribute.objects.filter(service=OuterRef("pk")))
    )


@endpoint()
def service_list(request, fmt):
    items = [representation.service(category) for category in _categories().active()]
    return render(items, fmt=fmt, root="services", item="service")


@endpoint()
def service_definition(request, fmt, code):
    category = (
        _categories()
        .prefetch_related(
            Prefetch(
                "attributes",
                queryset=ServiceAttribute.objects.prefetch_related(
                    Prefetch("values", queryset=ServiceAttributeValue.objects.all())
                ),
            )
        )
        .filter(code=code)
        .first()
    )
    if category is None:
        raise ApiError(404, _("There is no service with the code %(code)s.") % {"code": code})
    return render(representation.service_definition(category), fmt=fmt, root="service_definition")


def _moment(request, name):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
        if moment is None:
            day = parse_date(raw)
            if day is not None:
                moment = datetime.datetime.combine(day, datetime.time())
    except ValueError:
        moment = None
    if moment is None:
        raise ApiError(
            400,
            _("%(name)s is not a date and time in the W3C format, such as 2026-05-14T09:30:00Z.")
            % {"name": name},
        )
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ApiError(
            400,
            _("%(name)s must be between the years %(first)s and %(last)s.")
            % {"name": name, "first": FIRST_YEAR, "last": LAST_YEAR},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _positive_int(request, name, default, maximum):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not ASCII_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= maximum:
        raise ApiError(
            400,
            _("%(name)s must be a whole number from 1 to %(maximum)s.")
            % {"name": name, "maximum": maximum},
        )
    return int(raw)


def _number(request, name):
    raw = request.GET.get(name, "").strip()
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(400, _("%(name)s must be a number.") % {"name": name}) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ApiError(400, _("%(name)s must be a number.") % {"name": name})
    return value


def _list(request, name):
    return [part.strip() for part in request.GET.get(name, "").split(",") if part.strip()]


def _search(request):
    """The public feedback that the query parameters of GET requests.json ask for."""
    ids = _list(request, "service_request_id")
    if ids:
        if not all(ASCII_NUMBER.fullmatch(part) for part in ids):
            raise ApiError(400, _("service_request_id must be numbers separated by commas."))
        # It overrides every other argument, as the specification says.
        return selectors.public_feedback(ids=[int(part) for part in ids])
    filters = {}
    codes = _list(request, "service_code")
    if codes:
        filters["services"] = list(
            ServiceCategory.objects.filter(code__in=codes).values_list("pk", flat=True)
        )
    statuses = _list(request, "status")
    if statuses:
        unknown = sorted(set(statuses) - {"open", "closed"})
        if unknown:
            raise ApiError(
                400, _("status is open or closed, not %(value)s.") % {"value": unknown[0]}
            )
        filters["statuses"] = [
            *(OPEN_STATUSES if "open" in statuses else ()),
            *(CLOSED_STATUSES if "closed" in statuses else ()),
        ]
    start, end = _moment(request, "start_date"), _moment(request, "end_date")
    updated_after, updated_before = (
        _moment(request, "updated_after"),
        _moment(request, "updated_before"),
    )
    if start and end:
        if end < start:
            raise ApiError(400, _("end_date is before start_date."))
        if end - start > MAX_SPAN:
            raise ApiError(400, _("start_date and end_date may be at most 90 days apart."))
    elif start:
        end = start + MAX_SPAN
    elif end:
        start = end - MAX_SPAN
    elif not (updated_after or updated_before):
        start = timezone.now() - MAX_SPAN
    filters.update(
        requested_after=start,
        requested_before=end,
        updated_after=updated_after,
        updated_before=updated_before,
    )
    if request.GET.get("bbox", "").strip():
        box = mapview.parse_bbox(request.GET["bbox"])
        if box is None:
            raise ApiError(
                400,
                _(
                    "bbox is four numbers: west,south,east,north in degrees (WGS84), such as "
                    "24.93,60.16,24.96,60.18."
                ),
            )
        filters["bbox"] = box
    near = [name for name in ("lat", "long", "radius") if request.GET.get(name, "").strip()]
    if near:
        if len(near) < 3:
            raise ApiError(400, _("Give lat, long and radius (in metres) together."))
        lat, lon, radius = (_number(request, name) for name in ("lat", "long", "radius"))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ApiError(400, _("lat is from -90 to 90 and long from -180 to 180."))
        if not 0 < radius <= MAX_RADIUS_METRES:
            raise ApiError(
                400,
                _("radius is in metres, more than 0 and at most %(maximum)s.")
                % {"maximum": MAX_RADIUS_METRES},
            )
        filters["circle"] = Circle(latitude=lat, longitude=lon, radius=radius)
    return selectors.public_feedback(**filters)


def _extensions(request):
    return request.GET.get("extensions", "").strip().lower() in ("true", "1", "yes")


@endpoint(methods=("GET", "POST"))
def requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    extensions = _extensions(request)
    page_size = _positive_int(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    number = _positive_int(request, "page", 1, 10**9)
    paginator = Paginator(
        selectors.with_public_details(_search(request), history=extensions), page_size
    )
    try:
        page = paginator.page(number)
        items = list(page.object_list)
    except EmptyPage:
        items = []
    return render(
        [
            representation.request(item, absolute=request.build_absolute_uri, extensions=extensions)
            for item in items
        ],
        fmt=fmt,
        root="service_requests",
        item="request",
        headers={
            "X-Result-Count": str(paginator.count),
            "X-Page-Count": str(paginator.num_pages),
            "X-Page-Size": str(page_size),
        },
    )


@endpoint()
def request_detail(request, fmt, pk):
    extensions = _extensions(request)
    feedback = selectors.with_public_details(
        selectors.public_feedback(ids=[int(pk)]), history=extensions
    ).first()
    if feedback is None:
        raise ApiError(404, _("There is no public service request %(id)s.") % {"id": pk})
    return render(
        [
            representation.request(
                feedback, absolute=request.build_absolute_uri, extensions=extensions
            )
        ],
        fmt=fmt,
        root="service_requests",
        item="request",
    )


@endpoint()
def token(request, fmt, token):
    """The service_request_id of a token once the request is public; null while it
    waits for moderation; 404 for a token that is unknown or whose request was not
    published."""
    feedback = Feedback.objects.filter(token=token).values("pk", "moderation").first()
    if feedback is None or feedback["moderation"] == "hidden":
        raise ApiError(404, _("There is no request with this token, or it was not published."))
    public = feedback["moderation"] == "public"
    return render(
        [{"service_request_id": str(feedback["pk"]) if public else None, "token": token}],
        fmt=fmt,
        root="service_requests",
        item="request",
    )


@endpoint()
def statistics(request, fmt):
    return render(
        [representation.statistics(row) for row in selectors.service_statistics()],
        fmt=fmt,
        root="statistics",
        item="service",
    )


# POST requests.json


def _api_key(request):
    key = request.POST.get("api_key", "").strip()
    if not key:
        raise ApiError(403, _("An api_key is needed to send requests."))
    api_key = ApiKey.objects.filter(digest=ApiKey.digest_of(key), revoked_at__isnull=True).first()
    if api_key is None:
        raise ApiError(403, _("The api_key is not valid."))
    return api_key


def _coordinate(request, name):
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > 180:
        raise ApiError(400, _("%(name)s must be a number of degrees (WGS84).") % {"name": name})
    return value.quantize(Decimal("0.000001"))


def _attribute_values(request):
    values = {}
    for key in request.POST:
        match = ATTRIBUTE_KEY.match(key)
        if match:
            code, many = match[1], match[2]
            values[code] = request.POST.getlist(key) if many else request.POST[key]
    return values


def _create(request, fmt):
    content_type = request.content_type or ""
    if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise ApiError(
            400,
            _("Send the request as application/x-www-form-urlencoded or multipart/form-data."),
        )
    api_key = _api_key(request)
    code = request.POST.get("service_code", "").strip()
    if not code:
        raise ApiError(400, _("service_code is needed."))
    service = ServiceCategory.objects.filter(code=code).first()
    if service is None:
        raise ApiError(404, _("There is no service with the code %(code)s.") % {"code": code})
    if request.POST.get("address_id", "").strip() and not (
        request.POST.get("address_string", "").strip() or request.POST.get("lat", "").strip()
    ):
        raise ApiError(
            400, _("address_id is not known here: give lat and long, or address_string.")
        )
    media_url = request.POST.get("media_url", "").strip()
    if media_url and (not re.match(r"^https?://[^\s]+$", media_url) or len(media_url) > 500):
        raise ApiError(
            400, _("media_url must be an http or https address of at most 500 characters.")
        )
    uploads = request.FILES.getlist("media") + request.FILES.getlist("media[]")
    if len(uploads) > MAX_PHOTOS:
        raise ApiError(400, _("At most %(count)s photos can be added.") % {"count": MAX_PHOTOS})
    try:
        pictures = [photos.from_bytes(upload.read()) for upload in uploads]
    except photos.ImageRejected as error:
        raise ApiError(400, f"media: {error.message}") from None
    place = services.Place(
        address=request.POST.get("address_string", ""),
        latitude=_coordinate(request, "lat"),
        longitude=_coordinate(request, "long"),
    )
    try:
        feedback = services.submit_feedback(
            service=service,
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
            place=place,
            attribute_values=_attribute_values(request),
            contact=services.Contact(
                email=request.POST.get("email", ""),
                first_name=request.POST.get("first_name", ""),
                last_name=request.POST.get("last_name", ""),
                phone=request.POST.get("phone", ""),
            ),
            language=_language(request)
            if request.POST.get("locale") or request.GET.get("locale")
            else "",
            api_key=api_key,
            media_url=media_url,
            photos=pictures,
        )
    except services.RateLimited as error:
        raise ApiError(400, error.message, code=429) from None
    except services.FeedbackError as error:
        field = API_FIELDS.get(error.field, error.field)
        raise ApiError(400, f"{field}: {error.message}" if field else error.message) from None
    return render(
        [
            {
                "token": feedback.token,
                "service_notice": _(
                    "Thank you. The request is published once it is moderated; the city "
                    "answers within a week."
                ),
                "account_id": None,
            }
        ],
        fmt=fmt,
        root="service_requests",
        item="request",
    )

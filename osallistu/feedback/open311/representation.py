"""Public feedback, categories and statistics as the GeoReport v2 API shows them.

Only the public fields of public feedback appear: the title, text and address staff
checked, the photos they let be shown, and the history entries meant for everyone.
"""

from ..models import EventKind, Status
from .formats import w3c

# The detailed status of ``extensions=true``, by our status (after Helsinki's and
# FixMyStreet's names for the closed states).
DETAILED_STATUS = {
    Status.RECEIVED: "RECEIVED",
    Status.ALLOCATED: "ALLOCATED",
    Status.IN_HANDLING: "IN_PROCESS",
    Status.DONE: "PROCESSED",
    Status.DUPLICATE: "DUPLICATE",
    Status.NOT_CITY: "NOT_RESPONSIBLE",
    Status.CANNOT_FIX: "UNABLE_TO_FIX",
}
# The 6Aika request history names four states: received, allocated, handling and done.
HISTORY_STATUS = {
    Status.RECEIVED: "received",
    Status.ALLOCATED: "allocated",
    Status.IN_HANDLING: "handling",
    Status.DONE: "done",
    Status.DUPLICATE: "done",
    Status.NOT_CITY: "done",
    Status.CANNOT_FIX: "done",
}


def service(category):
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": category.has_attributes,
        # Feedback is public only once moderated, so its id comes through a token.
        "type": "batch",
        "keywords": category.keywords,
        "group": category.group,
    }


def service_definition(category):
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": attribute.variable,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": attribute.datatype_description or None,
                "order": attribute.order,
                "description": attribute.description,
                "values": [
                    {"key": value.key, "name": value.name} for value in attribute.values.all()
                ],
            }
            for attribute in category.attributes.all()
        ],
    }


def _history(feedback):
    entries = []
    for event in feedback.public_events:
        if event.kind == EventKind.DUPLICATE_ADDED:
            continue
        entries.append(
            {
                "time": w3c(event.created_at),
                "status": HISTORY_STATUS[event.status],
                "note": event.public_note or None,
            }
        )
    return entries


def request(feedback, *, absolute, extensions):
    """One public feedback as a service request. ``absolute`` makes a path an address."""
    photos = [absolute(photo.image.url) for photo in feedback.public_photos]
    data = {
        "service_request_id": str(feedback.pk),
        "status": "open" if feedback.is_open else "closed",
        "status_notes": feedback.answer or None,
        "service_name": feedback.service.name,
        "service_code": feedback.service.code,
        "description": feedback.public_description,
        "agency_responsible": feedback.service.division.name,
        "service_notice": None,
        "requested_datetime": w3c(feedback.requested_at),
        "updated_datetime": w3c(feedback.updated_at),
        "expected_datetime": w3c(feedback.expected_at),
        "address": feedback.public_address or None,
        "address_id": None,
        "zipcode": feedback.postal_code or None,
        "lat": feedback.latitude,
        "long": feedback.longitude,
        "media_url": photos[0] if photos else None,
    }
    if extensions:
        data["extended_attributes"] = {
            "title": feedback.public_title or None,
            "detailed_status": DETAILED_STATUS[feedback.status],
            "media_urls": photos,
            "request_history": _history(feedback),
        }
    return data


def statistics(row):
    return {
        "service_code": row.service.code,
        "service_name": row.service.name,
        "agency_responsible": row.service.division.name,
        "total": row.total,
        "closed": row.closed,
        "handled": row.handled,
        "avg_sec": row.average_seconds,
        "median_sec": row.median_seconds,
    }

"""The Helsinki profile's GDPR API (helsinki-profile-gdpr-api), for installations whose
residents log in through the Helsinki profile: GET returns the same export as My data,
DELETE deletes the account as Delete my account does, with its dry run.

The package's view authenticates the profile's token (django-helusers), finds the
``HelsinkiProfile`` by the id in the address, checks that the token is that person's,
and calls ``delete_data`` inside a transaction that it rolls back on a dry run.
"""

from django.utils import translation
from helsinki_gdpr.types import Error, ErrorResponse

from osallistu.core import privacy

from .models import HelsinkiProfile


def resolve_user(request, payload):
    """The account whose Helsinki profile the token is of, or None: the API creates no
    accounts."""
    profile = HelsinkiProfile.objects.filter(subject=payload.get("sub")).select_related("user")
    found = profile.first()
    return found.user if found else None


def _value(value):
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def serialize(profile):
    """``privacy.export_data`` in the profile's tree of ``{key, value}`` and
    ``{key, children}`` nodes."""
    data = privacy.export_data(profile.user)
    return {
        "key": "OSALLISTU",
        "children": [
            {
                "key": section["model"].upper().replace(".", "_"),
                "children": [
                    {
                        "key": "ROW",
                        "children": [
                            {"key": name.upper(), "value": _value(value)}
                            for name, value in row.items()
                        ],
                    }
                    for row in section["rows"]
                ],
            }
            for section in data["data"]
        ],
    }


def _in_each_language(reasons_in):
    messages = {}
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            messages[language] = [str(reason) for reason in reasons_in()]
    return messages


def delete_data(profile, dry_run):
    """The package's deleter: delete the account, or say in fi/sv/en what stands in the
    way. The package rolls a dry run back itself."""
    user = profile.user
    if privacy.deletion_blockers(user):
        by_language = _in_each_language(lambda: privacy.deletion_blockers(user))
        return ErrorResponse(
            [
                Error(
                    "account_not_deletable",
                    {language: reasons[index] for language, reasons in by_language.items()},
                )
                for index in range(len(by_language["en"]))
            ]
        )
    privacy.delete_account(user=user)
    return None

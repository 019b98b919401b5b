"""Keys of the applications that send feedback over the Open311 API, issued and revoked
by city administrators."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osallistu.core import audit

from .. import permissions
from ..models import ApiKey
from . import text
from .errors import FeedbackError

NAME_MAX_LENGTH = ApiKey._meta.get_field("name").max_length


def issue_api_key(*, name, staff):
    """A new key for the application ``name``: ``(ApiKey, key)``. The key itself is
    returned only here; the database keeps its digest."""
    name = text.line(name, field="name")
    if not name:
        raise FeedbackError(_("Name the application."), code="name_missing", field="name")
    if len(name) > NAME_MAX_LENGTH:
        raise FeedbackError(
            _("At most %(count)s characters.") % {"count": NAME_MAX_LENGTH},
            code="name_long",
            field="name",
        )
    if not permissions.may_issue_api_keys(staff):
        raise PermissionDenied("only city administrators issue API keys")
    key = ApiKey.new_key()
    with transaction.atomic():
        api_key = ApiKey.objects.create(
            name=name, prefix=key[:8], digest=ApiKey.digest_of(key), created_by=staff
        )
        audit.record(action="feedback.api_key_issued", actor=staff, target=api_key)
    return api_key, key


def revoke_api_key(*, api_key, staff, now=None):
    if not permissions.may_issue_api_keys(staff):
        raise PermissionDenied("only city administrators revoke API keys")
    with transaction.atomic():
        api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
        if api_key.revoked_at is not None:
            raise FeedbackError(_("The key is revoked already."), code="revoked", field=None)
        api_key.revoked_at = now or timezone.now()
        api_key.revoked_by = staff
        api_key.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(action="feedback.api_key_revoked", actor=staff, target=api_key)
    return api_key

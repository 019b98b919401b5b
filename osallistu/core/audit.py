"""The audit log every domain writes to.

Call ``record`` inside the same transaction as the change it describes, so that
the change and its log entry are committed or rolled back together.
"""

from .models import AuditEntry


def record(*, action, actor=None, target=None, on_behalf_of=None, data=None):
    """Add one entry. ``action`` is a dotted name such as ``identity.verified``."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    entry = AuditEntry(
        action=action,
        actor=actor,
        on_behalf_of=on_behalf_of,
        data=data or {},
    )
    if target is not None:
        entry.target_type = target._meta.label_lower
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:200]
    entry.save()
    return entry


def entries_for(target):
    """The history of one object, newest first."""
    return AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor", "on_behalf_of")

"""A person's rights over their data, read from the register (``personal_data``): the
export of everything kept about them, the deletion of their account, and retention."""

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .errors import DomainError
from .models import AuditEntry
from .personal_data import register, retention_rules


def _value(row, model_field):
    value = getattr(row, model_field.name)
    if model_field.many_to_many:
        return [str(item) for item in value.all()]
    if model_field.is_relation:
        return None if value is None else str(value)
    if isinstance(model_field, models.FileField):
        return value.name or None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def export_data(user):
    """Everything the register says is ``user``'s, as JSON-ready data: for each model
    with rows of theirs, its exported fields' values and the fields' names in words."""
    sections = []
    for entry in sorted(register.models.values(), key=lambda entry: entry.label):
        if entry.of_person is None or not entry.exported_fields():
            continue
        fields = [entry.model._meta.get_field(name) for name in entry.exported_fields()]
        # Related rows in the same query (or one more for many-to-many), not one per row.
        related = [f.name for f in fields if f.many_to_one or f.one_to_one]
        many = [f.name for f in fields if f.many_to_many]
        rows = [
            {model_field.name: _value(row, model_field) for model_field in fields}
            for row in entry.of_person(user)
            .select_related(*related)
            .prefetch_related(*many)
            .order_by("pk")
        ]
        if rows:
            sections.append(
                {
                    "model": entry.label,
                    "title": str(entry.model._meta.verbose_name_plural),
                    "fields": {f.name: str(f.verbose_name) for f in fields},
                    "rows": rows,
                }
            )
    return {"exported_at": timezone.now().isoformat(), "data": sections}


def files_of(user):
    """The files ``user`` uploaded: ``(model label, stored name, file)`` for each."""
    for entry in register.models.values():
        if entry.of_person is None:
            continue
        file_fields = [
            entry.model._meta.get_field(name)
            for name in entry.exported_fields()
            if isinstance(entry.model._meta.get_field(name), models.FileField)
        ]
        if not file_fields:
            continue
        for row in entry.of_person(user):
            for model_field in file_fields:
                stored = getattr(row, model_field.name)
                if stored:
                    yield entry.label, stored.name, stored


def export_zip(user):
    """The export as a ZIP file's bytes: ``data.json`` and the uploaded files under
    ``files/``. A file missing from storage is named in ``missing_files.txt``."""
    buffer = io.BytesIO()
    missing = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(export_data(user), ensure_ascii=False, indent=2))
        for _label, name, stored in files_of(user):
            try:
                with stored.open("rb") as handle:
                    archive.writestr(f"files/{name}", handle.read())
            except FileNotFoundError:
                missing.append(name)
        if missing:
            archive.writestr("missing_files.txt", "\n".join(missing) + "\n")
    return buffer.getvalue()


@transaction.atomic
def record_export(*, user, actor, in_person=False):
    """Log that ``user``'s data was exported, by themself or by staff for them."""
    audit.record(
        action="privacy.exported_in_person" if in_person else "privacy.exported",
        actor=actor,
        on_behalf_of=user if in_person else None,
        data={"account": user.pk},
    )


class AccountNotDeletable(DomainError):
    def __init__(self, blockers):
        self.blockers = blockers
        super().__init__(_("Your account cannot be deleted yet."), code="account_not_deletable")


@dataclass
class Erasure:
    """What deleting an account did, or would do on a dry run."""

    blockers: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    deleted: bool = False


def deletion_blockers(user):
    """Why ``user``'s account cannot be deleted now, in sentences they can act on."""
    reasons = []
    for erasure in register.erasures:
        if erasure.blockers is not None:
            reasons.extend(erasure.blockers(user))
    return reasons


def delete_account(*, user, actor=None, remove_content=False, dry_run=False):
    """Delete ``user``'s account and their personal data, leaving what the city must keep
    without them. Each app's erasure runs, then the account row goes; a dry run does all
    of it and rolls it back, so it reports exactly what a deletion would do. Raises
    ``AccountNotDeletable`` (with the reasons) when something stands in the way."""
    User = get_user_model()
    result = Erasure()
    try:
        with transaction.atomic():
            # FOR NO KEY UPDATE, not FOR UPDATE: the services the erasures call (a
            # cancellation) lock their own rows first and then write rows naming the
            # person, which takes FOR KEY SHARE on this row; FOR UPDATE here would
            # deadlock with the person cancelling the same thing at that moment.
            user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
            result.blockers = deletion_blockers(user)
            if result.blockers:
                if dry_run:
                    return result
                raise AccountNotDeletable(result.blockers)
            for erasure in register.erasures:
                if erasure.erase is not None:
                    result.actions.extend(erasure.erase(user, remove_content=remove_content))
            forget_in_audit_log(user)
            audit.record(
                action="privacy.account_deleted",
                actor=None if actor is None or actor.pk == user.pk else actor,
                data={"account": user.pk, "content_removed": remove_content},
            )
            user.delete()
            result.deleted = not dry_run
            if dry_run:
                transaction.set_rollback(True)
    except ProtectedError as error:
        # The person added something (a sign-up) while the erasures ran.
        raise AccountNotDeletable(
            [_("Something was added to your account while it was being deleted. Try again.")]
        ) from error
    return result


def forget_in_audit_log(user):
    """The log keeps what happened and who of the staff did it; what named the person
    goes. Entries about their account lose their description and details, any entry
    whose description carries their name or address loses it, and failed logins under
    their address lose the address."""
    label = user._meta.label_lower
    # Entries about the account itself (logins, changes of details) keep only the fact.
    AuditEntry.objects.filter(target_type=label, target_id=str(user.pk)).update(
        target_repr="", data={}
    )
    for words in {user.full_name.strip(), (user.email or "").strip()}:
        if len(words) >= 3:
            AuditEntry.objects.filter(target_repr__contains=words).update(target_repr="")
    if user.email:
        # Failed logins name the address typed, and the client's address.
        AuditEntry.objects.filter(data__username=user.email).update(data={})


def apply_retention(*, now=None):
    """Erase or make anonymous what has outlived its period, rule by rule; returns
    ``{rule: how many}``. Each rule with something done is in the audit log."""
    now = now or timezone.now()
    done = {}
    for rule in retention_rules():
        with transaction.atomic():
            count = rule.apply(before=now - rule.period)
            if count:
                audit.record(
                    action="privacy.retention",
                    data={"rule": rule.key, "records": count, "days": rule.period.days},
                )
        done[rule.key] = count
    return done

"""The register of personal data: what each app keeps about people, why, on what legal
basis and for how long, and how a person's data is exported and erased.

Each app declares its own in a ``personal_data.py`` module, which ``CoreConfig.ready``
imports (core imports no app by name). A module registers:

- every field of each of its models (``register_model``): the personal ones under the
  purpose they serve, the rest as holding no personal data, so that a field nobody
  thought about fails ``tests/core/test_personal_data_register.py``;
- where needed, what deleting an account means for its data (``register_erasure``):
  what stands in the way (an open booking) and what to do before the account row goes
  (a published proposal keeps its text without its author);
- retention rules (``register_retention``): what is erased or made anonymous once a
  period, a setting with a default, has passed.

The privacy notice, the export of a person's data and the deletion of an account are
all read from here, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Basis(models.TextChoices):
    """The legal bases of Article 6(1) of the GDPR that a city's service uses."""

    CONSENT = "consent", _("Consent (GDPR Art. 6(1)(a))")
    CONTRACT = "contract", _("Agreement with you, such as a booking (GDPR Art. 6(1)(b))")
    LEGAL_OBLIGATION = "legal_obligation", _("The city's legal obligation (GDPR Art. 6(1)(c))")
    PUBLIC_TASK = "public_task", _("The city's task in the public interest (GDPR Art. 6(1)(e))")


@dataclass(frozen=True)
class Purpose:
    """Why some personal data is kept: the unit of the privacy notice."""

    key: str
    title: str
    description: str
    basis: Basis
    retention: str
    """How long, in words a resident reads; the periods themselves are settings."""
    order: int = 100


@dataclass(frozen=True)
class ModelEntry:
    model: type[models.Model]
    personal: dict[str, Purpose]
    """Personal field name -> its purpose."""
    other: frozenset[str]
    """Fields that hold no personal data."""
    secret: frozenset[str]
    """Personal fields left out of the export: secrets that protect the person
    (a password hash, a digest) or what nobody may read (a sealed ballot)."""
    of_person: Callable | None
    """``of_person(user)`` -> the person's rows, for the export; None: none are theirs."""

    @property
    def label(self):
        return self.model._meta.label

    def exported_fields(self):
        return [name for name in self.personal if name not in self.secret]


@dataclass(frozen=True)
class Erasure:
    """What deleting an account means for one app's data."""

    app_label: str
    blockers: Callable | None
    """``blockers(user)`` -> reasons (translated strings) why the account cannot go yet."""
    erase: Callable | None
    """``erase(user, *, remove_content)`` -> what was done, as translated sentences.
    Runs inside the deletion's transaction, before the account row is deleted."""
    order: int = 100


@dataclass(frozen=True)
class RetentionRule:
    key: str
    title: str
    setting: str
    """Name of the setting holding the period (a number of days)."""
    default_days: int
    apply: Callable
    """``apply(*, before)`` -> how many records were erased or made anonymous; ``before``
    is the moment before which data has outlived the period. Running it twice erases
    nothing more."""

    @property
    def period(self):
        return timedelta(days=getattr(settings, self.setting, self.default_days))


@dataclass
class Register:
    models: dict[type[models.Model], ModelEntry] = field(default_factory=dict)
    erasures: list[Erasure] = field(default_factory=list)
    retention: dict[str, RetentionRule] = field(default_factory=dict)


register = Register()


def register_model(model, *, personal=None, other=(), secret=(), of_person=None):
    """Classify every field of ``model``. ``personal`` maps a ``Purpose`` to the names of
    the fields kept for it; ``other`` names fields without personal data. Naming a
    translated field (``name``) covers its per-language columns (``name_fi``)."""
    by_field = {}
    for purpose, names in (personal or {}).items():
        for name in names:
            by_field[name] = purpose
    unknown = set(secret) - set(by_field)
    if unknown:
        raise ValueError(f"{model._meta.label}: secret fields must be personal: {unknown}")
    register.models[model] = ModelEntry(
        model=model,
        personal=by_field,
        other=frozenset(other),
        secret=frozenset(secret),
        of_person=of_person,
    )


def register_erasure(*, app_label, blockers=None, erase=None, order=100):
    register.erasures = [e for e in register.erasures if e.app_label != app_label]
    register.erasures.append(
        Erasure(app_label=app_label, blockers=blockers, erase=erase, order=order)
    )
    register.erasures.sort(key=lambda erasure: (erasure.order, erasure.app_label))


def register_retention(*, key, title, setting, default_days, apply):
    register.retention[key] = RetentionRule(
        key=key, title=title, setting=setting, default_days=default_days, apply=apply
    )


def declared_fields(model):
    """The names of the fields ``model`` declares (its own and inherited, automatic
    primary keys aside): what the register must classify."""
    return [
        model_field.name
        for model_field in model._meta.get_fields()
        if (model_field.concrete or model_field.many_to_many) and not model_field.auto_created
    ]


def _translated(names):
    return {f"{name}_{code}" for name in names for code, _label in settings.LANGUAGES}


def unclassified_fields(model):
    """Fields of ``model`` that the register does not classify (all of them when the
    model is not registered)."""
    entry = register.models.get(model)
    if entry is None:
        return declared_fields(model)
    known = set(entry.personal) | entry.other
    known |= _translated(known)
    return [name for name in declared_fields(model) if name not in known]


def purposes():
    """Every purpose with the fields kept for it, for the privacy notice:
    ``[(purpose, [(model, [field, ...]), ...]), ...]`` in the notice's order."""
    grouped = {}
    for entry in register.models.values():
        for name, purpose in entry.personal.items():
            models_of = grouped.setdefault(purpose, {})
            models_of.setdefault(entry.model, []).append(entry.model._meta.get_field(name))
    return [
        (purpose, list(grouped[purpose].items()))
        for purpose in sorted(grouped, key=lambda purpose: (purpose.order, purpose.key))
    ]


def retention_rules():
    return sorted(register.retention.values(), key=lambda rule: rule.key)

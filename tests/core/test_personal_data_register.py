"""The register of personal data is complete: every field of every model is classified,
by the app that owns it, as personal (with a purpose, a legal basis and a retention) or
as holding none. A new field that nobody classified fails here."""

import pytest
from django.apps import apps
from django.db import models

from osallistu.core import personal_data


def concrete_models():
    return [model for model in apps.get_models() if not model._meta.proxy]


@pytest.mark.parametrize("model", concrete_models(), ids=lambda model: model._meta.label)
def test_every_field_of_every_model_is_classified(model):
    assert personal_data.unclassified_fields(model) == []


def test_a_new_field_is_caught():
    """The check looks at the model's fields themselves, not at a list kept beside it."""

    class Pet(models.Model):
        name = models.CharField(max_length=20)
        owner_email = models.EmailField()

        class Meta:
            app_label = "core"

        def __str__(self):
            return self.name

    try:
        personal_data.register_model(Pet, other=["name"])
        assert personal_data.unclassified_fields(Pet) == ["owner_email"]
    finally:
        personal_data.register.models.pop(Pet)
        apps.all_models["core"].pop("pet")
        apps.clear_cache()


def test_register_names_only_fields_that_exist():
    for model, entry in personal_data.register.models.items():
        declared = set(personal_data.declared_fields(model))
        named = set(entry.personal) | entry.other
        assert named <= declared, f"{model._meta.label}: {named - declared}"


def test_each_purpose_says_why_on_what_basis_and_how_long():
    for purpose, fields_by_model in personal_data.purposes():
        assert str(purpose.title) and str(purpose.description) and str(purpose.retention)
        assert purpose.basis in personal_data.Basis
        assert fields_by_model


def test_models_holding_a_persons_rows_say_how_to_find_them():
    """Every model with a field pointing at an account can list a person's rows, unless
    the only such fields are staff's (who recorded, who decided)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    resident_links = {
        ("budgeting.Participation", "voter"),
        ("budgeting.Proposal", "author"),
        ("budgeting.ProposalComment", "author"),
        ("surveys.Response", "user"),
        ("surveys.PollVote", "user"),
        ("surveys.Comment", "author"),
        ("premises.Booking", "booker"),
        ("initiatives.Support", "user"),
        ("initiatives.Author", "user"),
    }
    for label, name in resident_links:
        model = apps.get_model(label)
        assert model._meta.get_field(name).related_model is User
        assert personal_data.register.models[model].of_person is not None, label

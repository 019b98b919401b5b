"""My data: the export holds every classified field of the resident's rows in every app,
nobody else's, and their uploaded files."""

import io
import json
import zipfile

import pytest

from osallistu.core import personal_data, privacy
from tests.core import privacy_world

# Rows only staff have.
STAFF_ONLY = {
    "accounts.StaffRole",
    "otp_totp.TOTPDevice",
    "admin.LogEntry",
    "volunteering.OrganiserMember",
}
# Apps that landed after the world was written: their rows are classified and exported
# by the same code, but the world does not give the resident rows there yet.
NOT_IN_THE_WORLD_YET = {
    "budgeting.Shortlist",
}
# Fields a resident's rows leave empty: Django's permissions are for staff; the vote was
# cast online once, so nobody recorded or confirmed it and it was not changed.
EMPTY_FOR_RESIDENTS = {
    ("accounts.User", "groups"),
    ("accounts.User", "user_permissions"),
    ("budgeting.Participation", "recorded_by"),
    ("budgeting.Participation", "confirmed_by"),
    ("budgeting.Participation", "changed_at"),
}


@pytest.fixture
def world(helsinki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return privacy_world.build(helsinki)


def test_the_export_holds_every_exported_field_of_every_model_with_rows_of_theirs(world):
    resident, _others = world
    exported = {section["model"]: section for section in privacy.export_data(resident)["data"]}
    expected = (
        {
            entry.label
            for entry in personal_data.register.models.values()
            if entry.of_person is not None and entry.exported_fields()
        }
        - STAFF_ONLY
        - NOT_IN_THE_WORLD_YET
    )
    # The world gives the resident rows in every model that can hold them.
    assert set(exported) == expected
    empty = []
    for label, section in exported.items():
        entry = next(e for e in personal_data.register.models.values() if e.label == label)
        for row in section["rows"]:
            assert set(row) == set(entry.exported_fields()), label
        # Each exported field is filled in at least one row: nothing is silently empty.
        empty += [
            (label, name)
            for name in entry.exported_fields()
            if not any(row[name] not in (None, "", []) for row in section["rows"])
        ]
    assert set(empty) == EMPTY_FOR_RESIDENTS


def test_the_export_holds_no_secret_and_nobody_elses_rows(world):
    resident, others = world
    text = json.dumps(privacy.export_data(resident), ensure_ascii=False)
    assert "a" * 64 not in text  # the identity code's digest
    assert resident.password not in text
    assert "k" * 32 not in text  # the session key
    for other in others:
        assert other.email not in text
    comments = next(
        s
        for s in privacy.export_data(resident)["data"]
        if s["model"] == "budgeting.ProposalComment"
    )
    assert [row["text"] for row in comments["rows"]] == ["Hyvä"]


def test_the_zip_holds_the_data_and_the_uploaded_picture(world):
    resident, _others = world
    archive = zipfile.ZipFile(io.BytesIO(privacy.export_zip(resident)))
    names = archive.namelist()
    assert "data.json" in names
    pictures = [name for name in names if name.startswith("files/budgeting/proposals/")]
    assert len(pictures) == 1
    assert archive.read(pictures[0]) == privacy_world.PNG
    assert json.loads(archive.read("data.json"))["data"]

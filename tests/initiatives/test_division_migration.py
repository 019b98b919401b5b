"""The divisions of initiatives become ``accounts.Division`` on a database that already
has initiatives: every initiative keeps its division (names in three languages, in use
or not), new divisions can be added after the copy, and the way back restores the old
model. Runs on SQLite and, in the PostgreSQL suite, on PostgreSQL."""

import datetime

import pytest
from django.utils import timezone

from osallistu.accounts.models import Division
from osallistu.areas.models import Area
from osallistu.initiatives.models import Initiative
from tests.migrating import migrate, migrate_to_latest

pytestmark = [
    pytest.mark.integrity,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("latest_after"),
]

# The database as it was before the move: main's accounts and initiatives.
BEFORE = [("accounts", "0004_registry_role"), ("initiatives", "0001_initial")]

OLD_DIVISIONS = [
    ("Kaupunkiympäristön toimiala", "Stadsmiljösektorn", "Urban Environment Division", True),
    ("Kasvatuksen ja koulutuksen toimiala", "Fostrans- och utbildningssektorn", "", True),
    ("Liikennelaitos", "Trafikverket", "Transport Agency", False),
]


def old_initiatives(apps):
    """Three initiatives prepared in the first two old divisions; the third division
    (not in use) has none. Returns ``{title: Finnish name of its division}``."""
    OldDivision = apps.get_model("initiatives", "Division")
    OldInitiative = apps.get_model("initiatives", "Initiative")
    # Areas stay at their newest migration: the area is made with today's model.
    area = Area.objects.create(kind="city", slug="helsinki", number=0, name="Helsinki")
    divisions = [
        OldDivision.objects.create(
            name=fi, name_fi=fi, name_sv=sv, name_en=en or None, is_active=active
        )
        for fi, sv, en, active in OLD_DIVISIONS
    ]
    now = timezone.now()
    expected = {}
    for number, division in enumerate([divisions[0], divisions[0], divisions[1]]):
        title = f"Aloite {number}"
        OldInitiative.objects.create(
            title=title,
            proposal="Penkkejä rantaan.",
            rationale="Levähdyspaikkoja tarvitaan.",
            language="fi",
            area_id=area.pk,
            state="preparing",
            published_at=now,
            sent_at=now,
            diary_number=f"HEL 2026-{number:06d}",
            registered_at=now,
            division=division,
            preparer_name="Maria Valmistelija",
            deadline=datetime.date(2027, 6, 1),
            deadline_by_law=True,
        )
        expected[title] = division.name_fi
    return expected


def test_divisions_move_to_accounts_and_back_with_the_initiatives():
    expected = old_initiatives(migrate(BEFORE))

    migrate_to_latest()

    moved = {
        initiative.title: initiative.division.name_fi
        for initiative in Initiative.objects.select_related("division")
    }
    assert moved == expected
    divisions = {division.name_fi: division for division in Division.objects.all()}
    assert set(divisions) == {fi for fi, _sv, _en, _active in OLD_DIVISIONS}
    urban = divisions["Kaupunkiympäristön toimiala"]
    assert (urban.name_sv, urban.name_en, urban.slug) == (
        "Stadsmiljösektorn",
        "Urban Environment Division",
        "urban-environment-division",
    )
    # Without an English name the slug comes from the Finnish one.
    assert divisions["Kasvatuksen ja koulutuksen toimiala"].slug == (
        "kasvatuksen-ja-koulutuksen-toimiala"
    )
    assert not divisions["Liikennelaitos"].is_active
    assert list(Division.objects.active().order_by("slug")) == sorted(
        (urban, divisions["Kasvatuksen ja koulutuksen toimiala"]), key=lambda d: d.slug
    )
    # The table takes new divisions after the copy (its ids continue).
    Division.objects.create(slug="new", name_fi="Uusi", name_sv="Ny", name_en="New")

    back = migrate(BEFORE)
    restored = {
        initiative.title: initiative.division.name_fi
        for initiative in back.get_model("initiatives", "Initiative")
        .objects.select_related("division")
        .all()
    }
    assert restored == expected

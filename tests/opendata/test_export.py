"""The nightly bulk downloads: CSV and JSON per dataset with a README, pabulib files of
published results, written whole, and the chain of nightly runs."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.utils import timezone

from osallistu.budgeting.counting.pabulib import parse_pabulib
from osallistu.core import jobs
from osallistu.opendata import export, resources, tasks
from tests.opendata.test_privacy import PERSONAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(world, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path
    settings.SITE_URL = "https://osallistu.example"
    return export.export_all()


def read(path, name):
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode()


def test_every_dataset_is_a_zip_of_csv_json_and_readme(exported, settings, client):
    files = {entry["dataset"]: entry for entry in exported["files"]}
    assert set(files) == {r.basename for r in resources.resources()} | {export.PABULIB_NAME}
    for resource in resources.resources():
        path = settings.OPEN_DATA_ROOT / f"{resource.basename}.zip"
        with zipfile.ZipFile(path) as archive:
            assert sorted(archive.namelist()) == sorted(
                ["README.md", f"{resource.basename}.csv", f"{resource.basename}.json"]
            )
            text = "".join(archive.read(name).decode() for name in archive.namelist())
        for personal in PERSONAL:
            assert personal not in text, (resource.name, personal)
        rows = list(csv.DictReader(io.StringIO(read(path, f"{resource.basename}.csv"))))
        assert len(rows) == files[resource.basename]["objects"]
        data = json.loads(read(path, f"{resource.basename}.json"))
        assert len(data) == len(rows)
        readme = read(path, "README.md")
        for column in rows[0] if rows else ():
            assert f"| {column} |" in readme, (resource.name, column)
        assert "CC BY 4.0" in readme


def test_multilingual_fields_are_a_column_per_language(exported, settings):
    path = settings.OPEN_DATA_ROOT / "areas.zip"
    rows = list(csv.DictReader(io.StringIO(read(path, "areas.csv"))))
    central = next(row for row in rows if row["id"] == "central")
    assert (central["name_fi"], central["name_sv"], central["name_en"]) == (
        "Keskinen",
        "Mellersta",
        "Central",
    )
    plans = list(
        csv.DictReader(
            io.StringIO(
                read(settings.OPEN_DATA_ROOT / "budgeting-plans.zip", "budgeting-plans.csv")
            )
        )
    )
    assert {row["round"] for row in plans} == {"omastadi"}
    assert {row["area"] for row in plans} == {"eastern"}


def test_json_is_what_the_api_gives(exported, settings, client):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "osallistu.example"]
    data = json.loads(read(settings.OPEN_DATA_ROOT / "budgeting-plans.zip", "budgeting-plans.json"))
    api = client.get("/api/v1/budgeting/plans/", HTTP_HOST="osallistu.example", secure=True)
    assert [obj["id"] for obj in data] == [obj["id"] for obj in api.json()["data"]]
    assert data[0]["@id"].startswith("https://osallistu.example/api/v1/budgeting/plans/")


def test_pabulib_files_of_published_results(exported, settings, world):
    path = settings.OPEN_DATA_ROOT / "budgeting-pabulib.zip"
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["README.md", "omastadi-eastern.pb"]
        parsed = parse_pabulib(archive.read("omastadi-eastern.pb").decode())
    assert len(parsed.votes) == 6


def test_manifest_and_download_sizes(exported, settings):
    on_disk = json.loads((settings.OPEN_DATA_ROOT / "manifest.json").read_text())
    assert on_disk == exported == export.manifest()
    for entry in on_disk["files"]:
        assert (settings.OPEN_DATA_ROOT / entry["file"]).stat().st_size == entry["bytes"]
        assert len(entry["sha256"]) == 64
    assert not [path for path in settings.OPEN_DATA_ROOT.iterdir() if path.is_dir()]


def test_the_worker_keeps_the_export_queued_for_the_next_night(world, settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path
    jobs.schedule_daily()
    jobs.schedule_daily()
    waiting = tasks.export_open_data.jobs().filter(state="queued")
    assert waiting.count() == 1
    run_after = timezone.localtime(waiting.get().run_after)
    assert (run_after.hour, run_after.minute) == (3, 0)
    assert timezone.now() < run_after <= timezone.now() + datetime.timedelta(days=1)
    tasks.export_open_data.using(run_after=timezone.now()).enqueue()
    waiting.update(run_after=timezone.now())
    jobs.run_pending()
    assert tasks.export_open_data.jobs().filter(state="done").count() == 2
    assert (tmp_path / "manifest.json").exists()
    jobs.schedule_daily()
    assert tasks.export_open_data.jobs().filter(state="queued").count() == 1

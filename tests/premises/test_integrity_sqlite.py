"""No double booking on SQLite: the services' write lock (IMMEDIATE transactions)
keeps fifty simultaneous attempts at one slot to one booking."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_fifty_simultaneous_attempts_on_a_file_sqlite_database(tmp_path):
    database = tmp_path / "race.sqlite3"
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    finished = subprocess.run(
        [sys.executable, "-m", "tests.premises.sqlite_race"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    result = json.loads(finished.stdout)
    outcomes = result["outcomes"]
    assert outcomes.count("booked") == 1, outcomes
    refused = [outcome for outcome in outcomes if outcome != "booked"]
    assert set(refused) == {
        "already_booked: Joku on jo varannut tämän ajan. Valitse toinen aika."
    }, refused
    assert result["rows"] == 1

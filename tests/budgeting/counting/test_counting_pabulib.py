"""The pabulib reader and writer, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from osallistu.budgeting.counting import (
    CountingError,
    Instance,
    PabulibError,
    Profile,
    Project,
    count,
    read_pabulib,
    write_pabulib,
)
from osallistu.budgeting.counting.pabulib import pabulib_file, parse_pabulib
from tests.budgeting.counting.elections import ASSEN, WARSAW

GOOD = '''META
key;value
description;Test
country;Finland
unit;Helsinki
instance;2025
num_projects;2
num_votes;2
budget;100
vote_type;approval
rule;greedy
date_begin;01.03.2025
date_end;2025
PROJECTS
project_id;cost;name
1;60;"""Puisto"" ja; kahvila"
2;50;Kirjasto
VOTES
voter_id;vote
a;1,2
b;2
'''


@pytest.mark.parametrize("path", [ASSEN, WARSAW])
def test_real_files_round_trip_byte_for_byte(path):
    data = path.read_bytes()
    written = write_pabulib(read_pabulib(path)).encode("utf-8")
    assert written == data
    assert not written.startswith(b"\xef\xbb\xbf")


def test_quoting_round_trips():
    file = parse_pabulib(GOOD)
    assert file.projects[0]["name"] == '"Puisto" ja; kahvila'
    assert write_pabulib(file) == GOOD
    assert parse_pabulib(write_pabulib(file)) == file


def test_writer_from_the_model_invents_nothing_and_reads_back():
    instance = Instance(100, (Project("1", 60, name='Park; "big"'), Project("2", 50)))
    profile = Profile.approvals({"a": ["1", "2"], "b": ["2"]})
    with pytest.raises(PabulibError, match="META needs"):
        pabulib_file(instance, profile, {"description": "x"})
    meta = dict.fromkeys(
        ["description", "country", "unit", "instance", "rule", "date_begin", "date_end"], "x"
    )
    meta.update(rule="greedy", date_begin="2025", date_end="2025")
    text = write_pabulib(pabulib_file(instance, profile, meta))
    election = parse_pabulib(text).election()
    assert election.instance.projects[0].name == 'Park; "big"'
    assert [b.projects for b in election.profile.ballots] == [("1", "2"), ("2",)]
    assert "PROJECTS\nproject_id;cost;votes;name;category;district\n" in text


def replace(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "line", "field", "reason"),
    [
        ("\ufeff" + GOOD, 1, None, "byte-order mark"),
        (replace("key;value\n", "key;value\n\n"), 3, None, "empty line"),
        (replace("key;value", "key;val"), 2, None, "header must be"),
        (replace("budget;100", "budget;100,5"), 9, "budget", "not a number"),
        (replace("num_votes;2", "num_votes;3"), 8, "num_votes", "file has 2"),
        (replace("country;Finland\n", ""), 13, "country", "META has no country"),
        (replace("vote_type;approval", "vote_type;secret"), 10, "vote_type", "unknown vote"),
        (replace("rule;greedy", "rule;best"), 11, "rule", "unknown rule"),
        (replace("date_begin;01.03.2025", "date_begin;2025-03-01"), 12, "date_begin", "dates"),
        (replace("2;50;Kirjasto", "1;50;Kirjasto"), 17, "project_id", "appears twice"),
        (replace("2;50;Kirjasto", "2;50"), 17, None, "2 fields where the header has 3"),
        (replace("2;50;Kirjasto", "2;50; Kirjasto"), 17, "name", "space"),
        (replace("2;50;Kirjasto", "2;5.0.0;Kirjasto"), 17, "cost", "not a number"),
        (replace('kahvila"', 'kahvila"x'), 16, None, "quoting"),
        (replace("b;2\n", "a;2\n"), 21, "voter_id", "appears twice"),
        (replace("PROJECTS\n", ""), 14, None, "3 fields where the header has 2"),
    ],
)
def test_malformed_files_name_line_and_field(text, line, field, reason):
    with pytest.raises(PabulibError) as raised:
        parse_pabulib(text).election()
    assert reason in str(raised.value)
    if line is not None:
        assert raised.value.line == line
        assert f"line {line}" in str(raised.value)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "reason"),
    [
        ("b;2\n", "b;3\n", 21, "vote", "unknown project 3"),
        ("b;2\n", "b;\n", 21, "vote", "empty"),
        ("a;1,2", "a;1,1", 20, "vote", "same project twice"),
        ("budget;100", "budget;0", 9, "budget", "must be positive"),
        ("1;60;", "1;0;", 16, "cost", "must be positive"),
    ],
)
def test_bad_ballots_and_amounts_in_files(old, new, line, field, reason):
    with pytest.raises(PabulibError) as raised:
        parse_pabulib(replace(old, new)).election()
    assert reason in str(raised.value)
    assert (raised.value.line, raised.value.field) == (line, field)


def test_bad_input_to_count():
    projects = (Project("1", 10), Project("2", 500))
    with pytest.raises(CountingError, match="budget must be positive"):
        Instance(0, projects)
    instance = Instance(100, projects)
    for ballots, message in [
        ({"a": []}, "empty"),
        ({"a": ["9"]}, "unknown project 9"),
    ]:
        with pytest.raises(CountingError, match=message):
            count(instance, Profile.approvals(ballots))
    duplicated = Profile(
        Profile.approvals({"a": ["1"]}).vote_type, Profile.approvals({"a": ["1"]}).ballots * 2
    )
    with pytest.raises(CountingError, match="voter a: the same voter id appears twice"):
        count(instance, duplicated)
    with pytest.raises(CountingError, match="no ballots"):
        count(instance, Profile.approvals({}))


@pytest.mark.parametrize("rule", ["greedy", "mes", "phragmen"])
def test_a_project_dearer_than_the_budget_is_explained_not_funded(rule):
    instance = Instance(100, (Project("1", 10), Project("2", 500)))
    profile = Profile.approvals({"a": ["1", "2"], "b": ["2"]})
    result = count(instance, profile, rule=rule, completion="add1" if rule == "mes" else "none")
    assert result.selected == ("1",)
    assert result.explanations["2"].code == "exceeds_budget"


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "osallistu.budgeting.counting", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_json_uses_the_files_rule_and_keeps_stdout_clean():
    done = run_cli(str(ASSEN), "--json", "--progress")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["rule"] == "mes" and data["completion"] == "add1"
    assert set(data["selected"]) == read_pabulib(ASSEN).election().official_selection
    assert data["total_cost"] == 76700
    assert {e["code"] for e in data["explanations"]} == {"funded", "supporters_short"}


def test_cli_text_and_errors(tmp_path):
    done = run_cli(str(ASSEN), "--rule", "greedy")
    assert "PopUp Podium: Funded as number 1" in done.stdout
    broken = tmp_path / "broken.pb"
    broken.write_text(GOOD.replace("budget;100", "budget;lots"))
    done = run_cli(str(broken))
    assert done.returncode == 2
    assert "line 9, field budget" in done.stderr

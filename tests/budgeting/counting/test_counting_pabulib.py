"""The pabulib reader and writer, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from osallistu.budgeting.counting import (
    CountingError,
    Instance,
    PabulibError,
    Profile,
    Project,
    UnreproducibleRule,
    count,
    read_pabulib,
    write_pabulib,
)
from osallistu.budgeting.counting.pabulib import pabulib_file, parse_pabulib
from tests.budgeting.counting.elections import ASSEN, REAL_FILES

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


@pytest.mark.parametrize("path", REAL_FILES, ids=lambda path: path.stem)
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
def test_strict_reading_refuses_the_first_irregularity(text, line, field, reason):
    with pytest.raises(PabulibError) as raised:
        parse_pabulib(text, strict=True).election()
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
def test_strict_reading_refuses_bad_ballots_and_amounts(old, new, line, field, reason):
    with pytest.raises(PabulibError) as raised:
        parse_pabulib(replace(old, new), strict=True).election()
    assert reason in str(raised.value)
    assert (raised.value.line, raised.value.field) == (line, field)


def warnings_of(election):
    return [(w.code, w.line, w.field, str(w.action)) for w in election.warnings]


def ballots_of(election):
    return {b.voter_id: b.projects for b in election.profile.ballots}


@pytest.mark.parametrize(
    ("text", "warnings", "ballots"),
    [
        ("\ufeff" + GOOD, [("byte_order_mark", 1, None, "repaired")], None),
        (
            replace("key;value\n", "key;value\n\n"),
            [("empty_line", 3, None, "skipped")],
            None,
        ),
        (replace("num_votes;2", "num_votes;3"), [("meta_count", 8, "num_votes", "noted")], None),
        (replace("country;Finland\n", ""), [("meta_missing", 13, "country", "noted")], None),
        (
            replace("date_begin;01.03.2025", "date_begin;2025-03-01"),
            [("bad_date", 12, "date_begin", "noted")],
            None,
        ),
        (replace("2;50;Kirjasto", "2;50"), [("missing_fields", 17, None, "repaired")], None),
        (
            replace("2;50;Kirjasto", "2;50;Kirjasto;;"),
            [("extra_fields", 17, None, "repaired")],
            None,
        ),
        (
            replace("2;50;Kirjasto", "2;50; Kirjasto "),
            [("space_around_value", 17, "name", "repaired")],
            None,
        ),
        (
            replace("a;1,2", "a;1, 2"),
            [("space_around_value", 20, "vote", "repaired")],
            {"a": ("1", "2"), "b": ("2",)},
        ),
        (
            replace("a;1,2", "a;1,1"),
            [("duplicate_project", 20, "vote", "repaired")],
            {"a": ("1",), "b": ("2",)},
        ),
        (
            replace("a;1,2", "a;1,,2"),
            [("empty_entry", 20, "vote", "repaired")],
            {"a": ("1", "2"), "b": ("2",)},
        ),
        (
            replace("a;1,2", "a;1,7"),
            [("unknown_project", 20, "vote", "repaired")],
            {"a": ("1",), "b": ("2",)},
        ),
        (
            replace("b;2\n", "b;7\n"),
            [("unknown_project", 21, "vote", "repaired"), ("empty_ballot", 21, "vote", "skipped")],
            {"a": ("1", "2")},
        ),
        (replace("b;2\n", "b;\n"), [("empty_ballot", 21, "vote", "skipped")], {"a": ("1", "2")}),
        (
            replace("b;2\n", "a;2\n"),
            [("duplicate_voter_id", 21, "voter_id", "counted_as_cast")],
            {"a": ("1", "2"), "a (line 21)": ("2",)},
        ),
        (
            replace("date_end;2025\n", "date_end;2025\nmax_length;1\n"),
            [("ballot_constraint", 21, "vote", "counted_as_cast")],
            {"a": ("1", "2"), "b": ("2",)},
        ),
    ],
)
def test_tolerant_reading_mends_and_reports_each_irregularity(text, warnings, ballots):
    election = parse_pabulib(text).election()
    assert warnings_of(election) == warnings
    assert ballots_of(election) == (ballots or {"a": ("1", "2"), "b": ("2",)})
    assert election.instance.projects[0].name == '"Puisto" ja; kahvila'
    with pytest.raises(PabulibError) as raised:
        parse_pabulib(text, strict=True).election()
    assert (raised.value.line, raised.value.field) == warnings[0][1:3]


CUMULATIVE = (
    GOOD.replace("vote_type;approval", "vote_type;cumulative")
    .replace("voter_id;vote\n", "voter_id;vote;points\n")
    .replace("a;1,2\n", "a;1,2;3,2\n")
    .replace("b;2\n", "b;2;5\n")
)


@pytest.mark.parametrize(
    ("old", "new", "warnings", "ballots"),
    [
        (
            "a;1,2;3,2",
            "a;1,2,1;3,2,1",
            [("duplicate_project", 20, "vote", "repaired")],
            {"a": (("1", "2"), (4, 2)), "b": (("2",), (5,))},
        ),
        (
            "a;1,2;3,2",
            "a;1,2;3,0",
            [("zero_points", 20, "points", "repaired")],
            {"a": (("1",), (3,)), "b": (("2",), (5,))},
        ),
        (
            "a;1,2;3,2",
            "a;1,2;3",
            [("bad_points", 20, "points", "skipped")],
            {"b": (("2",), (5,))},
        ),
        (
            "a;1,2;3,2",
            "a;1,2;3,x",
            [("bad_points", 20, "points", "skipped")],
            {"b": (("2",), (5,))},
        ),
        ("b;2;5", "b;;", [("empty_ballot", 21, "vote", "skipped")], {"a": (("1", "2"), (3, 2))}),
        (
            "b;2;5",
            ";2;5",
            [("empty_voter_id", 21, "voter_id", "counted_as_cast")],
            {"a": (("1", "2"), (3, 2)), " (line 21)": (("2",), (5,))},
        ),
        (
            "date_end;2025\n",
            "date_end;2025\nmax_sum_points;4\n",
            [
                ("ballot_constraint", 21, "points", "counted_as_cast"),
                ("ballot_constraint", 22, "points", "counted_as_cast"),
            ],
            None,
        ),
        (
            "rule;greedy\n",
            "rule;greedy\nrule;greedy-no-skip\n",
            [("meta_repeated", 12, "key", "repaired")],
            None,
        ),
    ],
)
def test_tolerant_reading_of_cumulative_ballots(old, new, warnings, ballots):
    assert old in CUMULATIVE
    election = parse_pabulib(CUMULATIVE.replace(old, new, 1)).election()
    assert warnings_of(election) == warnings
    expected = ballots or {"a": (("1", "2"), (3, 2)), "b": (("2",), (5,))}
    assert {b.voter_id: (b.projects, b.points) for b in election.profile.ballots} == expected


def test_tolerant_reading_mends_amounts_and_unquoted_values():
    text = replace("budget;100", "budget;100,5").replace(
        "description;Test", "description;Test; with a semicolon"
    )
    election = parse_pabulib(text).election()
    assert warnings_of(election) == [
        ("unquoted_separator", 3, None, "repaired"),
        ("decimal_comma", 9, "budget", "repaired"),
    ]
    assert election.file.meta["description"] == "Test; with a semicolon"
    assert election.instance.budget == Fraction(201, 2)
    assert election.summary.lines_repaired == 2


def test_an_unknown_rule_is_read_but_not_counted_as_another():
    election = parse_pabulib(replace("rule;greedy", "rule;best")).election()
    assert warnings_of(election) == [("unknown_rule", 11, "rule", "noted")]
    assert election.rule == "unknown"
    with pytest.raises(UnreproducibleRule, match="does not say which rule"):
        election.count_settings()
    assert election.settings_for("greedy") == {"rule": "greedy"}


def test_what_no_reading_can_mend_is_refused_with_line_and_field():
    for old, new, message in [
        ("2;50;Kirjasto", "1;50;Kirjasto", "id 1 appears twice"),
        ("2;50;Kirjasto", "2;lots;Kirjasto", "not a number"),
        ("2;50;Kirjasto", "2;50;Kirjasto;extra", "4 fields where the header has 3"),
        ("vote_type;approval", "vote_type;secret", "unknown vote type"),
        ('kahvila"', 'kahvila"x', "bad quoting"),
    ]:
        with pytest.raises(PabulibError, match=message) as raised:
            parse_pabulib(replace(old, new)).election()
        assert raised.value.line is not None


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

"""Real published files: each is read, each irregularity is reported exactly, and each
file whose rule can be counted reproduces its official result (the ``selected`` column)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass

import pytest

from osallistu.budgeting.counting import (
    PabulibError,
    TieBreaking,
    UnreproducibleRule,
    count,
    read_pabulib,
)
from tests.budgeting.counting.elections import ASSEN, REAL_FILES, SAMPLE, WARSAW


@dataclass(frozen=True)
class Expected:
    rule: str
    warnings: tuple[tuple[str, int, str, str], ...] = ()
    """(code, line, field, action) of every warning, in line order."""
    unreproducible: str = ""
    """Part of the reason the file's rule cannot be counted, if it cannot."""
    official: bool = True
    """Whether the file has a ``selected`` column to check against."""


EXPECTED = {
    "Netherlands_Assen_2024": Expected("equalshares/add1"),
    "Poland_Warszawa_2023_Mokotow": Expected("greedy"),
    "Poland_Gdansk_2020_Rudniki": Expected("greedy", official=False),
    "Poland_Gdynia_2020_Orlowo__large": Expected("greedy-no-skip"),
    "Poland_Gdynia_2022_Kamienna_Gora__large": Expected("greedy-no-skip"),
    "Poland_Krakow_2018_Wzgorza_Krzeslawickie": Expected("greedy", official=False),
    "Poland_Poznan_2025_9_-_Stare_Miasto__large": Expected(
        "greedy-custom",
        (("selected_value", 25, "selected", "noted"),),
        unreproducible="defined only in words in the file's comment",
    ),
    "Poland_Poznan_2025_9_-_Stare_Miasto__small": Expected(
        "greedy-custom", unreproducible="defined only in words in the file's comment"
    ),
    "Poland_Warszawa_2018_Grochow_Kinowa": Expected(
        "greedy-threshold",
        (
            ("ballot_constraint", 837, "vote", "counted_as_cast"),
            ("ballot_constraint", 838, "vote", "counted_as_cast"),
        ),
    ),
    "Poland_Warszawa_2018_Pole_Mokotowskie": Expected("greedy-threshold"),
    "Poland_Warszawa_2018_Sadul": Expected("greedy-threshold"),
    "Poland_Warszawa_2024_Wesola": Expected(
        "greedy-exclusive", unreproducible="the file does not say which"
    ),
    "Poland_Warszawa_2026_Srodmiescie_Poludniowe": Expected(
        "greedy-threshold",
        (
            ("column_differs", 36, "votes", "noted"),
            ("duplicate_project", 656, "vote", "repaired"),
        ),
    ),
    "Poland_Zabrze_2020_Konczyce": Expected("greedy", official=False),
}


def test_every_real_file_is_listed():
    assert {path.stem for path in REAL_FILES} == set(EXPECTED)
    assert len(list(SAMPLE.glob("*.pb"))) == 12


@pytest.fixture(scope="module")
def elections():
    return {path.stem: read_pabulib(path).election() for path in REAL_FILES}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_is_read_with_exactly_its_warnings(elections, name):
    election, expected = elections[name], EXPECTED[name]
    assert election.rule == expected.rule
    warnings = tuple((w.code, w.line, w.field, str(w.action)) for w in election.warnings)
    assert warnings == expected.warnings
    assert (election.official_selection is not None) == expected.official


@pytest.mark.parametrize(
    "name", sorted(name for name, expected in EXPECTED.items() if not expected.unreproducible)
)
def test_each_countable_file_reproduces_its_official_result(elections, name):
    election = elections[name]
    result = count(
        election.instance,
        election.profile,
        tie_breaking=TieBreaking(seed=1),
        **election.count_settings(),
    )
    if election.official_selection is None:
        assert not election.check(result).compared
        return
    assert set(result.selected) == election.official_selection
    check = election.check(result)
    assert check.compared and check.agrees and check.differences == ()


@pytest.mark.parametrize(
    "name", sorted(name for name, expected in EXPECTED.items() if expected.unreproducible)
)
def test_a_rule_defined_only_in_words_is_never_counted_as_another(elections, name):
    election = elections[name]
    with pytest.raises(UnreproducibleRule, match=EXPECTED[name].unreproducible) as raised:
        election.count_settings()
    assert raised.value.rule == election.rule
    assert not election.is_own_rule({"rule": "greedy"})


@pytest.mark.parametrize(
    "name", sorted(name for name, expected in EXPECTED.items() if not expected.warnings)
)
def test_files_without_irregularities_are_read_strictly_too(name):
    path = next(path for path in REAL_FILES if path.stem == name)
    strict = read_pabulib(path, strict=True).election()
    tolerant = read_pabulib(path).election()
    assert strict.profile == tolerant.profile and strict.instance == tolerant.instance


@pytest.mark.parametrize(
    "name", sorted(name for name, expected in EXPECTED.items() if expected.warnings)
)
def test_strict_reading_refuses_an_irregularity_the_tolerant_one_reports(name):
    path = next(path for path in REAL_FILES if path.stem == name)
    with pytest.raises(PabulibError) as raised:
        read_pabulib(path, strict=True).election()
    reported = {(line, field) for _, line, field, _ in EXPECTED[name].warnings}
    assert (raised.value.line, raised.value.field) in reported


def test_ballots_over_max_sum_cost_are_counted_as_their_publisher_did(elections):
    """The file's votes column counts the two ballots over max_sum_cost; without them it
    would not add up, so the official count included them, and so does ours."""
    election = elections["Poland_Warszawa_2018_Grochow_Kinowa"]
    file = election.file
    published = {p["project_id"]: int(p["votes"]) for p in file.projects}
    over = {837, 838}
    without = Counter(
        project
        for values, line in zip(file.votes, file.vote_lines, strict=True)
        if line not in over
        for project in values["vote"].split(",")
    )
    assert any(without[project] != votes for project, votes in published.items())
    result = count(election.instance, election.profile, **election.count_settings())
    assert {p: e.votes for p, e in result.explanations.items()} == published
    assert election.summary.ballots_counted_as_cast == 2
    assert result.explanations["692"].code == "below_threshold"


def test_a_project_named_twice_counts_once(elections):
    election = elections["Poland_Warszawa_2026_Srodmiescie_Poludniowe"]
    ballot = next(b for b in election.profile.ballots if b.voter_id == "317731")
    assert ballot.projects == ("174", "2122", "346", "1962")
    result = count(election.instance, election.profile, **election.count_settings())
    assert result.explanations["174"].votes == 38
    assert election.summary.ballots_repaired == 1


def test_ordinal_ballots_are_counted_by_their_borda_score(elections):
    """Kraków ranks three projects; the file's score column is 3, 2, 1 points a ballot,
    which the reader computes (no column_differs) and greedy orders by."""
    election = elections["Poland_Krakow_2018_Wzgorza_Krzeslawickie"]
    assert {b.points for b in election.profile.ballots} == {(3, 2, 1)}
    result = count(election.instance, election.profile, **election.count_settings())
    score = {p["project_id"]: int(p["score"]) for p in election.file.projects}
    assert {p: e.votes for p, e in result.explanations.items()} == score
    by_score = sorted(score, key=score.__getitem__, reverse=True)
    funded_in_order = [p for p in by_score if p in result.selected]
    assert list(result.selected) == funded_in_order


def test_cumulative_ballots_are_counted_by_their_points(elections):
    election = elections["Poland_Gdansk_2020_Rudniki"]
    result = count(election.instance, election.profile, **election.count_settings())
    score = {p["project_id"]: int(p["score"]) for p in election.file.projects}
    assert {p: e.votes for p, e in result.explanations.items()} == score


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "osallistu.budgeting.counting", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_check_agrees_with_the_official_result():
    done = run_cli(SAMPLE / "Poland_Warszawa_2018_Grochow_Kinowa.pb", "--check")
    assert done.returncode == 0, done.stderr
    assert "Rule: greedy, projects with fewer than 83 votes not eligible" in done.stdout
    assert "2 counted as cast although they break the vote's rules" in done.stdout
    assert "line 837, field vote: the chosen projects cost 236698, more than 214386.4" in (
        done.stdout
    )
    assert "Check: the selection agrees with the file's selected column." in done.stdout


def test_cli_refuses_a_rule_it_cannot_reproduce_and_counts_another_only_when_named():
    wesola = SAMPLE / "Poland_Warszawa_2024_Wesola.pb"
    refused = run_cli(wesola, "--check")
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert "the file's rule greedy-exclusive cannot be reproduced" in refused.stderr
    assert "--rule" in refused.stderr
    named = run_cli(wesola, "--rule", "greedy", "--check")
    assert named.returncode == 0, named.stderr
    assert "This is not the file's own rule (greedy-exclusive, which cannot be" in named.stdout


def test_cli_check_prints_each_difference_with_its_reason():
    done = run_cli(
        SAMPLE / "Poland_Poznan_2025_9_-_Stare_Miasto__large.pb", "--rule", "greedy", "--check"
    )
    assert done.returncode == 1
    assert "Check: 1 projects differ from the file's selected column:" in done.stdout
    difference = next(
        line
        for line in done.stdout.splitlines()
        if "RD-IX.5" in line and "Check" not in line and "here:" in line
    )
    assert "the file says funded (selected 3); here: Not funded (705 votes)" in difference
    assert "only 325 000 was left" in difference


def test_cli_check_without_a_selected_column_does_not_pass():
    done = run_cli(SAMPLE / "Poland_Zabrze_2020_Konczyce.pb", "--check")
    assert done.returncode == 1
    assert "the file has no selected column" in done.stdout


def test_cli_json_lists_every_warning_and_what_was_mended():
    done = run_cli(SAMPLE / "Poland_Warszawa_2026_Srodmiescie_Poludniowe.pb", "--json", "--check")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["file_rule"] == "greedy-threshold" and data["own_rule"]
    assert data["threshold"] == 30
    assert data["read"] == {
        "ballots_counted": 620,
        "ballots_repaired": 1,
        "ballots_skipped": 0,
        "ballots_counted_as_cast": 0,
        "lines_repaired": 1,
        "lines_skipped": 0,
    }
    assert [(w["code"], w["line"], w["action"]) for w in data["warnings"]] == [
        ("column_differs", 36, "noted"),
        ("duplicate_project", 656, "repaired"),
    ]
    assert data["check"]["agrees"]


def test_cli_strict_refuses_what_tolerant_reading_mends():
    done = run_cli(SAMPLE / "Poland_Warszawa_2026_Srodmiescie_Poludniowe.pb", "--strict")
    assert done.returncode == 2
    assert done.stderr == (
        "error: line 656, field vote: the ballot names the same project twice (174)\n"
    )


def test_cli_options_of_equal_shares_do_not_apply_to_greedy():
    done = run_cli(WARSAW, "--utility", "approval")
    assert done.returncode == 2
    assert "--utility applies to equal shares only" in done.stderr


def test_cli_names_the_files_rule_when_another_is_counted():
    done = run_cli(ASSEN, "--rule", "greedy", "--check")
    assert "This is not the file's own rule (equalshares/add1)." in done.stdout
    assert done.returncode == 1


def test_counting_greedy_imports_no_numpy():
    """numpy is for equal shares; the command's start-up must not pay for it otherwise."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, runpy; sys.argv = ['x', sys.argv[1], '--rule', 'greedy'];"
            "import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try: runpy.run_module('osallistu.budgeting.counting', run_name='__main__')\n"
            "    except SystemExit: pass\n"
            "print('numpy' in sys.modules, 'gmpy2' in sys.modules)",
            str(WARSAW),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["False", "False"]

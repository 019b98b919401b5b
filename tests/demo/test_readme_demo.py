"""What the README tells a newcomer about the demo is what the demo does: the commands
it names exist and are run with the project's own Python, e-mails are written to the
log it names, and the identification provider's port is the variable it names."""

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
DEMO_SCRIPT = (ROOT / "scripts" / "demo.sh").read_text()
DEMO_SETTINGS = (ROOT / "scripts" / "demo.env").read_text()


def test_every_command_the_readme_names_exists_and_runs_with_the_projects_python():
    named = re.findall(r"(\S*)python manage\.py (\w+)", README)
    assert "demo_totp_code" in {command for _python, command in named}, named
    for python, command in named:
        # The system's python has none of the project's packages.
        assert python.strip("`") == ".venv/bin/", (python, command)
        assert command in get_commands(), command
    for command in re.findall(r"`manage\.py (\w+)", README):
        assert command in get_commands(), command


def test_the_demos_e_mails_are_where_the_readme_says():
    assert "`var/worker.log`" in README
    assert re.search(r"^EMAIL_BACKEND=django\.core\.mail\.backends\.console\.", DEMO_SETTINGS, re.M)
    # The worker sends the e-mails, so its output is where they are printed.
    assert re.search(r"manage\.py worker\s*>\s*var/worker\.log 2>&1", DEMO_SCRIPT)


def test_the_identification_providers_port_is_the_variable_the_readme_names():
    variable, default = re.search(
        r"`(\w+)=\d+` moves its test identification provider\s+"
        r"\(default (\d+)\)",
        README,
    ).groups()
    assert f"{variable}=${{{variable}:-{default}}}" in DEMO_SCRIPT
    assert f'--port "${variable}"' in DEMO_SCRIPT

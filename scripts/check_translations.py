"""Fail when an interface string is not translated into Finnish and Swedish.

For every app with a locale/ folder: extract the strings the code uses now (in a
temporary copy, so the working tree is not touched), and check that each one is
in the committed catalogues, translated, not fuzzy, and compiled into the .mo.
Needs GNU gettext (xgettext) like Django's makemessages.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fi", "sv")


def _key(entry):
    return (entry.msgctxt or "", entry.msgid)


def _translated(entry):
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def check_app(app_dir, django_admin):
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / app_dir.name
        shutil.copytree(app_dir, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        subprocess.run(
            [django_admin, "makemessages", "-l", "fi", "--no-location", "-v0"],
            cwd=copy,
            check=True,
        )
        used = {
            _key(entry) for entry in polib.pofile(str(copy / "locale/fi/LC_MESSAGES/django.po"))
        }
    for language in LANGUAGES:
        po_path = app_dir / "locale" / language / "LC_MESSAGES" / "django.po"
        mo_path = po_path.with_suffix(".mo")
        if not po_path.exists():
            problems.append(f"{po_path.relative_to(ROOT)} is missing")
            continue
        catalogue = {
            _key(entry): entry for entry in polib.pofile(str(po_path)) if not entry.obsolete
        }
        compiled = (
            {_key(entry): entry for entry in polib.mofile(str(mo_path))} if mo_path.exists() else {}
        )
        for key in sorted(used):
            entry = catalogue.get(key)
            where = f"{app_dir.name} [{language}] {key[1]!r}"
            if entry is None:
                problems.append(f"{where}: not in the catalogue (run make translations)")
            elif not _translated(entry):
                problems.append(f"{where}: not translated")
            elif key not in compiled or (
                compiled[key].msgstr != entry.msgstr
                or compiled[key].msgstr_plural != entry.msgstr_plural
            ):
                problems.append(f"{where}: .mo is out of date (run compilemessages)")
    return problems


def main():
    django_admin = str(Path(sys.executable).parent / "django-admin")
    apps = sorted(path.parent for path in (ROOT / "osallistu").glob("*/locale"))
    problems = [problem for app in apps for problem in check_app(app, django_admin)]
    for problem in problems:
        print(problem)
    print(f"{len(apps)} apps checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

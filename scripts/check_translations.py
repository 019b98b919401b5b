"""Fail when an interface string is not translated into Finnish and Swedish.

For every app with a locale/ folder: extract the strings the code uses now (in a
temporary copy, so the working tree is not touched), and check that each one is
in the committed catalogues, translated, not fuzzy, and compiled into the .mo.
Needs GNU gettext (xgettext) like Django's makemessages.

Then check that no two apps translate the same message (same msgid and context)
differently: Django merges the apps' catalogues and the app first in INSTALLED_APPS
wins everywhere, so the other app's translation would never show. Give each meaning
its own context (pgettext, {% translate "…" context "…" %}) or use one translation.
"""

import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
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


def _translation(entry):
    if entry.msgid_plural:
        return tuple(sorted(entry.msgstr_plural.items()))
    return entry.msgstr


def clashes(catalogues):
    """Messages that two apps translate differently, from ``{app: {language: POFile}}``.

    Untranslated and fuzzy entries are left to check_app, which reports them."""
    found = defaultdict(lambda: defaultdict(list))
    for app, by_language in sorted(catalogues.items()):
        for language, catalogue in by_language.items():
            for entry in catalogue:
                if entry.obsolete or not _translated(entry):
                    continue
                found[(language, *_key(entry))][_translation(entry)].append(app)
    problems = []
    for (language, context, msgid), translations in sorted(found.items()):
        if len(translations) < 2:
            continue
        where = "; ".join(
            f"{', '.join(apps)}: {translation!r}" for translation, apps in translations.items()
        )
        label = f"{msgid!r} (context {context!r})" if context else repr(msgid)
        problems.append(
            f"[{language}] {label} is translated differently ({where}): use one "
            "translation, or give each meaning its own context"
        )
    return problems


def catalogues_of(apps):
    return {
        app.name: {
            language: polib.pofile(str(path))
            for language in LANGUAGES
            if (path := app / "locale" / language / "LC_MESSAGES" / "django.po").exists()
        }
        for app in apps
    }


def main():
    django_admin = str(Path(sys.executable).parent / "django-admin")
    apps = sorted(path.parent for path in (ROOT / "osallistu").glob("*/locale"))
    problems = [problem for app in apps for problem in check_app(app, django_admin)]
    problems += clashes(catalogues_of(apps))
    for problem in problems:
        print(problem)
    print(f"{len(apps)} apps checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

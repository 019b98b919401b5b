"""Fill a .po catalogue from a table of translations: python scripts/fill_translations.py
TABLE.py osallistu/APP [...]. The table is a Python file defining T = {msgid: (fi, sv)}.
Used when adding many strings at once; entries already translated are kept."""

import runpy
import sys
from pathlib import Path

import polib


def fill(table, app_dir):
    missing = []
    for index, language in enumerate(("fi", "sv")):
        path = Path(app_dir) / "locale" / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        for entry in catalogue:
            translated = all(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr
            if translated and "fuzzy" not in entry.flags:
                continue
            if entry.msgid in table:
                entry.msgstr = table[entry.msgid][index]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            else:
                missing.append(f"{language}: {entry.msgid}")
        catalogue.save()
    return missing


if __name__ == "__main__":
    table = runpy.run_path(sys.argv[1])["T"]
    problems = [line for app in sys.argv[2:] for line in fill(table, app)]
    print("\n".join(problems) or "all translated")
    sys.exit(1 if problems else 0)

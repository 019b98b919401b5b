"""The translations check fails when two apps translate one message differently:
Django merges the catalogues and the first app's translation shows everywhere."""

import importlib.util
from pathlib import Path

import polib

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_translations.py"
spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
check_translations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_translations)


def catalogue(*entries):
    po = polib.POFile()
    for entry in entries:
        po.append(polib.POEntry(**entry))
    return po


def test_the_same_message_translated_differently_is_a_clash():
    found = check_translations.clashes(
        {
            "surveys": {"fi": catalogue({"msgid": "Report", "msgstr": "Ilmoita"})},
            "monitoring": {"fi": catalogue({"msgid": "Report", "msgstr": "Raportti"})},
        }
    )
    assert len(found) == 1
    assert "[fi] 'Report'" in found[0]
    assert "monitoring: 'Raportti'" in found[0] and "surveys: 'Ilmoita'" in found[0]


def test_a_context_separates_the_meanings():
    found = check_translations.clashes(
        {
            "surveys": {
                "fi": catalogue({"msgctxt": "verb", "msgid": "Report", "msgstr": "Ilmoita"})
            },
            "monitoring": {"fi": catalogue({"msgid": "Report", "msgstr": "Raportti"})},
        }
    )
    assert found == []


def test_a_clash_in_one_context_names_the_context_and_the_language():
    found = check_translations.clashes(
        {
            "premises": {
                "sv": catalogue({"msgctxt": "state", "msgid": "Closed", "msgstr": "Stängt"})
            },
            "surveys": {
                "sv": catalogue({"msgctxt": "state", "msgid": "Closed", "msgstr": "Stängd"})
            },
        }
    )
    assert len(found) == 1
    assert found[0].startswith("[sv] 'Closed' (context 'state')")


def test_plural_forms_are_compared_whole():
    def plural(few):
        return {
            "msgid": "%(count)s hour",
            "msgid_plural": "%(count)s hours",
            "msgstr_plural": {0: "%(count)s tunti", 1: few},
        }

    same = {"a": {"fi": catalogue(plural("%(count)s tuntia"))}}
    same["b"] = {"fi": catalogue(plural("%(count)s tuntia"))}
    assert check_translations.clashes(same) == []
    same["c"] = {"fi": catalogue(plural("%(count)s tunnit"))}
    assert len(check_translations.clashes(same)) == 1


def test_untranslated_and_fuzzy_entries_are_left_to_the_other_check():
    fuzzy = {"msgid": "Open", "msgstr": "Auki", "flags": ["fuzzy"]}
    found = check_translations.clashes(
        {
            "premises": {"fi": catalogue({"msgid": "Open", "msgstr": "Avoinna"})},
            "surveys": {"fi": catalogue({"msgid": "Open", "msgstr": ""})},
            "volunteering": {"fi": catalogue(fuzzy)},
        }
    )
    assert found == []


def test_the_committed_catalogues_have_no_clash():
    apps = sorted(path.parent for path in (SCRIPT.parents[1] / "osallistu").glob("*/locale"))
    assert check_translations.clashes(check_translations.catalogues_of(apps)) == []

"""The demo city's divisions (toimialat) and the city executive office: one list for
initiatives, feedback and monitoring (``accounts.Division``)."""

from osallistu.accounts.models import Division

DIVISIONS = [
    (
        "urban-environment",
        "Kaupunkiympäristön toimiala",
        "Stadsmiljösektorn",
        "Urban Environment Division",
    ),
    (
        "education",
        "Kasvatuksen ja koulutuksen toimiala",
        "Fostrans- och utbildningssektorn",
        "Education Division",
    ),
    (
        "culture-and-leisure",
        "Kulttuurin ja vapaa-ajan toimiala",
        "Kultur- och fritidssektorn",
        "Culture and Leisure Division",
    ),
    (
        "social-and-health",
        "Sosiaali-, terveys- ja pelastustoimiala",
        "Social-, hälsovårds- och räddningssektorn",
        "Social Services, Health Care and Rescue Services Division",
    ),
    ("city-executive-office", "Kaupunginkanslia", "Stadskansliet", "City Executive Office"),
]


def build_divisions():
    """The divisions, made or brought up to date: ``{slug: Division}``."""
    divisions = {}
    for position, (slug, fi, sv, en) in enumerate(DIVISIONS):
        divisions[slug] = Division.objects.update_or_create(
            slug=slug,
            defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "position": position},
        )[0]
    return divisions

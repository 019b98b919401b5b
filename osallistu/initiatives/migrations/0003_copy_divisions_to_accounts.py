# Every division of initiatives becomes an accounts.Division (one of the same Finnish
# name is reused), and each initiative links to it. Backwards, the other way round.

from django.db import migrations
from django.utils.text import slugify

SLUG_LENGTH = 40


def _free_slug(name, taken):
    base = slugify(name)[: SLUG_LENGTH - 4] or "division"
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    taken.add(slug)
    return slug


def to_accounts(apps, schema_editor):
    CityDivision = apps.get_model("accounts", "Division")
    OldDivision = apps.get_model("initiatives", "Division")
    Initiative = apps.get_model("initiatives", "Initiative")
    taken = set(CityDivision.objects.values_list("slug", flat=True))
    by_name = {division.name_fi: division for division in CityDivision.objects.all()}
    for position, old in enumerate(OldDivision.objects.order_by("name", "pk")):
        new = by_name.get(old.name_fi)
        if new is None:
            new = CityDivision.objects.create(
                slug=_free_slug(old.name_en or old.name_fi or old.name, taken),
                name=old.name,
                name_fi=old.name_fi,
                name_sv=old.name_sv,
                name_en=old.name_en,
                position=position,
                is_active=old.is_active,
            )
            by_name[new.name_fi] = new
        Initiative.objects.filter(division=old).update(city_division=new)


def to_initiatives(apps, schema_editor):
    CityDivision = apps.get_model("accounts", "Division")
    OldDivision = apps.get_model("initiatives", "Division")
    Initiative = apps.get_model("initiatives", "Initiative")
    for division in CityDivision.objects.all():
        old = OldDivision.objects.create(
            name=division.name,
            name_fi=division.name_fi,
            name_sv=division.name_sv,
            name_en=division.name_en,
            is_active=division.is_active,
        )
        Initiative.objects.filter(city_division=division).update(division=old)


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0002_initiative_city_division'),
    ]

    operations = [
        migrations.RunPython(to_accounts, to_initiatives),
    ]

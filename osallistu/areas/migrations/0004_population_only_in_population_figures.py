from django.db import migrations


def keep_totals(apps, schema_editor):
    """An area's total of residents moves to the population figures, unless they already
    have the area's figures of that year: nothing that was entered is lost."""
    Area = apps.get_model("areas", "Area")
    Population = apps.get_model("areas", "Population")
    for area in Area.objects.filter(population__gt=0, population_year__isnull=False):
        if not Population.objects.filter(area=area, year=area.population_year).exists():
            Population.objects.create(
                area=area,
                year=area.population_year,
                age_from=0,
                age_to=None,
                gender="",
                count=area.population,
                approximate=True,
                source="areas.Area.population",
            )


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0003_neighbourhoods"),
    ]

    operations = [
        migrations.RunPython(keep_totals, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="area",
            name="population",
        ),
        migrations.RemoveField(
            model_name="area",
            name="population_year",
        ),
    ]

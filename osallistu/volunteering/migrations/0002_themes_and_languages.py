"""The themes and languages the search offers from the start; the admin edits them."""

from django.db import migrations

THEMES = [
    ("nature", "Luonto ja ympäristö", "Natur och miljö", "Nature and environment"),
    ("children", "Lapset ja nuoret", "Barn och unga", "Children and young people"),
    ("elderly", "Ikäihmiset", "Äldre", "Older people"),
    ("culture", "Kulttuuri ja tapahtumat", "Kultur och evenemang", "Culture and events"),
    ("sports", "Liikunta ja urheilu", "Motion och idrott", "Sports and exercise"),
    ("integration", "Kotoutuminen ja kielet", "Integration och språk", "Integration and languages"),
    ("animals", "Eläimet", "Djur", "Animals"),
    ("food", "Ruoka-apu", "Mathjälp", "Food aid"),
    ("neighbourhood", "Lähiö ja naapurusto", "Grannskap", "Neighbourhood"),
    ("digital", "Digituki", "Digitalt stöd", "Digital help"),
]

LANGUAGES = [
    ("fi", "suomi", "finska", "Finnish"),
    ("sv", "ruotsi", "svenska", "Swedish"),
    ("en", "englanti", "engelska", "English"),
    ("ru", "venäjä", "ryska", "Russian"),
    ("et", "viro", "estniska", "Estonian"),
    ("so", "somali", "somaliska", "Somali"),
    ("ar", "arabia", "arabiska", "Arabic"),
    ("fse", "suomalainen viittomakieli", "finskt teckenspråk", "Finnish Sign Language"),
]


def add(apps, schema_editor):
    for model_name, rows in (("Theme", THEMES), ("Language", LANGUAGES)):
        model = apps.get_model("volunteering", model_name)
        for position, (slug, fi, sv, en) in enumerate(rows):
            model.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": fi,
                    "name_fi": fi,
                    "name_sv": sv,
                    "name_en": en,
                    "position": position,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_organisers_opportunities_shifts_signups_talkoot")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]

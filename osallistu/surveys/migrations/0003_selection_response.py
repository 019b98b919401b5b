import django.db.models.deletion
from django.db import migrations, models


def fill_responses(apps, schema_editor):
    Selection = apps.get_model("surveys", "Selection")
    Answer = apps.get_model("surveys", "Answer")
    Selection.objects.update(
        response=models.Subquery(
            Answer.objects.filter(pk=models.OuterRef("answer")).values("response")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0002_hearings"),
    ]

    operations = [
        migrations.AddField(
            model_name="selection",
            name="response",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="surveys.response",
                verbose_name="response",
            ),
        ),
        migrations.RunPython(fill_responses, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="selection",
            name="response",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="surveys.response",
                verbose_name="response",
            ),
        ),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(fields=["question", "response", "number"], name="answer_counting"),
        ),
        migrations.AddIndex(
            model_name="selection",
            index=models.Index(
                fields=["question", "option", "row", "rank", "response"],
                name="selection_counting",
            ),
        ),
    ]

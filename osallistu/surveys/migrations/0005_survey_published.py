from django.db import migrations, models


class Migration(migrations.Migration):
    """Surveys get an explicit publication step. The surveys that exist already were
    public by their times alone, so they start published; new ones are drafts."""

    dependencies = [
        ("surveys", "0004_hearing_images_attachments_polls"),
    ]

    operations = [
        migrations.AddField(
            model_name="survey",
            name="published",
            field=models.BooleanField(default=True, verbose_name="published"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="survey",
            name="published",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Residents see the survey only once it is published; it takes answers "
                    "from its opening time until its closing time. A new survey is a draft."
                ),
                verbose_name="published",
            ),
        ),
    ]

# Initiatives link to accounts.Division alone; their own Division model goes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0003_copy_divisions_to_accounts'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='initiative',
            name='division',
        ),
        migrations.RenameField(
            model_name='initiative',
            old_name='city_division',
            new_name='division',
        ),
        migrations.AlterField(
            model_name='initiative',
            name='division',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='initiatives', to='accounts.division', verbose_name='division'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state__in', ['preparing', 'decided']), _negated=True), models.Q(('division__isnull', False), models.Q(('preparer_name', ''), _negated=True)), _connector='OR'), name='initiative_prepared_has_division_and_preparer', violation_error_message='An initiative being prepared has a division and a named preparer.'),
        ),
        migrations.DeleteModel(
            name='Division',
        ),
    ]

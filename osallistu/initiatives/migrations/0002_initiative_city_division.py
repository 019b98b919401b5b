# The divisions that prepare initiatives become the city's one list, accounts.Division:
# first a second link next to the old one, then (0003) the data copied over, then (0004)
# the old link and model removed. Each step is a migration of its own, so that on
# PostgreSQL no table is altered in the transaction that updated its rows.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_division'),
        ('initiatives', '0001_initial'),
    ]

    operations = [
        # The rule that a prepared initiative has a division is checked again (on the new
        # link) at the end of 0004; backwards, once the old link is filled in again.
        migrations.RemoveConstraint(
            model_name='initiative',
            name='initiative_prepared_has_division_and_preparer',
        ),
        migrations.AddField(
            model_name='initiative',
            name='city_division',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.division', verbose_name='division'),
        ),
    ]

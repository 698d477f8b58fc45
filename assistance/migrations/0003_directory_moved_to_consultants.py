"""The consultant directory now belongs to the ``consultants`` app (its 0001 took over the tables).

State only: the directory's models leave this app's state, and the service's
consultants and the visit's consultant point at ``consultants.Consultant``. The
tables, their foreign keys and the many-to-many table ``assistance_service_consultants``
are the same, so the database is not touched.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assistance', '0002_load_catalogues'),
        ('consultants', '0001_directory_moved_from_assistance'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='service',
                    name='consultants',
                    field=models.ManyToManyField(blank=True, related_name='services', to='consultants.consultant', verbose_name='consultants'),
                ),
                migrations.AlterField(
                    model_name='visit',
                    name='consultant',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='consultants.consultant', verbose_name='consultant'),
                ),
                migrations.AlterField(
                    model_name='historicalvisit',
                    name='consultant',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='consultants.consultant', verbose_name='consultant'),
                ),
                migrations.DeleteModel(name='HistoricalAccreditationDocument'),
                migrations.DeleteModel(name='HistoricalConsultant'),
                migrations.DeleteModel(name='AccreditationDocument'),
                migrations.DeleteModel(name='Consultant'),
                migrations.DeleteModel(name='SpecialtyArea'),
            ],
        ),
    ]

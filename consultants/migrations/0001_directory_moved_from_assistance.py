"""The consultant directory moves here from ``assistance``, keeping its tables and their rows.

State only: the models are created in this app's state with ``db_table`` naming the
tables ``assistance`` created (the consultants, their areas, documents, the
many-to-many tables, whose names follow from ``db_table``, and the history tables
of django-simple-history). The database is not touched, so no row, file name or
history entry is copied or lost. ``assistance`` 0003 then drops the models from its
own state and points ``Service.consultants`` and ``Visit.consultant`` here.
"""

import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

import consultants.models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The tables exist once assistance has created them (and loaded the areas).
        ('assistance', '0002_load_catalogues'),
        ('clients', '0002_load_reference_data'),
        ('core', '0002_create_role_groups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='SpecialtyArea',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(choices=[('production', 'Production'), ('management', 'Management'), ('marketing', 'Marketing'), ('legal', 'Legal')], max_length=20, unique=True, verbose_name='code')),
                    ],
                    options={
                        'db_table': 'assistance_specialtyarea',
                        'verbose_name': 'specialty area',
                        'verbose_name_plural': 'specialty areas',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='Consultant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('first_name', models.CharField(max_length=100, verbose_name='first names')),
                        ('last_name', models.CharField(max_length=100, verbose_name='last names')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                        ('is_staff_member', models.BooleanField(default=False, verbose_name='staff of the centre')),
                        ('profession', models.CharField(blank=True, max_length=120, verbose_name='profession or degree')),
                        ('hourly_fee', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=14, verbose_name='fee per hour (S/)')),
                        ('status', models.CharField(choices=[('proposed', 'Proposed'), ('validated', 'Validated'), ('rejected', 'Rejected'), ('inactive', 'Inactive')], default='proposed', max_length=10, verbose_name='validation status')),
                        ('status_decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('centres', models.ManyToManyField(related_name='consultants', to='core.centre', verbose_name='centres served')),
                        ('status_decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('subsectors', models.ManyToManyField(blank=True, related_name='+', to='clients.subsector', verbose_name='subsectors')),
                        ('user', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='consultant_profile', to=settings.AUTH_USER_MODEL, verbose_name='user account')),
                        ('areas', models.ManyToManyField(blank=True, related_name='consultants', to='consultants.specialtyarea', verbose_name='areas')),
                    ],
                    options={
                        'db_table': 'assistance_consultant',
                        'verbose_name': 'consultant',
                        'verbose_name_plural': 'consultants',
                        'ordering': ['last_name', 'first_name'],
                        'constraints': [
                            models.CheckConstraint(condition=models.Q(('hourly_fee__gte', 0)), name='consultant_fee_not_negative'),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name='AccreditationDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('degree', 'Professional or technical degree'), ('experience', 'Documented consulting experience'), ('methodology', 'Consulting-methodology training')], max_length=12, verbose_name='kind')),
                        ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                        ('file', models.FileField(upload_to=consultants.models.accreditation_path, verbose_name='file')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                        ('consultant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='consultants.consultant', verbose_name='consultant')),
                    ],
                    options={
                        'db_table': 'assistance_accreditationdocument',
                        'verbose_name': 'accreditation document',
                        'verbose_name_plural': 'accreditation documents',
                        'ordering': ['kind', '-uploaded_at'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAccreditationDocument',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('degree', 'Professional or technical degree'), ('experience', 'Documented consulting experience'), ('methodology', 'Consulting-methodology training')], max_length=12, verbose_name='kind')),
                        ('description', models.CharField(blank=True, max_length=200, verbose_name='description')),
                        ('file', models.TextField(max_length=100, verbose_name='file')),
                        ('uploaded_at', models.DateTimeField(blank=True, editable=False, verbose_name='uploaded at')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('consultant', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='consultants.consultant', verbose_name='consultant')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('uploaded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
                    ],
                    options={
                        'db_table': 'assistance_historicalaccreditationdocument',
                        'verbose_name': 'historical accreditation document',
                        'verbose_name_plural': 'historical accreditation documents',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalConsultant',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('first_name', models.CharField(max_length=100, verbose_name='first names')),
                        ('last_name', models.CharField(max_length=100, verbose_name='last names')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                        ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                        ('is_staff_member', models.BooleanField(default=False, verbose_name='staff of the centre')),
                        ('profession', models.CharField(blank=True, max_length=120, verbose_name='profession or degree')),
                        ('hourly_fee', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=14, verbose_name='fee per hour (S/)')),
                        ('status', models.CharField(choices=[('proposed', 'Proposed'), ('validated', 'Validated'), ('rejected', 'Rejected'), ('inactive', 'Inactive')], default='proposed', max_length=10, verbose_name='validation status')),
                        ('status_decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('status_decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user account')),
                    ],
                    options={
                        'db_table': 'assistance_historicalconsultant',
                        'verbose_name': 'historical consultant',
                        'verbose_name_plural': 'historical consultants',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
        ),
    ]

# Report runs, project rules, follow-ups.
# Squashed by hand from two parallel 0002 migrations and their merge, none ever released: databases
# that applied the old names (app_bench, developers' SQLite files) take this one as applied.

import django.core.validators
import django.db.models.deletion
import reporting.models.reports
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('reporting', '0002_report_runs_and_rules'),
        ('reporting', '0002_followups'),
        ('reporting', '0003_merge_0002_followups_0002_report_runs_and_rules'),
    ]

    dependencies = [
        ('reporting', '0001_initial'),
        ('support_network', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProjectRules',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('result_window_days', models.PositiveSmallIntegerField(default=28, help_text='Domyślnie 28 dni (4 tygodnie): dzień 28. się liczy, 29. już nie.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(365)], verbose_name='okno wskaźników rezultatu (dni po zakończeniu)')),
                ('effectiveness_window_months', models.PositiveSmallIntegerField(default=3, help_text='Domyślnie 3 miesiące: ten sam dzień miesiąca, ostatni dzień miesiąca gdy takiego brak.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(24)], verbose_name='okno efektywności (miesiące po zakończeniu)')),
                ('project', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reporting_rules', to='support_network.project')),
            ],
            options={
                'verbose_name': 'reguły pomiaru wskaźników',
                'verbose_name_plural': 'reguły pomiaru wskaźników',
            },
        ),
        migrations.CreateModel(
            name='ReportRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('indicator_progress', 'raport z postępu wskaźników')], default='indicator_progress', max_length=30, verbose_name='rodzaj')),
                ('period_from', models.DateField(verbose_name='okres od')),
                ('period_to', models.DateField(verbose_name='okres do')),
                ('status', models.CharField(choices=[('queued', 'w kolejce'), ('running', 'w trakcie'), ('done', 'gotowy'), ('failed', 'błąd')], default='queued', max_length=10, verbose_name='status')),
                ('error', models.TextField(blank=True, verbose_name='przyczyna błędu')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='liczba prób')),
                ('file', models.FileField(blank=True, max_length=200, upload_to=reporting.models.reports._upload_to, verbose_name='plik')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='zlecono')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='rozpoczęto')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='zakończono')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='report_runs', to='support_network.project', verbose_name='projekt')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='zlecający')),
            ],
            options={
                'verbose_name': 'raport',
                'verbose_name_plural': 'raporty',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['status', 'started_at'], name='reporting_r_status_257e1e_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status__in', ['queued', 'running'])), fields=('project', 'kind', 'period_from', 'period_to'), name='one_active_report_run_per_parameters'), models.CheckConstraint(condition=models.Q(('period_to__gte', models.F('period_from'))), name='report_period_ordered')],
            },
        ),
        migrations.CreateModel(
            name='FollowUp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('result_4w', '4 tygodnie po zakończeniu udziału (wskaźniki rezultatu)'), ('effectiveness_3m', '3 miesiące po zakończeniu udziału (efektywność KES/KEZ)'), ('employment_1m', 'miesiąc po podjęciu pracy (rozmowa z pracodawcą i uczestnikiem)')], max_length=20, verbose_name='rodzaj')),
                ('due_on', models.DateField(verbose_name='termin')),
                ('done_on', models.DateField(blank=True, null=True, verbose_name='data wykonania')),
                ('note', models.TextField(blank=True, verbose_name='notatka')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('outcome', models.ForeignKey(blank=True, help_text='Zatrudnienie, po którym następuje rozmowa (tylko dla rozmowy po miesiącu pracy).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='followups', to='reporting.outcomeevent')),
                ('participation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='followups', to='reporting.participation')),
            ],
            options={
                'verbose_name': 'monitoring uczestnika',
                'verbose_name_plural': 'monitoring uczestników',
                'ordering': ['due_on', 'pk'],
                'indexes': [models.Index(fields=['done_on', 'due_on'], name='reporting_f_done_on_cea169_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('outcome__isnull', True)), fields=('participation', 'kind'), name='one_exit_followup_per_kind'), models.UniqueConstraint(condition=models.Q(('outcome__isnull', False)), fields=('outcome',), name='one_followup_per_employment'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'employment_1m'), ('outcome__isnull', False)), models.Q(models.Q(('kind', 'employment_1m'), _negated=True), ('outcome__isnull', True)), _connector='OR'), name='employment_followup_has_outcome'), models.CheckConstraint(condition=models.Q(('done_on__isnull', True), ('done_by__isnull', False), _connector='OR'), name='done_followup_has_author')],
            },
        ),
        migrations.CreateModel(
            name='FollowUpReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_on', models.DateField()),
                ('due_count', models.PositiveIntegerField(default=0)),
                ('overdue_count', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'przypomnienie o monitoringu',
                'verbose_name_plural': 'przypomnienia o monitoringu',
                'constraints': [models.UniqueConstraint(fields=('user', 'sent_on'), name='one_reminder_per_user_per_day')],
            },
        ),
    ]

# Social contracts, family programmes, the referral workflow (attendance, outcome).
# Squashed by hand from two parallel 0002 migrations and their merge, none ever released: databases
# that applied the old names (app_bench, developers' SQLite files) take this one as applied.

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('contracts', '0002_social_contracts_and_family_programmes'),
        ('contracts', '0002_referral_workflow_attendance_outcome'),
        ('contracts', '0003_merge_20261125_1257'),
    ]

    dependencies = [
        ('contracts', '0001_initial'),
        ('families', '0002_needs_diagnosis'),
        ('support_network', '0002_catalogue_agreements_meetings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FamilyProgramme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(default='Program rodzinny', max_length=200, verbose_name='tytuł')),
                ('prepared_by', models.CharField(choices=[('mgi', 'Mobilna Grupa Interdyscyplinarna (MGI)'), ('social_worker', 'pracownik socjalny')], max_length=20, verbose_name='przygotowany przez')),
                ('summary', models.TextField(blank=True, verbose_name='opis sytuacji rodziny i założenia programu')),
                ('period_start', models.DateField(verbose_name='realizacja od')),
                ('period_end', models.DateField(verbose_name='realizacja do')),
                ('status', models.CharField(choices=[('draft', 'projekt'), ('submitted', 'przekazany do zatwierdzenia'), ('returned', 'zwrócony do poprawy'), ('approved', 'zatwierdzony'), ('in_implementation', 'w realizacji'), ('completed', 'zakończony')], db_index=True, default='draft', max_length=20, verbose_name='status')),
                ('status_changed_at', models.DateTimeField(auto_now_add=True, verbose_name='zmiana statusu')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='przekazano do zatwierdzenia')),
                ('lock_version', models.PositiveIntegerField(default=1, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='autor')),
                ('diagnosis', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='programmes', to='families.needsdiagnosis', verbose_name='diagnoza potrzeb')),
                ('family', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='programmes', to='families.family', verbose_name='rodzina')),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='programmes', to='support_network.team', verbose_name='zespół MGI')),
            ],
            options={
                'verbose_name': 'program rodzinny',
                'verbose_name_plural': 'programy rodzinne',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ProgrammeAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('module', models.CharField(choices=[('employment', 'moduł prozatrudnieniowy'), ('social', 'moduł społeczny i integracyjny'), ('family', 'moduł rodzinny'), ('sport_culture', 'moduł sport i kultura'), ('accompanying', 'wsparcie towarzyszące (opieka nad dziećmi, zdrowie)')], max_length=20, verbose_name='moduł')),
                ('description', models.TextField(blank=True, verbose_name='opis działania')),
                ('start_on', models.DateField(verbose_name='planowany początek')),
                ('end_on', models.DateField(verbose_name='planowany koniec')),
                ('expected_result', models.TextField(verbose_name='oczekiwany rezultat')),
                ('done_on', models.DateField(blank=True, null=True, verbose_name='wykonano dnia')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='kolejność')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='families.person', verbose_name='osoba')),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='contracts.familyprogramme')),
                ('service', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='programme_actions', to='support_network.service', verbose_name='usługa z katalogu')),
            ],
            options={
                'verbose_name': 'działanie programu',
                'verbose_name_plural': 'działania programu',
                'ordering': ['module', 'start_on', 'order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ProgrammeGoal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(verbose_name='cel')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='kolejność')),
                ('person', models.ForeignKey(blank=True, help_text='Puste = cel całej rodziny.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='families.person', verbose_name='członek rodziny')),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='contracts.familyprogramme')),
            ],
            options={
                'verbose_name': 'cel programu',
                'verbose_name_plural': 'cele programu',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ProgrammeVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(verbose_name='wersja')),
                ('submitted_at', models.DateTimeField(auto_now_add=True, verbose_name='przekazano')),
                ('snapshot', models.JSONField(editable=False, verbose_name='treść wersji')),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='contracts.familyprogramme')),
                ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'wersja programu',
                'verbose_name_plural': 'wersje programu',
                'ordering': ['number'],
            },
        ),
        migrations.CreateModel(
            name='ProgrammeEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('created', 'utworzono projekt'), ('submitted', 'przekazano do zatwierdzenia'), ('returned', 'zwrócono do poprawy'), ('approved', 'zatwierdzono'), ('started', 'rozpoczęto realizację'), ('completed', 'zakończono realizację')], max_length=20, verbose_name='zdarzenie')),
                ('comment', models.TextField(blank=True, verbose_name='komentarz')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='kiedy')),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='contracts.familyprogramme')),
                ('version', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='contracts.programmeversion')),
            ],
            options={
                'verbose_name': 'zdarzenie programu',
                'verbose_name_plural': 'zdarzenia programu',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='SocialContract',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('A', 'typ A – osoba lub rodzina i pracownik socjalny'), ('B', 'typ B – osoba skierowana przez PUP')], default='A', max_length=1, verbose_name='typ kontraktu')),
                ('number', models.CharField(blank=True, max_length=40, verbose_name='numer kontraktu')),
                ('concluded_on', models.DateField(verbose_name='data zawarcia')),
                ('signed_on', models.DateField(blank=True, null=True, verbose_name='data podpisania')),
                ('period_start', models.DateField(verbose_name='okres obowiązywania od')),
                ('period_end', models.DateField(verbose_name='okres obowiązywania do')),
                ('causes', models.TextField(verbose_name='przyczyny trudnej sytuacji życiowej')),
                ('resources', models.TextField(blank=True, verbose_name='możliwości i zasoby (mocne strony)')),
                ('limitations', models.TextField(blank=True, verbose_name='ograniczenia i bariery')),
                ('pup_referral', models.CharField(blank=True, help_text='Tylko kontrakt typu B.', max_length=120, verbose_name='skierowanie z PUP (numer i data)')),
                ('unemployment_causes', models.TextField(blank=True, verbose_name='przyczyny pozostawania bez pracy')),
                ('previous_activation', models.TextField(blank=True, verbose_name='dotychczasowe działania aktywizacyjne')),
                ('activation_failure', models.TextField(blank=True, verbose_name='przyczyny niepowodzenia dotychczasowej aktywizacji')),
                ('main_goal', models.TextField(verbose_name='cel główny')),
                ('evaluation_method', models.TextField(default='Rozmowa oceniająca z pracownikiem socjalnym w wyznaczonych terminach oceny.', verbose_name='sposób oceny realizacji')),
                ('status', models.CharField(choices=[('draft', 'projekt'), ('active', 'zawarty'), ('amended', 'zawarty – zmieniony aneksem'), ('completed_achieved', 'zrealizowany – cele osiągnięte'), ('completed_partial', 'zakończony – cele osiągnięte częściowo'), ('terminated_noncompliance', 'rozwiązany – niewywiązywanie się z kontraktu'), ('terminated_circumstances', 'rozwiązany – zmiana okoliczności'), ('terminated_other', 'rozwiązany – inna przyczyna'), ('expired', 'wygasł bez oceny'), ('refused', 'odmowa zawarcia')], db_index=True, default='draft', max_length=30, verbose_name='status')),
                ('status_changed_at', models.DateTimeField(auto_now_add=True, verbose_name='zmiana statusu')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='data zakończenia')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('covered_members', models.ManyToManyField(blank=True, related_name='covered_by_contracts', to='families.person', verbose_name='członkowie rodziny objęci kontraktem')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='utworzył')),
                ('family', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='social_contracts', to='families.family', verbose_name='rodzina')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='social_contracts', to='support_network.institution', verbose_name='ośrodek (OPS)')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='social_contracts', to='families.person', verbose_name='osoba zawierająca kontrakt')),
                ('social_worker', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='social_contracts', to=settings.AUTH_USER_MODEL, verbose_name='pracownik socjalny')),
            ],
            options={
                'verbose_name': 'kontrakt socjalny',
                'verbose_name_plural': 'kontrakty socjalne',
                'ordering': ['-concluded_on', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ContractGoal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='kolejność')),
                ('text', models.TextField(verbose_name='cel szczegółowy')),
                ('achievement', models.CharField(blank=True, choices=[('achieved', 'osiągnięty'), ('partly', 'osiągnięty częściowo'), ('not_achieved', 'nieosiągnięty')], max_length=20, verbose_name='ocena osiągnięcia')),
                ('achievement_note', models.TextField(blank=True, verbose_name='uzasadnienie oceny')),
                ('contract', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='contracts.socialcontract')),
            ],
            options={
                'verbose_name': 'cel szczegółowy',
                'verbose_name_plural': 'cele szczegółowe',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ContractEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('from_status', models.CharField(blank=True, choices=[('draft', 'projekt'), ('active', 'zawarty'), ('amended', 'zawarty – zmieniony aneksem'), ('completed_achieved', 'zrealizowany – cele osiągnięte'), ('completed_partial', 'zakończony – cele osiągnięte częściowo'), ('terminated_noncompliance', 'rozwiązany – niewywiązywanie się z kontraktu'), ('terminated_circumstances', 'rozwiązany – zmiana okoliczności'), ('terminated_other', 'rozwiązany – inna przyczyna'), ('expired', 'wygasł bez oceny'), ('refused', 'odmowa zawarcia')], max_length=30, verbose_name='poprzedni status')),
                ('to_status', models.CharField(choices=[('draft', 'projekt'), ('active', 'zawarty'), ('amended', 'zawarty – zmieniony aneksem'), ('completed_achieved', 'zrealizowany – cele osiągnięte'), ('completed_partial', 'zakończony – cele osiągnięte częściowo'), ('terminated_noncompliance', 'rozwiązany – niewywiązywanie się z kontraktu'), ('terminated_circumstances', 'rozwiązany – zmiana okoliczności'), ('terminated_other', 'rozwiązany – inna przyczyna'), ('expired', 'wygasł bez oceny'), ('refused', 'odmowa zawarcia')], max_length=30, verbose_name='nowy status')),
                ('on', models.DateField(verbose_name='data zdarzenia')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='zapisano')),
                ('reason', models.TextField(blank=True, verbose_name='uzasadnienie')),
                ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('contract', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='contracts.socialcontract')),
            ],
            options={
                'verbose_name': 'zmiana statusu kontraktu',
                'verbose_name_plural': 'zmiany statusu kontraktów',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ContractEvaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('due_on', models.DateField(verbose_name='termin oceny')),
                ('held_on', models.DateField(blank=True, null=True, verbose_name='ocena przeprowadzona dnia')),
                ('result', models.TextField(blank=True, verbose_name='wynik oceny')),
                ('reminded_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='przypomnienie wysłane')),
                ('held_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('contract', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='contracts.socialcontract')),
            ],
            options={
                'verbose_name': 'termin oceny',
                'verbose_name_plural': 'terminy oceny',
                'ordering': ['due_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ContractAmendment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='numer aneksu')),
                ('amended_on', models.DateField(verbose_name='data aneksu')),
                ('content', models.TextField(verbose_name='treść zmiany')),
                ('reason', models.TextField(verbose_name='powód zmiany')),
                ('new_period_end', models.DateField(blank=True, null=True, verbose_name='nowy koniec okresu')),
                ('previous', models.JSONField(default=dict, editable=False, verbose_name='treść kontraktu przed zmianą')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('contract', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='amendments', to='contracts.socialcontract')),
            ],
            options={
                'verbose_name': 'aneks do kontraktu',
                'verbose_name_plural': 'aneksy do kontraktu',
                'ordering': ['number'],
            },
        ),
        migrations.CreateModel(
            name='ContractAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='kolejność')),
                ('description', models.TextField(verbose_name='działanie / zobowiązanie')),
                ('owner', models.CharField(choices=[('client', 'osoba (klient)'), ('family_member', 'członek rodziny'), ('ops', 'pracownik socjalny / OPS'), ('partner', 'instytucja partnerska')], max_length=20, verbose_name='kto realizuje')),
                ('deadline', models.DateField(verbose_name='termin')),
                ('done_on', models.DateField(blank=True, null=True, verbose_name='wykonano dnia')),
                ('reminded_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='przypomnienie wysłane')),
                ('owner_institution', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='support_network.institution', verbose_name='instytucja')),
                ('owner_person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='families.person', verbose_name='członek rodziny')),
                ('contract', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='contracts.socialcontract')),
            ],
            options={
                'verbose_name': 'działanie kontraktu',
                'verbose_name_plural': 'działania kontraktu',
                'ordering': ['deadline', 'order', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='familyprogramme',
            constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='programme_period_ordered'),
        ),
        migrations.AddConstraint(
            model_name='familyprogramme',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'submitted'), _negated=True), ('submitted_at__isnull', False), _connector='OR'), name='submitted_programme_has_submission_time'),
        ),
        migrations.AddConstraint(
            model_name='programmeaction',
            constraint=models.CheckConstraint(condition=models.Q(('service__isnull', False), models.Q(('description', ''), _negated=True), _connector='OR'), name='programme_action_service_or_text'),
        ),
        migrations.AddConstraint(
            model_name='programmeaction',
            constraint=models.CheckConstraint(condition=models.Q(('service__isnull', True), ('person__isnull', False), _connector='OR'), name='catalogue_action_names_the_person'),
        ),
        migrations.AddConstraint(
            model_name='programmeaction',
            constraint=models.CheckConstraint(condition=models.Q(('end_on__gte', models.F('start_on'))), name='programme_action_dates'),
        ),
        migrations.AddConstraint(
            model_name='programmeversion',
            constraint=models.UniqueConstraint(fields=('programme', 'number'), name='programme_version_unique'),
        ),
        migrations.AddConstraint(
            model_name='programmeevent',
            constraint=models.UniqueConstraint(condition=models.Q(('kind__in', ['returned', 'approved'])), fields=('version',), name='one_decision_per_version'),
        ),
        migrations.AddIndex(
            model_name='socialcontract',
            index=models.Index(fields=['social_worker', 'status'], name='contracts_s_social__00677e_idx'),
        ),
        migrations.AddConstraint(
            model_name='socialcontract',
            constraint=models.CheckConstraint(condition=models.Q(('period_end__gte', models.F('period_start'))), name='contract_period_ordered'),
        ),
        migrations.AddConstraint(
            model_name='socialcontract',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'draft'), ('status', 'refused'), ('signed_on__isnull', False), _connector='OR'), name='concluded_contract_has_signed_date'),
        ),
        migrations.AddConstraint(
            model_name='socialcontract',
            constraint=models.UniqueConstraint(condition=models.Q(('number', ''), _negated=True), fields=('institution', 'number'), name='contract_number_unique_per_ops'),
        ),
        migrations.AddConstraint(
            model_name='contractevaluation',
            constraint=models.CheckConstraint(condition=models.Q(('held_on__isnull', True), models.Q(('result', ''), _negated=True), _connector='OR'), name='held_evaluation_has_result'),
        ),
        migrations.AddConstraint(
            model_name='contractamendment',
            constraint=models.UniqueConstraint(fields=('contract', 'number'), name='amendment_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='contractaction',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('owner', 'family_member'), _negated=True), ('owner_person__isnull', False), _connector='OR'), name='family_member_action_names_the_person'),
        ),
        migrations.AddConstraint(
            model_name='contractaction',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('owner', 'partner'), _negated=True), ('owner_institution__isnull', False), _connector='OR'), name='partner_action_names_the_institution'),
        ),
        migrations.CreateModel(
            name='ReferralAttendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('held_on', models.DateField(verbose_name='data')),
                ('sessions', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='liczba spotkań/zajęć')),
                ('hours', models.DecimalField(decimal_places=2, max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0.25')), django.core.validators.MaxValueValidator(Decimal('500'))], verbose_name='liczba godzin')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='uwagi')),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
                ('idempotency_key', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
            ],
            options={
                'verbose_name': 'obecność',
                'verbose_name_plural': 'obecności',
                'ordering': ['held_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ReferralOutcome',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('completed', models.BooleanField(default=True, verbose_name='ukończył(a) usługę zgodnie z planem')),
                ('qualification_obtained', models.BooleanField(default=False, verbose_name='uzyskał(a) kwalifikację')),
                ('qualification_name', models.CharField(blank=True, max_length=200, verbose_name='kwalifikacja')),
                ('qualification_on', models.DateField(blank=True, null=True, verbose_name='data uzyskania kwalifikacji')),
                ('employed', models.BooleanField(default=False, verbose_name='podjął(ęła) zatrudnienie')),
                ('employer', models.CharField(blank=True, max_length=200, verbose_name='pracodawca')),
                ('employment_form', models.CharField(blank=True, choices=[('umowa_o_prace', 'umowa o pracę'), ('umowa_cywilnoprawna', 'umowa cywilnoprawna'), ('dzialalnosc', 'działalność gospodarcza'), ('dzialalnosc_efs', 'działalność gospodarcza z dotacji EFS')], max_length=30, verbose_name='forma zatrudnienia')),
                ('employment_start', models.DateField(blank=True, null=True, verbose_name='data rozpoczęcia pracy')),
                ('note', models.TextField(blank=True, verbose_name='uwagi')),
                ('recorded_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'rezultat skierowania',
                'verbose_name_plural': 'rezultaty skierowań',
            },
        ),
        migrations.AddField(
            model_name='referral',
            name='answer_due',
            field=models.DateField(blank=True, help_text='N dni roboczych od wysłania (ustawienie instytucji).', null=True, verbose_name='termin odpowiedzi'),
        ),
        migrations.AddField(
            model_name='referral',
            name='answered_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='odpowiedź partnera'),
        ),
        migrations.AddField(
            model_name='referral',
            name='drop_reason',
            field=models.TextField(blank=True, verbose_name='powód przerwania'),
        ),
        migrations.AddField(
            model_name='referral',
            name='finished_on',
            field=models.DateField(blank=True, null=True, verbose_name='zakończenie'),
        ),
        migrations.AddField(
            model_name='referral',
            name='overdue_at',
            field=models.DateTimeField(blank=True, help_text='Ustawiane przez codzienne zadanie; kierujący dostaje wtedy powiadomienie.', null=True, verbose_name='oznaczone jako przeterminowane'),
        ),
        migrations.AddField(
            model_name='referral',
            name='overdue_notified_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='kierujący powiadomiony o braku odpowiedzi'),
        ),
        migrations.AddField(
            model_name='referral',
            name='queued_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='wpisane na listę rezerwową'),
        ),
        migrations.AddField(
            model_name='referral',
            name='rejection_reason',
            field=models.TextField(blank=True, verbose_name='powód odrzucenia'),
        ),
        migrations.AddField(
            model_name='referral',
            name='sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='wysłane'),
        ),
        migrations.AddField(
            model_name='referral',
            name='started_on',
            field=models.DateField(blank=True, null=True, verbose_name='rozpoczęcie'),
        ),
        migrations.AddField(
            model_name='referralevent',
            name='kind',
            field=models.CharField(choices=[('status', 'zmiana statusu'), ('attendance', 'obecność'), ('outcome', 'rezultat'), ('overdue', 'brak odpowiedzi w terminie')], default='status', max_length=20, verbose_name='rodzaj'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['created_by', 'status'], name='contracts_r_created_9d07e1_idx'),
        ),
        migrations.AddIndex(
            model_name='referral',
            index=models.Index(fields=['status', 'answer_due'], name='contracts_r_status_8a8970_idx'),
        ),
        migrations.AddIndex(
            model_name='referralevent',
            index=models.Index(fields=['referral', 'at'], name='contracts_r_referra_903d4c_idx'),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'rejected'), _negated=True), models.Q(('rejection_reason', ''), _negated=True), _connector='OR'), name='rejected_referral_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'dropped'), _negated=True), models.Q(('drop_reason', ''), _negated=True), _connector='OR'), name='dropped_referral_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'sent'), _negated=True), models.Q(('sent_at__isnull', False), ('answer_due__isnull', False)), _connector='OR'), name='sent_referral_has_answer_due'),
        ),
        migrations.AddConstraint(
            model_name='referral',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'waiting'), _negated=True), ('queued_at__isnull', False), _connector='OR'), name='waiting_referral_is_queued'),
        ),
        migrations.AddField(
            model_name='referralattendance',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='referralattendance',
            name='referral',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='contracts.referral'),
        ),
        migrations.AddField(
            model_name='referraloutcome',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='referraloutcome',
            name='referral',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='outcome', to='contracts.referral'),
        ),
        migrations.AddConstraint(
            model_name='referralattendance',
            constraint=models.CheckConstraint(condition=models.Q(('hours__gt', 0)), name='attendance_hours_positive'),
        ),
        migrations.AddConstraint(
            model_name='referralattendance',
            constraint=models.CheckConstraint(condition=models.Q(('sessions__gt', 0)), name='attendance_sessions_positive'),
        ),
        migrations.AddConstraint(
            model_name='referraloutcome',
            constraint=models.CheckConstraint(condition=models.Q(('qualification_obtained', False), ('qualification_on__isnull', False), _connector='OR'), name='qualification_has_date'),
        ),
        migrations.AddConstraint(
            model_name='referraloutcome',
            constraint=models.CheckConstraint(condition=models.Q(('employed', False), models.Q(models.Q(('employer', ''), _negated=True), models.Q(('employment_form', ''), _negated=True), ('employment_start__isnull', False)), _connector='OR'), name='employment_has_employer_form_and_start'),
        ),
    ]

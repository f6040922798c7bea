"""python manage.py render_report --project AGREEMENT_NUMBER --from … --to … -o FILE.pdf

Runs the report service synchronously: records a ReportRun (requested by nobody = the command
line), renders it exactly as the Celery task does, and copies the PDF to FILE."""

import shutil

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from reporting.management.commands.indicators import add_project_period_arguments, project_and_period
from reporting.models import ReportStatus
from reporting.services.reports import report_render, report_request


class Command(BaseCommand):
    help = "Raport z postępu wskaźników (PDF) wygenerowany synchronicznie."

    def add_arguments(self, parser):
        add_project_period_arguments(parser)
        parser.add_argument("-o", "--output", required=True, help="plik PDF")

    def handle(self, *args, **options):
        project, date_from, date_to = project_and_period(options)
        try:
            run, _created = report_request(project=project, date_from=date_from, date_to=date_to, by=None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if run.status == ReportStatus.RUNNING:
            raise CommandError(f"Ten raport jest właśnie generowany (zlecenie #{run.pk}); spróbuj za chwilę.")
        report_render(run_id=run.pk)
        run.refresh_from_db()
        if run.status != ReportStatus.DONE:
            raise CommandError(f"Raport #{run.pk} nie powstał: {run.error}")
        with run.file.open("rb") as source, open(options["output"], "wb") as target:
            shutil.copyfileobj(source, target)
        self.stdout.write(f"Zapisano {options['output']} (raport #{run.pk})")

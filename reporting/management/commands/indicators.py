"""python manage.py indicators --project AGREEMENT_NUMBER [--from YYYY-MM-DD] [--to YYYY-MM-DD] --format json"""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from reporting.rulesets import project_table
from reporting.selectors.indicators import default_period
from support_network.models import Project


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{option}: niepoprawna data {value!r} (oczekiwano RRRR-MM-DD)") from exc


def add_project_period_arguments(parser) -> None:
    """--project and the period --from/--to, read back by project_and_period()."""
    parser.add_argument("--project", required=True, help="numer umowy o dofinansowanie")
    parser.add_argument("--from", dest="from", help="początek okresu RRRR-MM-DD (domyślnie początek projektu)")
    parser.add_argument("--to", dest="to", help="koniec okresu RRRR-MM-DD (domyślnie dziś lub koniec projektu)")


def project_and_period(options) -> tuple[Project, dt.date, dt.date]:
    try:
        project = Project.objects.get(agreement_number=options["project"])
    except Project.DoesNotExist as exc:
        raise CommandError(f"Nie ma projektu o numerze umowy {options['project']!r}") from exc
    default_from, default_to = default_period(project)
    date_from = parse_date(options["from"], "--from") if options.get("from") else default_from
    date_to = parse_date(options["to"], "--to") if options.get("to") else default_to
    if date_from > date_to:
        raise CommandError("--from jest późniejsza niż --to")
    return project, date_from, date_to


class Command(BaseCommand):
    help = "Wskaźniki projektu według jego reguł (EFS_RULES.md lub proste zestawienia), w okresie i narastająco."

    def add_arguments(self, parser):
        add_project_period_arguments(parser)
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, **options):
        project, date_from, date_to = project_and_period(options)
        report = project_table(project, date_from=date_from, date_to=date_to)
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))

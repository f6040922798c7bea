"""python manage.py export_participants --project AGREEMENT_NUMBER --format xlsx|csv -o FILE"""

import sys

from django.core.management.base import BaseCommand, CommandError

from reporting.services.import_export import participants_export
from support_network.models import Project


class Command(BaseCommand):
    help = "Eksportuje uczestników projektu w układzie kolumn SL2014 (XLSX albo CSV), strumieniowo."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="numer umowy o dofinansowanie projektu")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("-o", "--output", required=True, help="plik wynikowy ('-' = stdout, tylko csv)")

    def handle(self, *args, **options):
        project = Project.objects.filter(agreement_number=options["project"]).first()
        if project is None:
            raise CommandError(f"Nie ma projektu o numerze umowy {options['project']!r}.")
        fmt, output = options["format"], options["output"]
        if output == "-":
            if fmt != "csv":
                raise CommandError("Na standardowe wyjście można pisać tylko CSV.")
            count = participants_export(project=project, fmt=fmt, out=sys.stdout)
        elif fmt == "csv":
            with open(output, "w", encoding="utf-8", newline="") as out:
                count = participants_export(project=project, fmt=fmt, out=out)
        else:
            with open(output, "wb") as out:
                count = participants_export(project=project, fmt=fmt, out=out)
        if output != "-":
            self.stdout.write(self.style.SUCCESS(f"Zapisano {count} uczestników do {output}."))

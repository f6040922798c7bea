"""python manage.py export_participants --project AGREEMENT_NUMBER --format xlsx|csv [--encoding cp1250]
[--period-from RRRR-MM-DD --period-to RRRR-MM-DD] -o FILE"""

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from core.crypto import require_keys
from reporting.importing.export_row import ClaimPeriod
from reporting.services.import_export import CSV_ENCODINGS, participants_export
from support_network.models import Project


class Command(BaseCommand):
    help = "Eksportuje uczestników projektu w układzie kolumn SL2014 (XLSX albo CSV), strumieniowo."
    # The system checks import every URL module, so every view and WeasyPrint (about 1.3 s and
    # 45 MB before the first row); the one check this command needs, the encryption keys, it runs
    # itself (core.crypto.require_keys).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="numer umowy o dofinansowanie projektu")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--encoding", choices=CSV_ENCODINGS, default="utf-8", help="kodowanie CSV")
        parser.add_argument("--period-from", type=dt.date.fromisoformat, help="wniosek za okres: od (RRRR-MM-DD)")
        parser.add_argument("--period-to", type=dt.date.fromisoformat, help="wniosek za okres: do (RRRR-MM-DD)")
        parser.add_argument("-o", "--output", required=True, help="plik wynikowy ('-' = stdout, tylko csv)")

    def handle(self, *args, **options):
        require_keys()
        project = Project.objects.filter(agreement_number=options["project"]).first()
        if project is None:
            raise CommandError(f"Nie ma projektu o numerze umowy {options['project']!r}.")
        fmt, output = options["format"], options["output"]
        start, end = options["period_from"], options["period_to"]
        if bool(start) != bool(end) or (start and end and start > end):
            raise CommandError("Podaj oba końce okresu wniosku (--period-from <= --period-to) albo żaden.")
        kwargs = {"project": project, "fmt": fmt, "encoding": options["encoding"],
                  "period": ClaimPeriod(start, end) if start and end else None}  # fmt: skip
        if output == "-":
            if fmt != "csv":
                raise CommandError("Na standardowe wyjście można pisać tylko CSV.")
            count = participants_export(out=sys.stdout.buffer, **kwargs)
        else:
            with open(output, "wb") as out:
                count = participants_export(out=out, **kwargs)
        if output != "-":
            message = ngettext(
                "Zapisano %(n)d uczestnika do %(path)s.", "Zapisano %(n)d uczestników do %(path)s.", count
            )
            self.stdout.write(self.style.SUCCESS(message % {"n": count, "path": output}))

"""python manage.py import_participants FILE --project AGREEMENT_NUMBER [--user USERNAME]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reporting.services.import_export import ImportRejected, participants_import
from support_network.models import Project


class Command(BaseCommand):
    help = ("Importuje uczestników projektu z pliku CSV lub XLSX w układzie eksportu SL2014: "
            "wszystkie wiersze albo żaden.")  # fmt: skip

    def add_arguments(self, parser):
        parser.add_argument("file", help="plik .csv (UTF-8, separator ; lub ,) albo .xlsx")
        parser.add_argument("--project", required=True, help="numer umowy o dofinansowanie projektu")
        parser.add_argument("--user", help="login osoby zatwierdzającej dane (zapisywany jako potwierdzający)")

    def handle(self, *args, **options):
        project = Project.objects.filter(agreement_number=options["project"]).first()
        if project is None:
            raise CommandError(f"Nie ma projektu o numerze umowy {options['project']!r}.")
        by = None
        if options.get("user"):
            by = get_user_model().objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"Nie ma użytkownika {options['user']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Nie ma pliku {path}.")
        with path.open("rb") as fileobj:
            try:
                summary = participants_import(project=project, fileobj=fileobj, filename=path.name, by=by)
            except ImportRejected as rejected:
                for error in rejected.errors:
                    self.stderr.write(str(error))
                raise CommandError(
                    f"Import odrzucony: {len(rejected.errors)} błędów. Nie zapisano żadnego wiersza."
                ) from None
        self.stdout.write(self.style.SUCCESS(
            f"Zaimportowano {summary.participations} uczestników ({summary.ended} z datą zakończenia), "
            f"{summary.outcomes} rezultatów, {summary.followups} zadań monitoringu."
        ))  # fmt: skip

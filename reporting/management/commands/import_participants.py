"""python manage.py import_participants FILE --project AGREEMENT_NUMBER [--commit] [--user USERNAME]

Without --commit: prints the preview (rows to create, to update, refused with reasons, data gaps,
indicators before → after) and changes nothing. With --commit: saves every row or none. The exit
status is non-zero whenever a row or the file is refused (nothing is saved then).
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reporting.importing.reader import Deadline
from reporting.services.participant_import import (
    ImportPreview,
    ImportRejected,
    participants_import,
    participants_preview,
    summary_message,
)
from support_network.models import Project


def preview_lines(preview: ImportPreview) -> list[str]:
    lines = [
        _("Plik: %(name)s (%(fmt)s%(enc)s)") % {"name": preview.filename, "fmt": preview.info.format.upper(),
                                                  "enc": f", {preview.info.encoding}" if preview.info.encoding else ""},
        _("Nowi uczestnicy: %(n)d") % {"n": len(preview.of("create"))},
        _("Do aktualizacji (ten sam PESEL w projekcie): %(n)d") % {"n": len(preview.of("update"))},
        _("Bez zmian: %(n)d") % {"n": len(preview.of("unchanged"))},
        _("Odrzucone wiersze: %(n)d") % {"n": len(preview.refused_rows)},
    ]  # fmt: skip
    for plan in preview.of("update"):
        lines.append(_("  wiersz %(row)d → uczestnictwo nr %(id)s: %(fields)s; nowe rezultaty: %(n)d") % {
            "row": plan.row, "id": plan.participation_id, "fields": ", ".join(plan.changes) or "—",
            "n": plan.new_outcomes})  # fmt: skip
    if preview.gaps:
        lines.append(_("Braki danych po imporcie:"))
        lines += [f"  {_('wiersz')} {plan.row}: {', '.join(plan.gaps)}" for plan in preview.gaps]
    if preview.indicators:
        lines.append(_("Wskaźniki narastająco (przed → po):"))
        lines += [f"  {i.code}: {i.before} → {i.after}{'  *' if i.changed else ''}" for i in preview.indicators]
    return lines


class Command(BaseCommand):
    help = ("Sprawdza plik uczestników projektu (CSV lub XLSX, układ SL2014) i pokazuje podgląd importu; "
            "z --commit zapisuje wszystkie wiersze albo żaden.")  # fmt: skip

    def add_arguments(self, parser):
        parser.add_argument("file", help="plik .csv (UTF-8 albo Windows-1250, separator ; lub ,) albo .xlsx")
        parser.add_argument("--project", required=True, help="numer umowy o dofinansowanie projektu")
        parser.add_argument("--commit", action="store_true", help="zapisz (bez tej opcji tylko podgląd)")
        parser.add_argument("--user", help="login kierownika: autor potwierdzenia danych i korekt (aktualizacje)")
        parser.add_argument(
            "--time-limit", type=int, default=None,
            help="limit czasu w sekundach (domyślnie 4 × PARTICIPANT_IMPORT_TIME_LIMIT; 0 = bez limitu)",
        )  # fmt: skip

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
        limit = options["time_limit"]
        deadline = Deadline(4 * settings.PARTICIPANT_IMPORT_TIME_LIMIT if limit is None else limit)
        with path.open("rb") as fileobj:
            preview = participants_preview(project=project, fileobj=fileobj, filename=path.name, by=by,
                                           deadline=deadline)  # fmt: skip
            self.stdout.write("\n".join(preview_lines(preview)))
            if preview.errors:
                self._refuse(preview.errors)
            if not options["commit"]:
                self.stdout.write(_("Podgląd – nic nie zapisano. Zapis: dodaj --commit."))
                return
            fileobj.seek(0)
            try:
                summary = participants_import(project=project, fileobj=fileobj, filename=path.name, by=by,
                                              deadline=deadline)  # fmt: skip
            except ImportRejected as rejected:
                self._refuse(rejected.errors)
        self.stdout.write(self.style.SUCCESS(summary_message(summary)))

    def _refuse(self, errors) -> None:
        for error in errors:
            self.stderr.write(str(error))
        raise CommandError(ngettext("Import odrzucony: %(n)d błąd. Nie zapisano żadnego wiersza.",
                                    "Import odrzucony: %(n)d błędów. Nie zapisano żadnego wiersza.",
                                    len(errors)) % {"n": len(errors)})  # fmt: skip

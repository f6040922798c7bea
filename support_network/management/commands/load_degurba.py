"""Load the DEGURBA class of each gmina from the official classification file (CSV or XLSX)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from support_network.territory import TerritoryFileError, degurba_load, parse_degurba


class Command(BaseCommand):
    help = (
        "Wczytuje klasy DEGURBA gmin z pliku CSV albo XLSX z kolumną kodu (LAU CODE, LAU_ID, TERYT, KOD) "
        "i kolumną DEGURBA (format: docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="Skąd pochodzi klasyfikacja (domyślnie: nazwa pliku).")

    def handle(self, *args, file: Path, source: str, **options):
        try:
            counts = degurba_load(parse_degurba(file.read_bytes(), file.name), source=source or file.name)
        except (OSError, TerritoryFileError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("DEGURBA: wczytano {loaded}, pominięto kodów spoza rejestru: {unknown}.".format(**counts))

"""Load a newer official TERC file (GUS, "urzędowy" variant) into the register."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from support_network.territory import TerritoryFileError, parse_terc, teryt_load


class Command(BaseCommand):
    help = (
        "Wczytuje urzędowy plik TERC (GUS) do rejestru TERYT; jednostki, których nie ma w pliku, "
        "zostają jako nieobowiązujące."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="TERC_Urzedowy_RRRR-MM-DD.csv")

    def handle(self, *args, file: Path, **options):
        try:
            counts = teryt_load(parse_terc(file.read_bytes()))
        except (OSError, TerritoryFileError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("TERYT: dodano {created}, zmieniono {updated}, wycofano {retired}.".format(**counts))

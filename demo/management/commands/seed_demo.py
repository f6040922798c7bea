"""Load the demo partnership (idempotent): `python manage.py seed_demo`.

Each room's demo data lives in demo/seeders/<room>.py; they run in the rooms' order inside one
transaction.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from demo.seeders import contracts, families, placements, reporting, sessions, support_network

SEEDERS = (support_network.seed, families.seed, contracts.seed, sessions.seed, reporting.seed, placements.seed)


class Command(BaseCommand):
    help = "Wczytuje dane demonstracyjne partnerstwa (można uruchamiać wielokrotnie)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for seed in SEEDERS:
                seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Dane demonstracyjne gotowe."))

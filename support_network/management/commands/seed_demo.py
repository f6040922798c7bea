"""Load the demo partnership (idempotent): `python manage.py seed_demo`.

Each room contributes its part through a `demo.seed(stdout)` function listed in
settings.DEMO_SEEDERS, run in order inside one transaction.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Wczytuje dane demonstracyjne partnerstwa (można uruchamiać wielokrotnie)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for dotted in settings.DEMO_SEEDERS:
                import_string(dotted)(self.stdout)
        self.stdout.write(self.style.SUCCESS("Dane demonstracyjne gotowe."))

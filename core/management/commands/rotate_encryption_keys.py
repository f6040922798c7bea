"""`manage.py rotate_encryption_keys`: re-encrypt every encrypted column under the current key and
recompute every keyed hash under the current hash key (docs/security.md, "Encryption at rest").

Run it after putting a new key first in FIELD_ENCRYPTION_KEYS (or PESEL_HASH_KEYS) with the old
keys still listed after it; when it has finished, the old keys can be removed. It works in batches,
each in its own transaction, and is idempotent: an interrupted run is simply started again.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.crypto import encrypted_fields, hash_fields, keyed_hash

BATCH = 500


def rotate_model(model) -> int:
    """Re-save the model's encrypted and hash columns, batch by batch; returns the number of rows."""
    encrypted, hashes = encrypted_fields(model), hash_fields(model)
    names = [*encrypted, *(f.name for f in hashes)]
    sources = {f.source for f in hashes}
    manager, last, done = model._base_manager, 0, 0
    while True:
        with transaction.atomic():
            rows = list(manager.filter(pk__gt=last).order_by("pk").only("pk", *encrypted, *sources)[:BATCH])
            if not rows:
                return done
            for row in rows:  # reading decrypted with any listed key; saving encrypts with the first
                for field in hashes:
                    setattr(row, field.attname, keyed_hash(getattr(row, field.source) or ""))
            manager.bulk_update(rows, names)
        last, done = rows[-1].pk, done + len(rows)


class Command(BaseCommand):
    help = (
        "Re-encrypts every encrypted column under the first key of FIELD_ENCRYPTION_KEYS and recomputes "
        "every PESEL hash under the first key of PESEL_HASH_KEYS."
    )

    def handle(self, *args, **options):
        for model in apps.get_models():
            if encrypted_fields(model) or hash_fields(model):
                count = rotate_model(model)
                self.stdout.write(f"{model._meta.label}: {count}")
        self.stdout.write(self.style.SUCCESS("Gotowe: usuń stare klucze z konfiguracji."))

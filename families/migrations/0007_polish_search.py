"""Person.search_name: "nazwisko imię" folded (core.text.fold), filled for existing rows; on
PostgreSQL the pg_trgm extension and a GIN trigram index on it (a typo in the surname still finds
the person). On SQLite only the column (searches there are exact folded `contains`)."""

from django.contrib.postgres.operations import TrigramExtension


class PostgresTrigramExtension(TrigramExtension):
    """pg_trgm on PostgreSQL, nothing elsewhere in both directions: Django's operation skips other
    databases going forwards only, and backwards asks SQLite for pg_extension."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
from django.db import migrations

import core.text

INDEX = "families_person_search_name_trgm"


def fill(apps, schema_editor):
    Person = apps.get_model("families", "Person")
    batch = []
    for person in Person.objects.only("pk", "first_name", "last_name").iterator(chunk_size=2000):
        person.search_name = core.text.fold(f"{person.last_name} {person.first_name}")[:210]
        batch.append(person)
        if len(batch) >= 2000:
            Person.objects.bulk_update(batch, ["search_name"])
            batch = []
    Person.objects.bulk_update(batch, ["search_name"])


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON families_person USING gin (search_name gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0006_merge_security_and_sl2014"),
    ]

    operations = [
        PostgresTrigramExtension(),  # a no-op on SQLite
        migrations.AddField(
            model_name="person",
            name="search_name",
            field=core.text.FoldedField(max_length=210, sources=("last_name", "first_name")),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]

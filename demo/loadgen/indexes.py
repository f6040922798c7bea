"""The big tables' secondary indexes and foreign keys set aside during the load (PostgreSQL).

Loading rows into a table with its indexes in place inserts every row into every index, one at a
time and in random order (the trigram index of the persons' names, the families' nine); and every
foreign key, `DEFERRABLE INITIALLY DEFERRED` in Django's schema, queues one check per row that runs
at the commit (about a quarter of scale XL's time). `DeferredIndexes` drops them at the start of the
load's transaction and creates them again, from the definitions PostgreSQL gave
(`pg_get_indexdef`, `pg_get_constraintdef`: the same names, columns, conditions and deferrability),
before the commit: an index is then built with one sort and a foreign key checked with one join.
Primary keys and unique indexes stay (they check the generated data), and so do partial indexes
(small, and PostgreSQL would print a recreated `status IN (...)` condition differently: the schema
must stay the same, text included, as `pg_dump --schema-only` shows). Nothing else may use the
database during the load (`generate_load_data` requires an empty one); if the load fails, the
transaction's rollback restores the dropped objects with everything else.
"""

from django.db import connection

INDEXES = """
    SELECT c.relname, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    WHERE c.relname = ANY(%s) AND c.relnamespace = current_schema()::regnamespace
      AND NOT i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
    ORDER BY 1, 2"""
FOREIGN_KEYS = """
    SELECT c.relname, k.conname, pg_get_constraintdef(k.oid)
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
    WHERE k.contype = 'f' AND c.relname = ANY(%s) AND c.relnamespace = current_schema()::regnamespace
    ORDER BY 1, 2"""


class DeferredIndexes:
    """`drop()` at the start of the transaction; `restore(model)` recreates one table's objects
    early (a step that queries it), `restore_all()` the rest before the commit."""

    def __init__(self, models):
        self.tables = [model._meta.db_table for model in models]
        self.indexes: list[tuple[str, str, str]] = []
        self.foreign_keys: list[tuple[str, str, str]] = []

    def drop(self) -> int:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(INDEXES, [self.tables])
            self.indexes = cursor.fetchall()
            cursor.execute(FOREIGN_KEYS, [self.tables])
            self.foreign_keys = cursor.fetchall()
            for table, name, _ in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for _, name, _ in self.indexes:
                cursor.execute(f"DROP INDEX {name}")  # regclass::text: already quoted where needed
        return len(self.indexes) + len(self.foreign_keys)

    def restore(self, model) -> int:
        return self._create(model._meta.db_table)

    def restore_all(self) -> int:
        return self._create(None)

    def _create(self, only: str | None) -> int:
        quote = connection.ops.quote_name
        indexes = [item for item in self.indexes if only in (None, item[0])]
        keys = [item for item in self.foreign_keys if only in (None, item[0])]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # sorts in memory, up to XL's visits
            for _, _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in keys:
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        self.indexes = [item for item in self.indexes if item not in indexes]
        self.foreign_keys = [item for item in self.foreign_keys if item not in keys]
        return len(indexes) + len(keys)

from django.db import migrations

INDEX = "auditlog_logentry_object_changes"


def index_object_changes(apps, schema_editor):
    """The change history of a family reads its own entries newest first from this index; the ACCESS
    entries (one per view of the page, thousands for a family opened daily) are left out of it, so
    they no longer push PostgreSQL to walk the whole log by time (docs/performance.md)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON auditlog_logentry "
            '(content_type_id, object_id, "timestamp") WHERE action <> 3'
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("auditlog", "0017_add_actor_email"),
        ("families", "0009_perf_caseload_indexes"),
    ]

    operations = [migrations.RunPython(index_object_changes, drop_index)]

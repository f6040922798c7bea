"""Re-mask the PESELs and document numbers in change diffs written before
AUDITLOG_MASK_CALLABLE = core.access_log.mask_fully: auditlog's default mask kept the second half
(six digits of a PESEL, which with the birth date rebuild the number). Issue 11, finding 7."""

from django.db import migrations

MASK = "•••••"  # core.access_log.MASK, copied: a migration keeps the value it was written with
MASKED = {("families", "person"): ("pesel", "foreign_document_number"), ("reporting", "participation"): ("pesel",)}


def _mask(value):
    return value if value in ("", "None", None) else MASK


def remask(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    for (app_label, model), fields in MASKED.items():
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            continue
        for entry in LogEntry.objects.filter(content_type=content_type).exclude(changes=None).iterator():
            changes = entry.changes if isinstance(entry.changes, dict) else None
            if not changes or not any(name in changes for name in fields):
                continue
            for name in fields:
                if isinstance(changes.get(name), list):
                    changes[name] = [_mask(value) for value in changes[name]]
            LogEntry.objects.filter(pk=entry.pk).update(changes=changes, changes_text="")


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0004_seed_social_competence_instrument"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]

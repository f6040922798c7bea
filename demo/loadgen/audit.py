"""Change history like a real office's: the audit log entries of the families and their members."""

import datetime as dt

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from demo.loadgen.base import BATCH
from families.models import Family, Person


def create_audit_history(staff, family_ids: list[int]) -> int:
    """Per family: its creation and one edit; per member: the creation, with the family id in the
    entry's additional data as the app's audit log keeps it (families/apps.py). Bulk-inserted."""
    family_ct = ContentType.objects.get_for_model(Family)
    person_ct = ContentType.objects.get_for_model(Person)
    workers = staff["workers"]
    start = timezone.now() - dt.timedelta(days=700)
    rows, created = [], 0

    def entry(ct, pk, n, action, changes, extra=None):
        return LogEntry(
            content_type=ct, object_pk=str(pk), object_id=pk, object_repr=str(pk), action=action,
            changes=changes, changes_text="", actor=workers[n % len(workers)],
            timestamp=start + dt.timedelta(minutes=37 * n), additional_data=extra,
        )  # fmt: skip

    persons = Person.objects.filter(family_id__in=family_ids).values_list("pk", "family_id")
    for n, family_id in enumerate(family_ids):
        rows.append(entry(family_ct, family_id, n, LogEntry.Action.CREATE, {"status": ["None", "candidate"]}))
        rows.append(entry(family_ct, family_id, n + 1, LogEntry.Action.UPDATE, {"status": ["candidate", "active"]}))
    for n, (person_id, family_id) in enumerate(persons.iterator(chunk_size=BATCH)):
        rows.append(entry(person_ct, person_id, n, LogEntry.Action.CREATE, {"first_name": ["None", "***"]},
                          {"family_id": family_id}))  # fmt: skip
        if len(rows) >= BATCH * 4:
            LogEntry.objects.bulk_create(rows, batch_size=BATCH)
            created, rows = created + len(rows), []
    LogEntry.objects.bulk_create(rows, batch_size=BATCH)
    return created + len(rows)

"""Change history like a real office's: the audit log entries of the families and their members."""

import datetime as dt
import json

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from demo.loadgen.parallel import PARTS, copy_rows_in_children
from demo.loadgen.world import World, at
from families.models import Family, Person

COLUMNS = ["content_type_id", "object_pk", "object_id", "object_repr", "action", "changes", "changes_text", "actor_id",
           "timestamp", "additional_data"]  # fmt: skip


def create_audit_history(world: World) -> int:
    """Per family: its creation and one edit; per member: the creation, with the family id in the
    entry's additional data as the app's audit log keeps it (families/apps.py)."""
    family_ct = ContentType.objects.get_for_model(Family).pk
    person_ct = ContentType.objects.get_for_model(Person).pk
    created = {f.pk: f.created_at for f in world.families}
    worker = {f.pk: f.social_worker_id for f in world.families}
    minute = dt.timedelta(minutes=1)

    families, persons = world.families, world.persons

    def rows(part: int):  # the families' entries in PARTS blocks, then the persons' (the order of old)
        if part < PARTS:
            yield from family_rows(families[len(families) * part // PARTS : len(families) * (part + 1) // PARTS])
        else:
            part -= PARTS
            yield from person_rows(persons[len(persons) * part // PARTS : len(persons) * (part + 1) // PARTS])

    def family_rows(block):
        for family in block:
            when = family.created_at
            yield (
                family_ct,
                str(family.pk),
                family.pk,
                str(family.pk),
                LogEntry.Action.CREATE,
                json.dumps({"status": ["None", "candidate"]}),
                "",
                family.social_worker_id,
                when,
                None,
            )
            yield (family_ct, str(family.pk), family.pk, str(family.pk), LogEntry.Action.UPDATE,
                   json.dumps({"status": ["candidate", "active"]}), "", family.social_worker_id,
                   min(when + dt.timedelta(days=30), at(world.today)), None)  # fmt: skip

    def person_rows(block):
        for person in block:
            yield (person_ct, str(person.pk), person.pk, str(person.pk), LogEntry.Action.CREATE,
                   json.dumps({"first_name": ["None", "***"]}), "", worker[person.family_id],
                   created[person.family_id] + minute, json.dumps({"family_id": person.family_id}))  # fmt: skip

    return copy_rows_in_children(LogEntry, COLUMNS, 2 * PARTS, rows)

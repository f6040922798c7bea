"""Helpers to compare a project's participants field by field (reused by the round-trip tests;
an indicator comparison can be added next to `snapshot`)."""

import io

from reporting.models import Participation
from reporting.services.import_export import participants_export
from reporting.services.participant_import import participants_import
from reporting.services.validation import EXIT_FIELDS, OUTCOME_FIELDS, RECORD_FIELDS


def snapshot(project) -> list[tuple]:
    """Every participation of `project` with its outcome events, independent of ids and order."""
    rows = []
    qs = Participation.objects.filter(project=project).prefetch_related("outcomes")
    for p in qs:
        # the SL2014 file has no TERYT code column: the import finds the code from the names (the
        # factory's records were saved without one), so the code is not part of the comparison
        fields = [f for f in (*RECORD_FIELDS, *EXIT_FIELDS, "age_at_start") if f != "gmina_teryt"]
        record = tuple((field, getattr(p, field)) for field in fields)
        outcomes = sorted(tuple((f, str(getattr(o, f))) for f in OUTCOME_FIELDS) for o in p.outcomes.all())
        rows.append((record, p.is_frozen, tuple(outcomes)))
    return sorted(rows, key=repr)


def export_bytes(project, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    participants_export(project=project, fmt=fmt, out=out, **options)
    return out.getvalue()


def export_then_import(source, target, fmt: str, *, by=None):
    data = export_bytes(source, fmt)
    return participants_import(project=target, fileobj=io.BytesIO(data), filename=f"uczestnicy.{fmt}", by=by)

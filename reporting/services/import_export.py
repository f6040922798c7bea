"""Import and export of the participant file (SL2014 layout + documented extra columns).

- `participants_import`: validates EVERY row first, then saves all rows or none (one transaction,
  the project row locked); raises ImportRejected with row-numbered errors.
- `participants_export`: streams any number of rows: the queryset is read with
  `.iterator(chunk_size=...)` (outcome events prefetched per chunk), CSV is written row by row and
  XLSX through openpyxl's write-only workbook. Cells that a spreadsheet would run as a formula
  (leading = + - @, tab, CR) are neutralised.
"""

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from reporting.dates import add_months, effectiveness_window_end, result_window_end
from reporting.importing import layout
from reporting.importing.reader import FileError, read_rows
from reporting.importing.rows import RowError, validate_rows
from reporting.models import FollowUp, FollowUpKind, OutcomeEvent, Participation
from reporting.selectors.indicator_cache import indicator_data_changed
from reporting.services.participation import build_outcome_events, check_can_manage
from support_network.models import Project

EXPORT_CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass(frozen=True)
class ImportSummary:
    participations: int
    outcomes: int
    followups: int
    ended: int


def participants_import(*, project, fileobj, by, filename: str = "",
                        today: dt.date | None = None) -> ImportSummary:  # fmt: skip
    """All rows or none. Imported participations are confirmed (entry data frozen) and have no link
    to a person of the MOPS file (purpose separation). `by` is the project manager importing, or
    None for the `import_participants` command (an operator with shell access, no user needed)."""
    if by is not None:
        check_can_manage(by, project)
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            project = Project.objects.select_for_update().get(pk=project.pk)
            headers, rows = read_rows(fileobj, filename)
            valid, errors = validate_rows(headers, rows, project=project, today=today)
            if errors:
                raise ImportRejected(errors)
            if not valid:
                raise ImportRejected([RowError(2, 0, "", _("plik nie zawiera żadnego wiersza z danymi."))])
            return _save(project=project, rows=valid, by=by)
    except FileError as exc:
        raise ImportRejected([RowError(1, 0, "", str(exc))]) from None
    except IntegrityError:
        message = _("w tym czasie do projektu zapisano te same osoby – nic nie zostało zaimportowane, "
                    "spróbuj ponownie.")  # fmt: skip
        raise ImportRejected([RowError(1, 0, "", message)]) from None


def _save(*, project, rows, by) -> ImportSummary:
    now = timezone.now()
    participations = []
    for row in rows:
        participation = Participation(project=project, created_by=by, entry_confirmed_by=by, entry_confirmed_at=now,
                                      **row.values)  # fmt: skip
        participation.age_at_start = participation.compute_age_at_start()
        participations.append(participation)
    Participation.objects.bulk_create(participations, batch_size=1000)
    events = [
        event
        for participation, row in zip(participations, rows, strict=True)
        for values in row.outcomes
        for event in build_outcome_events(participation=participation, values=values, by=by)
    ]
    OutcomeEvent.objects.bulk_create(events, batch_size=2000)
    followups = []
    for participation in participations:
        if participation.end_date:
            followups.append(FollowUp(participation=participation, kind=FollowUpKind.RESULT_4W,
                                      due_on=result_window_end(participation.end_date)))  # fmt: skip
            followups.append(FollowUp(participation=participation, kind=FollowUpKind.EFFECTIVENESS_3M,
                                      due_on=effectiveness_window_end(participation.end_date)))  # fmt: skip
    for event in events:
        if event.kind == "employment":
            followups.append(
                FollowUp(
                    participation=event.participation,
                    outcome=event,
                    kind=FollowUpKind.EMPLOYMENT_1M,
                    due_on=add_months(event.occurred_on, 1),
                )
            )
    FollowUp.objects.bulk_create(followups, batch_size=2000)
    indicator_data_changed(project.pk)  # bulk_create sends no signals
    ended = sum(1 for p in participations if p.end_date)
    return ImportSummary(participations=len(participations), outcomes=len(events), followups=len(followups),
                         ended=ended)  # fmt: skip


# --- export ---------------------------------------------------------------------------------


def export_queryset(project):
    return (
        Participation.objects.filter(project=project)
        .order_by("pk")
        .prefetch_related(Prefetch("outcomes", queryset=OutcomeEvent.objects.order_by("occurred_on", "pk")))
    )


def export_rows(project, *, chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[list]:
    """The header row, then one row per participation, read chunk by chunk (never all at once)."""
    yield list(layout.HEADERS)
    for participation in export_queryset(project).iterator(chunk_size=chunk_size):
        yield layout.participation_row(participation, list(participation.outcomes.all()))


def neutralise(value):
    """A text cell a spreadsheet would treat as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """CSV text line by line (UTF-8 with BOM so that spreadsheets detect the encoding; `;`)."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER, lineterminator="\r\n")
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([neutralise(value) for value in row])


def write_csv(rows: Iterable[list], out) -> int:
    count = -1
    for count, line in enumerate(csv_lines(rows)):  # noqa: B007
        out.write(line)
    return max(count - 1, 0)


def write_xlsx(rows: Iterable[list], out) -> int:
    """openpyxl write-only workbook: rows go to a temporary file as they come, not into memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Uczestnicy")
    count = -1
    for count, row in enumerate(rows):  # noqa: B007
        cells = []
        for value in row:
            if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # stored as text: never evaluated as a formula
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    workbook.save(out)
    return max(count, 0)


def participants_export(*, project, fmt: str, out) -> int:
    """Write the project's participant file to `out` (text stream for csv, binary for xlsx).
    Returns the number of participant rows."""
    if fmt == "csv":
        return write_csv(export_rows(project), out)
    if fmt == "xlsx":
        return write_xlsx(export_rows(project), out)
    raise ValueError(f"unknown format {fmt!r}")

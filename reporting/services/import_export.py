"""Export of the participant file (SL2014 layout + documented extra columns); the import (preview,
then commit) is reporting.services.participant_import.

- `participants_export`: streams any number of rows: the queryset is read with
  `.iterator(chunk_size=...)` (outcome events prefetched per chunk), CSV is written row by row and
  XLSX through openpyxl's write-only workbook. Cells that a spreadsheet would run as a formula
  (leading = + - @, tab, CR) are neutralised.
"""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from reporting.importing import layout
from reporting.models import OutcomeEvent, Participation

EXPORT_CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"


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

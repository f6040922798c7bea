"""Export of the participant file (SL2014 layout + documented extra columns; the layout is
reporting/importing/layout.py); the import (preview, then commit) is reporting.services.participant_import.

- `participants_export`: streams any number of rows in constant memory: the queryset is read with
  `.iterator(chunk_size=...)` (outcome events and supports prefetched per chunk); CSV is written
  line by line, XLSX through XlsxWriter's constant_memory mode (each row is flushed to a temporary
  file as soon as the next one starts). See `participants_export` for the options.
"""

import codecs
import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterable, Iterator
from decimal import Decimal

import xlsxwriter
from django.db.models import Exists, OuterRef, Prefetch, Q

from reporting.importing import layout
from reporting.importing.export_row import ClaimPeriod, participation_row, project_block
from reporting.models import OutcomeEvent, Participation, Support
from reporting.selectors.submissions import participations_changed_since_last_claim

EXPORT_CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
CSV_ENCODINGS = ("utf-8", "cp1250")  # UTF-8 with BOM (default); cp1250 for older Excel
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COLUMN_WIDTH = 50


def export_queryset(project, *, period: ClaimPeriod | None = None, since_last_claim: bool = False):
    """The participations of the file. For a payment claim ("Wniosek za okres" = `period`): those
    taking part at any time in the period (started on or before its end and not ended before its
    start) and those with an outcome event dated in it (a result measured after the exit is
    reported with the claim of its period). `since_last_claim`: only the participations new or
    changed since the last submitted claim (reporting.selectors.submissions), as the SL2014 module
    expects."""
    qs = Participation.objects.filter(project=project)
    if since_last_claim:
        qs = qs.filter(pk__in=participations_changed_since_last_claim(project).values("pk"))
    if period is not None:
        in_period = Q(start_date__lte=period.date_to) & (Q(end_date__isnull=True) | Q(end_date__gte=period.date_from))
        events = OutcomeEvent.objects.filter(participation=OuterRef("pk"))
        result_in_period = Exists(events.filter(occurred_on__gte=period.date_from, occurred_on__lte=period.date_to))
        qs = qs.filter(in_period | result_in_period)
    return qs.order_by("pk").prefetch_related(
        Prefetch("outcomes", queryset=OutcomeEvent.objects.order_by("occurred_on", "pk")),
        Prefetch("supports", queryset=Support.objects.order_by("start_date", "pk")),
    )


def export_rows(project, *, period: ClaimPeriod | None = None, since_last_claim: bool = False,
                chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[list]:  # fmt: skip
    """The header row (the official headers), then one row per participation, read chunk by chunk."""
    yield list(layout.FILE_HEADERS)
    project_values = project_block(project, period)
    chosen = export_queryset(project, period=period, since_last_claim=since_last_claim)
    for participation in chosen.iterator(chunk_size=chunk_size):
        yield participation_row(participation, list(participation.outcomes.all()), list(participation.supports.all()),
                                project_values=project_values)  # fmt: skip


def neutralise(value):
    """A text cell a spreadsheet would treat as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_text(value) -> str:
    """A value as CSV text: ISO dates, decimal commas, every line break replaced by a space (one
    physical line per record), formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    text = str(value)
    if "\n" in text or "\r" in text:
        text = " ".join(text.splitlines())
    return neutralise(text)


def _approximate(error: UnicodeError) -> tuple[str, int]:
    """cp1250 has no such character: its base letter when it has one ("ğ" → "g"), else "?"."""
    assert isinstance(error, UnicodeEncodeError)
    bad = error.object[error.start : error.end]
    plain = [unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode("ascii") or "?" for c in bad]
    return "".join(plain), error.end


codecs.register_error("sl2014_approximate", _approximate)


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows: Iterable[list], *, encoding: str = "utf-8") -> Iterator[bytes]:
    """CSV bytes line by line: `;`-separated, CRLF; UTF-8 starts with a BOM so that spreadsheets
    detect it, cp1250 (for older Excel) replaces what it cannot encode (see _approximate)."""
    if encoding not in CSV_ENCODINGS:
        raise ValueError(f"unknown CSV encoding {encoding!r}")
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER, lineterminator="\r\n")
    if encoding == "utf-8":
        yield codecs.BOM_UTF8
    for row in rows:
        yield writer.writerow([csv_text(value) for value in row]).encode(encoding, errors="sl2014_approximate")


def write_csv(rows: Iterable[list], out, *, encoding: str = "utf-8") -> int:
    """Write to a binary stream (or a text stream, which then decides the encoding); returns the rows."""
    text = isinstance(out, io.TextIOBase)
    count = 0
    for count, line in enumerate(csv_lines(rows, encoding=encoding)):  # noqa: B007
        out.write(line.decode(encoding) if text else line)
    return max(count - (1 if encoding == "utf-8" else 0), 0)


class _Sheet:
    """The XLSX sheet: header row frozen and filtered, real date and number cells, PESEL as text,
    column widths from the content (tracked while streaming: one number per column)."""

    def __init__(self, out):
        self.book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                              "strings_to_numbers": False, "strings_to_urls": False})  # fmt: skip
        self.sheet = self.book.add_worksheet("Uczestnicy")
        self.header_format = self.book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.date_format = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.text_format = self.book.add_format({"num_format": "@"})
        self.amount_format = self.book.add_format({"num_format": "#,##0.00"})
        self.cells = [column.cell for column in layout.EXPORT_COLUMNS]
        self.widths = [column.width for column in layout.EXPORT_COLUMNS]
        self.rows = 0

    def header(self, values: list) -> None:
        self.sheet.set_row(0, 90)
        self.sheet.write_row(0, 0, values, self.header_format)

    def row(self, values: list) -> None:
        self.rows += 1
        for col, value in enumerate(values):
            self._cell(self.rows, col, value)

    def _cell(self, row: int, col: int, value) -> None:
        if value is None or value == "":
            return
        if isinstance(value, dt.date):
            self.sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), self.date_format)
            return
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            fmt = self.amount_format if isinstance(value, Decimal) else None
            self.sheet.write_number(row, col, float(value), fmt)
            return
        text = str(value).replace("\r\n", "\n").replace("\r", "\n")  # XML keeps no bare CR
        if len(text) + 2 > self.widths[col]:
            self.widths[col] = min(len(text) + 2, MAX_COLUMN_WIDTH)
        if self.cells[col] == layout.Cell.IDENTIFIER:
            self.sheet.write_string(row, col, text, self.text_format)
        else:
            self.sheet.write_string(row, col, text)

    def close(self) -> None:
        for col, width in enumerate(self.widths):
            self.sheet.set_column(col, col, width, self.text_format if self.cells[col] == layout.Cell.IDENTIFIER
                                  else None)  # fmt: skip
        self.sheet.freeze_panes(1, 0)
        self.sheet.autofilter(0, 0, max(self.rows, 1), len(self.widths) - 1)
        self.book.close()


def write_xlsx(rows: Iterable[list], out) -> int:
    """Stream `rows` (the header first) into an XLSX file on the binary stream `out`."""
    sheet = _Sheet(out)
    iterator = iter(rows)
    sheet.header(next(iterator))
    for values in iterator:
        sheet.row(values)
    sheet.close()
    return sheet.rows


def participants_export(*, project, fmt: str, out, period: ClaimPeriod | None = None, encoding: str = "utf-8",
                        since_last_claim: bool = False) -> int:  # fmt: skip
    """Write the project's participant file to the binary stream `out` (a text stream is accepted
    for CSV). Returns the number of participant rows.

    `fmt`: "xlsx" or "csv"; `period`: the payment claim's period ("Wniosek za okres", see
    export_queryset); `encoding` (CSV only): "utf-8" (with BOM) or "cp1250". Further options are
    keyword arguments passed on to export_queryset (`since_last_claim`)."""
    rows = export_rows(project, period=period, since_last_claim=since_last_claim)
    if fmt == "csv":
        return write_csv(rows, out, encoding=encoding)
    if fmt == "xlsx":
        return write_xlsx(rows, out)
    raise ValueError(f"unknown format {fmt!r}")

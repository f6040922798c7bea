"""Export of the participant file (SL2014 layout + documented extra columns; the layout is
reporting/importing/layout.py); the import (preview, then commit) is reporting.services.participant_import.

- `participants_export`: streams any number of rows in constant memory: the participations are read
  with `.iterator(chunk_size=...)` (outcome events and supports fetched per chunk, see export_rows);
  CSV is written line by line, XLSX through core.xlsx.StreamingSheet (each row becomes its XML at
  once, appended to a temporary file). The command, the web page and the SL2014 file are this one
  writer. See `participants_export` for the options.
"""

import codecs
import csv
import datetime as dt
import io
import itertools
import unicodedata
from collections import namedtuple
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q

from core.xlsx import StreamingSheet
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
# What a row of the file reads (reporting/importing/export_row.py): the other columns (audit
# stamps, hashes, search columns) are not loaded, and nothing else is decrypted or parsed.
PARTICIPATION_FIELDS = (
    "id", "pesel", "no_pesel", "age_at_start", "degurba", "start_date", "end_date", "completed_as_planned",
    "planned_education_end", "birth_date", "at_risk", *layout.TEXT_COLUMNS.values(),
    *(field for field, _choices in layout.CODED_COLUMNS.values()),
)  # fmt: skip
OUTCOME_FIELDS = ("id", "participation_id", "kind", "occurred_on", "evidence", "employment_form", "fte",
                  "planned_months", "employer", "job_seeking_kind", "qualification_name", "progress_category",
                  "grant_amount", "pkd")  # fmt: skip
SUPPORT_FIELDS = ("id", "participation_id", "form", "form_detail", "start_date", "end_date")


def _record(name: str, fields: tuple[str, ...]) -> Any:
    """A row read with values_list as an object with the fields as attributes (and `pk`), for
    participation_row: building a model instance per row cost more than the rest of the row."""
    return type(name, (namedtuple(name, fields),), {"__slots__": (), "pk": property(lambda self: self.id)})


ParticipationRecord = _record("ParticipationRecord", PARTICIPATION_FIELDS)
OutcomeRecord = _record("OutcomeRecord", OUTCOME_FIELDS)
SupportRecord = _record("SupportRecord", SUPPORT_FIELDS)


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
    return qs.order_by("pk")


def export_rows(project, *, period: ClaimPeriod | None = None, since_last_claim: bool = False,
                chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[list]:  # fmt: skip
    """The header row (the official headers), then one row per participation, read chunk by chunk:
    the participations through a server-side cursor, the outcome events and supports of each chunk
    in one query each, grouped by participation here (Django's prefetch_related cost more than the
    queries: a queryset clone per participation and relation). Rows are read with values_list
    into records with the fields as attributes (the encrypted columns still decrypted by their
    field), not model instances."""
    yield list(layout.FILE_HEADERS)
    project_values = project_block(project, period)
    chosen = export_queryset(project, period=period, since_last_claim=since_last_claim)
    participations = map(ParticipationRecord._make,
                         chosen.values_list(*PARTICIPATION_FIELDS).iterator(chunk_size=chunk_size))  # fmt: skip
    while chunk := list(itertools.islice(participations, chunk_size)):
        # the chunk is the chosen participations of its pk range (read in pk order): as a subquery,
        # not 2,000 parameters (their planning and parsing cost more than the query)
        ids = chosen.filter(pk__gte=chunk[0].pk, pk__lte=chunk[-1].pk).values("pk")
        outcomes = _by_participation(map(OutcomeRecord._make, OutcomeEvent.objects.filter(participation_id__in=ids)
                                         .order_by("occurred_on", "pk").values_list(*OUTCOME_FIELDS)))  # fmt: skip
        supports = _by_participation(map(SupportRecord._make, Support.objects.filter(participation_id__in=ids)
                                         .order_by("start_date", "pk").values_list(*SUPPORT_FIELDS)))  # fmt: skip
        for participation in chunk:
            yield participation_row(participation, outcomes.get(participation.pk, []),
                                    supports.get(participation.pk, []), project_values=project_values)  # fmt: skip


def _by_participation(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.participation_id, []).append(row)
    return grouped


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


def write_xlsx(rows: Iterable[list], out) -> int:
    """Stream `rows` (the header first) into an XLSX file on the binary stream `out` (core.xlsx:
    header row frozen and filtered, real date and number cells, PESEL as text, column widths from
    the content); returns the participant rows."""
    columns = layout.EXPORT_COLUMNS
    identifiers = [i for i, column in enumerate(columns) if column.cell == layout.Cell.IDENTIFIER]
    sheet = StreamingSheet(out, name="Uczestnicy", widths=[column.width for column in columns],
                           text_columns=identifiers, header_height=90, max_width=MAX_COLUMN_WIDTH)  # fmt: skip
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

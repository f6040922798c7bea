"""Reading the participant file: CSV or XLSX. Cells come back as strings stripped of spaces.

Hostile files are refused before they cost memory or time (docs/security.md, "Upload limits"):

- XLSX: the zip's central directory is checked first (entry count, total and per-entry
  uncompressed size, compression ratio) — a decompression bomb is refused from its directory,
  before one byte is inflated; then openpyxl reads the first sheet in read-only (streaming) mode,
  never more than MAX_COLUMNS columns per row and MAX_CELLS non-empty cells in all.
- CSV: UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1250 (Excel's Polish "CSV"),
  `;`, `,` or tab detected from the header line; physical lines longer than MAX_LINE_LENGTH and
  records with more than MAX_COLUMNS fields are refused.
- Both: at most MAX_FILE_BYTES and MAX_ROWS data rows, and a Deadline checked row by row.
"""

import codecs
import csv
import datetime as dt
import io
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import openpyxl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl.utils.exceptions import InvalidFileException

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 300
MAX_CELLS = 3_000_000  # non-empty cells of the whole sheet
MAX_CELL_LENGTH = 5_000  # longer cells are cut here and refused by the length checks
MAX_LINE_LENGTH = 64 * 1024  # characters of one physical CSV line
# XLSX (zip) limits, checked on the central directory before anything is inflated
MAX_XLSX_ENTRIES = 500
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_XLSX_ENTRY = 60 * 1024 * 1024
MAX_XLSX_RATIO = 100  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
# openpyxl builds every shared string as an object before the first row (~50-100 µs each, beyond any
# row-by-row deadline): their number is counted on the inflated stream first (C speed, bounded above)
MAX_SHARED_STRINGS = 100_000
NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")
XLSX_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp1250": "Windows-1250"}


class FileError(Exception):
    """The file as a whole cannot be read (wrong format, encoding, no header, a limit exceeded)."""


class Deadline:
    """A time limit for one import, checked as rows are read and validated: past it the import
    stops with a clear message instead of holding a web worker (None or 0 = no limit)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.ends = time.monotonic() + seconds if seconds else None

    def check(self) -> None:
        if self.ends is not None and time.monotonic() > self.ends:
            raise FileError(
                _("Sprawdzanie pliku przerwano po %(s)d s (limit czasu). Podziel plik na mniejsze części.")
                % {"s": self.seconds}
            )


NO_DEADLINE = Deadline(None)


@dataclass
class FileInfo:
    """What the reader found out about the file (shown in the preview)."""

    format: str = ""
    encoding: str = ""
    delimiter: str = ""


def cell_text(value) -> str:
    """A cell as text: dates ISO, whole numbers without '.0', our formula neutralisation undone."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Tak" if value else "Nie"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # only spaces are stripped here: leading/trailing line breaks separate outcome events (an empty
    # first or last line is a blank value); other columns are stripped fully by the row check
    text = str(value)[:MAX_CELL_LENGTH].replace("\r\n", "\n").strip(" ")
    if text.startswith(NEUTRALISED):
        text = text[1:]
    return text


def detect_format(head: bytes, filename: str = "") -> str:
    if head.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def read_rows(
    fileobj, filename: str = "", *, deadline: Deadline = NO_DEADLINE, info: FileInfo | None = None
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """(headers, iterator of (spreadsheet row number, cells)). Raises FileError (also while iterating)."""
    info = info if info is not None else FileInfo()
    data = fileobj.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileError(_("Plik jest za duży (najwyżej %(mb)d MB).") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
    if isinstance(data, str):
        data = data.encode("utf-8")
    info.format = detect_format(data[:4], filename)
    if info.format == "xlsx":
        headers, rows = _read_xlsx(data)
    else:
        headers, rows = _read_csv(data, info)
    return headers, _limited(rows, deadline)


def _limited(rows, deadline: Deadline) -> Iterator[tuple[int, list[str]]]:
    for number, cells in rows:
        if number > MAX_ROWS + 1:
            raise FileError(ngettext("Plik ma więcej niż %(max)d wiersz danych – podziel go na części.",
                                     "Plik ma więcej niż %(max)d wierszy danych – podziel go na części.", MAX_ROWS)
                            % {"max": MAX_ROWS})  # fmt: skip
        deadline.check()
        if any(cells):
            yield number, cells


# --- CSV ----------------------------------------------------------------------------------------


def decode_csv(raw: bytes, info: FileInfo) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1250 — Excel's "CSV" on a Polish Windows."""
    candidates = ["utf-16"] if raw.startswith(UTF16_BOMS) else ["utf-8-sig", "cp1250"]
    for encoding in candidates:
        try:
            text = codecs.decode(raw, encoding)
        except UnicodeDecodeError:
            continue
        info.encoding = ENCODING_NAMES[encoding]
        return text
    raise FileError(_("Nie rozpoznano kodowania pliku CSV: zapisz go jako „CSV UTF-8” albo „CSV (rozdzielany "
                      "średnikami)” w kodowaniu Windows-1250."))  # fmt: skip


def _check_lines(text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_LENGTH:
            raise FileError(ngettext("Linia %(line)d pliku CSV ma %(len)d znak (najwyżej %(max)d) – to nie jest plik "
                                     "uczestników.", "Linia %(line)d pliku CSV ma %(len)d znaków (najwyżej %(max)d) – "
                                     "to nie jest plik uczestników.", len(line))
                            % {"line": number, "len": len(line), "max": MAX_LINE_LENGTH})  # fmt: skip


def _read_csv(raw: bytes, info: FileInfo):
    text = decode_csv(raw, info)
    if "\x00" in text[:4096] and text.count("\x00") > len(text) // 4:
        raise FileError(_("To nie jest plik CSV (zawiera dane binarne)."))
    _check_lines(text)
    first_line = next(iter(text.splitlines()), "")
    info.delimiter = max((";", ",", "\t"), key=lambda d: len(next(csv.reader([first_line], delimiter=d), [])))
    csv.field_size_limit(10 * MAX_CELL_LENGTH)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=info.delimiter)
    try:
        headers = [cell_text(h) for h in _capped(next(reader), 1)]
    except StopIteration:
        raise FileError(_("Plik jest pusty.")) from None
    except csv.Error as exc:
        raise FileError(_("Nie można odczytać pliku CSV: %(error)s") % {"error": exc}) from None

    def rows():
        number = 1
        try:
            for cells in reader:
                number += 1
                yield number, [cell_text(c) for c in _capped(cells, number)]
        except csv.Error as exc:
            raise FileError(_("Wiersz %(row)d: nie można odczytać pliku CSV (%(error)s).") % {
                "row": number + 1, "error": exc}) from None  # fmt: skip

    return headers, rows()


def _capped(cells: list, number: int) -> list:
    if len(cells) > MAX_COLUMNS:
        raise FileError(_("Wiersz %(row)d ma %(n)d kolumn (najwyżej %(max)d) – to nie jest plik uczestników.") % {
            "row": number, "n": len(cells), "max": MAX_COLUMNS})  # fmt: skip
    return cells


# --- XLSX ---------------------------------------------------------------------------------------

BOMB_MESSAGE = gettext_lazy("Plik XLSX odrzucono przed rozpakowaniem: %(why)s. Prawdziwy plik uczestników tak nie "
                            "wygląda – zapisz go ponownie w arkuszu albo wyślij jako CSV.")  # fmt: skip


def check_zip_directory(archive: zipfile.ZipFile) -> None:
    """Refuse a decompression bomb from the zip's central directory, before anything is inflated."""
    entries = archive.infolist()
    if len(entries) > MAX_XLSX_ENTRIES:
        why = ngettext(
            "%(n)d plik w archiwum (najwyżej %(max)d)", "%(n)d plików w archiwum (najwyżej %(max)d)", len(entries)
        )
        why %= {"n": len(entries), "max": MAX_XLSX_ENTRIES}
        raise FileError(BOMB_MESSAGE % {"why": why})
    total = sum(entry.file_size for entry in entries)
    if total > MAX_XLSX_UNCOMPRESSED:
        why = _("po rozpakowaniu %(mb)d MB (najwyżej %(max)d MB)") % {
            "mb": total // (1024 * 1024), "max": MAX_XLSX_UNCOMPRESSED // (1024 * 1024)}  # fmt: skip
        raise FileError(BOMB_MESSAGE % {"why": why})
    for entry in entries:
        if entry.file_size > MAX_XLSX_ENTRY:
            why = _("część „%(name)s” ma po rozpakowaniu %(mb)d MB (najwyżej %(max)d MB)") % {
                "name": entry.filename[:60], "mb": entry.file_size // (1024 * 1024),
                "max": MAX_XLSX_ENTRY // (1024 * 1024)}  # fmt: skip
            raise FileError(BOMB_MESSAGE % {"why": why})
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_XLSX_RATIO * max(entry.compress_size, 1):
            why = _("część „%(name)s” jest skompresowana %(ratio)d:1 (najwyżej %(max)d:1)") % {
                "name": entry.filename[:60], "ratio": entry.file_size // max(entry.compress_size, 1),
                "max": MAX_XLSX_RATIO}  # fmt: skip
            raise FileError(BOMB_MESSAGE % {"why": why})


def count_shared_strings(archive: zipfile.ZipFile) -> int:
    """The number of <si> items of the shared-strings parts, counted on the inflated stream."""
    count = 0
    for entry in archive.infolist():
        if not entry.filename.lower().endswith("sharedstrings.xml"):
            continue
        tail = b""
        with archive.open(entry) as part:
            while chunk := part.read(1024 * 1024):
                window = tail + chunk
                count += window.count(b"<si>") + window.count(b"<si ")
                tail = window[-3:]  # a tag cut by the chunk border is counted (once) in the next window
    return count


def _open_xlsx(data: bytes):
    unreadable = _("Nie można odczytać pliku XLSX (plik uszkodzony albo w innym formacie).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileError(unreadable) from None
    check_zip_directory(archive)
    try:
        strings = count_shared_strings(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileError(unreadable) from None
    if strings > MAX_SHARED_STRINGS:
        raise FileError(_("Plik XLSX ma %(n)d różnych tekstów (najwyżej %(max)d) – podziel go na części albo "
                          "zapisz jako CSV.") % {"n": strings, "max": MAX_SHARED_STRINGS})  # fmt: skip
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError):
        raise FileError(unreadable) from None
    except Exception:  # noqa: BLE001 - malformed XML can fail anywhere inside openpyxl: one clear message
        raise FileError(unreadable) from None


def _read_xlsx(data: bytes):
    workbook = _open_xlsx(data)
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise FileError(_("Plik XLSX nie ma żadnego arkusza."))
    # explicit bounds: a sheet's declared dimension (up to XFD1048576) must not pad rows to 16,384 cells
    iterator = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=MAX_ROWS + 2)
    try:
        headers = [cell_text(h) for h in next(iterator)]
    except StopIteration:
        raise FileError(_("Plik jest pusty.")) from None
    except Exception:  # noqa: BLE001 - see _open_xlsx
        raise FileError(_("Nie można odczytać pliku XLSX (plik uszkodzony).")) from None

    def rows():
        number, cells_read = 1, 0
        try:
            for number, cells in enumerate(iterator, start=2):  # noqa: B007 - number is read in except
                cells_read += sum(1 for c in cells if c is not None)
                if cells_read > MAX_CELLS:
                    raise FileError(_("Plik ma więcej niż %(max)d wypełnionych komórek – podziel go na części.") % {
                        "max": MAX_CELLS})  # fmt: skip
                yield number, [cell_text(c) for c in cells]
        except FileError:
            raise
        except Exception:  # noqa: BLE001 - a malformed sheet can fail anywhere inside openpyxl/XML
            raise FileError(_("Wiersz %(row)d: nie można odczytać pliku XLSX (plik uszkodzony).") % {
                "row": number + 1}) from None  # fmt: skip
        finally:
            workbook.close()

    return headers, rows()

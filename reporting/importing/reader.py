"""Reading the participant file: CSV (UTF-8, `;` or `,`, detected from the header line) or XLSX
(openpyxl in read-only mode, first sheet). Cells come back as stripped strings."""

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

MAX_ROWS = 50_000
MAX_CELL_LENGTH = 5_000  # longer cells are cut here and refused by the length checks
NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")
XLSX_MAGIC = b"PK\x03\x04"


class FileError(Exception):
    """The file as a whole cannot be read (wrong format, encoding, no header, too many rows)."""


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


def read_rows(fileobj, filename: str = "") -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """(headers, iterator of (spreadsheet row number, cells)). Raises FileError."""
    head = fileobj.read(4)
    fileobj.seek(0)
    if detect_format(head, filename) == "xlsx":
        return _read_xlsx(fileobj)
    return _read_csv(fileobj)


def _limited(rows) -> Iterator[tuple[int, list[str]]]:
    for number, cells in rows:
        if number > MAX_ROWS + 1:
            raise FileError(_("Plik ma więcej niż %(max)d wierszy danych – podziel go na części.") % {"max": MAX_ROWS})
        if any(cells):
            yield number, cells


def _read_csv(fileobj):
    raw = fileobj.read()
    if isinstance(raw, str):
        text = raw
    else:
        try:
            text = codecs.decode(raw, "utf-8-sig")
        except UnicodeDecodeError:
            try:  # Excel's default Polish CSV ("CSV (rozdzielany przecinkami)") is Windows-1250
                text = codecs.decode(raw, "cp1250")
            except UnicodeDecodeError:
                raise FileError(_("Plik CSV nie jest zapisany ani w UTF-8, ani w Windows-1250.")) from None
    if "\x00" in text[:4096] and text.count("\x00") > len(text) // 4:
        raise FileError(_("To nie jest plik CSV (zawiera dane binarne)."))
    first_line = next(iter(text.splitlines()), "")
    delimiter = max((";", ","), key=lambda d: len(next(csv.reader([first_line], delimiter=d), [])))
    csv.field_size_limit(10 * MAX_CELL_LENGTH)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = [cell_text(h) for h in next(reader)]
    except StopIteration:
        raise FileError(_("Plik jest pusty.")) from None
    except csv.Error as exc:
        raise FileError(_("Nie można odczytać pliku CSV: %(error)s") % {"error": exc}) from None

    def rows():
        number = 1
        try:
            for cells in reader:
                number += 1
                yield number, [cell_text(c) for c in cells]
        except csv.Error as exc:
            raise FileError(_("Wiersz %(row)d: nie można odczytać pliku CSV (%(error)s).") % {
                "row": number + 1, "error": exc}) from None  # fmt: skip

    return headers, _limited(rows())


def _read_xlsx(fileobj):
    try:
        workbook = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise FileError(_("Nie można odczytać pliku XLSX (plik uszkodzony albo w innym formacie).")) from None
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        raise FileError(_("Plik XLSX nie ma żadnego arkusza."))
    iterator = sheet.iter_rows(values_only=True)
    try:
        headers = [cell_text(h) for h in next(iterator)]
    except StopIteration:
        raise FileError(_("Plik jest pusty.")) from None

    def rows():
        number = 1
        try:
            for number, cells in enumerate(iterator, start=2):  # noqa: B007 - number is read in except
                yield number, [cell_text(c) for c in cells]
        except FileError:
            raise
        except Exception:  # a malformed sheet can fail anywhere inside openpyxl/XML: one clear message
            raise FileError(_("Wiersz %(row)d: nie można odczytać pliku XLSX (plik uszkodzony).") % {
                "row": number + 1}) from None  # fmt: skip
        finally:
            workbook.close()

    return headers, _limited(rows())

"""core.xlsx: the streaming XLSX writer (typed cells, text never a formula, Excel's escapes)."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl

from core.xlsx import StreamingSheet, column_letters, text_xml


def written(rows, **options) -> openpyxl.worksheet.worksheet.Worksheet:
    out = io.BytesIO()
    sheet = StreamingSheet(out, name="Lista", widths=[10, 10, 10, 10], **options)
    sheet.header(["a", "b", "c", "d"])
    for row in rows:
        sheet.row(row)
    sheet.close()
    return openpyxl.load_workbook(io.BytesIO(out.getvalue())).active


def test_cells_keep_their_type():
    sheet = written([[dt.date(2024, 2, 29), 7, Decimal("1234.50"), "=1+1"]], text_columns=[3])
    date, number, amount, text = sheet[2]
    assert date.value == dt.datetime(2024, 2, 29) and date.number_format == "yyyy-mm-dd"
    assert number.value == 7 and number.data_type == "n"
    assert amount.value == 1234.5 and amount.number_format == "#,##0.00"
    assert text.value == "=1+1" and text.data_type == "s" and text.number_format == "@"


def test_empty_values_leave_no_cell_and_widths_grow_with_the_text():
    sheet = written([[None, "", "x" * 30, "y" * 100]], max_width=50)
    assert sheet["A2"].value is None and sheet["B2"].value is None
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width
    assert sheet.column_dimensions["D"].width < 52
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D2"


def test_text_is_escaped_as_excel_does():
    assert text_xml("a<b & c>") == "<t>a&lt;b &amp; c&gt;</t>"
    assert text_xml("\x01_x0041_") == "<t>_x0001__x005F_x0041_</t>"
    assert text_xml(" x") == '<t xml:space="preserve"> x</t>'


def test_rows_in_constant_memory_are_numbered_in_order():
    sheet = written([[str(i), i, None, None] for i in range(3000)])
    assert sheet.max_row == 3001 and sheet["A3001"].value == "2999" and sheet["B3001"].value == 2999


def test_column_letters():
    assert [column_letters(i) for i in (0, 25, 26, 69, 701, 702)] == ["A", "Z", "AA", "BR", "ZZ", "AAA"]

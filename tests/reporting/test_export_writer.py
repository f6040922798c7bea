"""The participant file written by core.xlsx is the file XlsxWriter wrote before (issue 15): the same
sheet XML byte for byte, the same cells, formats, widths, frozen header and filter."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter

from reporting.codes import EmploymentForm
from reporting.importing import layout
from reporting.services.import_export import MAX_COLUMN_WIDTH, export_rows, write_xlsx
from tests.reporting.factories import OutcomeEventFactory, ParticipationFactory
from tests.reporting.test_export import rich_project

pytestmark = pytest.mark.django_db


def xlsxwriter_file(rows) -> bytes:
    """The writer of the export before issue 15 (XlsxWriter, constant_memory), kept as the reference."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})  # fmt: skip
    sheet = book.add_worksheet("Uczestnicy")
    header_format = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    text_format = book.add_format({"num_format": "@"})
    amount_format = book.add_format({"num_format": "#,##0.00"})
    cells = [column.cell for column in layout.EXPORT_COLUMNS]
    widths = [column.width for column in layout.EXPORT_COLUMNS]
    rows = iter(rows)
    sheet.set_row(0, 90)
    sheet.write_row(0, 0, next(rows), header_format)
    count = 0
    for count, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(count, col, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, int | Decimal) and not isinstance(value, bool):
                sheet.write_number(count, col, float(value), amount_format if isinstance(value, Decimal) else None)
            else:
                text = str(value).replace("\r\n", "\n").replace("\r", "\n")
                if len(text) + 2 > widths[col]:
                    widths[col] = min(len(text) + 2, MAX_COLUMN_WIDTH)
                sheet.write_string(count, col, text, text_format if cells[col] == layout.Cell.IDENTIFIER else None)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width, text_format if cells[col] == layout.Cell.IDENTIFIER else None)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(widths) - 1)
    book.close()
    return out.getvalue()


def our_file(rows) -> bytes:
    out = io.BytesIO()
    write_xlsx(rows, out)
    return out.getvalue()


def sheet_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("xl/worksheets/sheet1.xml")


def cells(data: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [(c.coordinate, c.value, c.data_type, c.number_format, c.font.b, c.alignment.wrap_text)
            for row in sheet.iter_rows() for c in row if c.value is not None]  # fmt: skip


def sheet_settings(data: bytes) -> tuple:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    widths = {key: (dim.width, dim.number_format) for key, dim in sheet.column_dimensions.items()}
    return sheet.title, sheet.freeze_panes, sheet.auto_filter.ref, sheet.row_dimensions[1].height, widths


def a_varied_project(project):
    """rich_project (formulas, several events of a kind, no PESEL) and what else a cell can hold: a
    business grant amount (a Decimal), control characters, a literal _x0041_, spaces at the ends,
    a long text (the widest column), markup characters and a line break."""
    rich_project(project)
    odd = ParticipationFactory(project=project, start_date=dt.date(2017, 5, 2), end_date=dt.date(2017, 8, 31),
                               first_name=" Anna ", last_name="Kowalska\x07_x0041_", street="<b>&amp;</b> \"ul.\"",
                               occupation="spawacz\r\nmonter " + "x" * 80)  # fmt: skip
    OutcomeEventFactory(participation=odd, occurred_on=dt.date(2017, 9, 1),
                        employment_form=EmploymentForm.BUSINESS_EFS_GRANT,
                        grant_amount=Decimal("23450.50"), pkd="47.91.Z", employer="")  # fmt: skip


def test_the_sheet_is_the_one_xlsxwriter_wrote_byte_for_byte(project):
    a_varied_project(project)
    rows = list(export_rows(project))
    assert sheet_xml(our_file(rows)) == sheet_xml(xlsxwriter_file(rows))


def test_cells_formats_and_sheet_settings_are_as_before(project):
    a_varied_project(project)
    rows = list(export_rows(project))
    ours, before = our_file(rows), xlsxwriter_file(rows)
    assert cells(ours) == cells(before)
    assert sheet_settings(ours) == sheet_settings(before)
    values = {c[0]: c for c in cells(ours)}
    assert any(c[3] == "#,##0.00" and c[1] == 23450.5 for c in values.values())  # the grant amount
    # Excel's escapes, which Excel reads back as "Kowalska\x07_x0041_" (openpyxl leaves them as they are)
    assert any(c[1] == "Kowalska_x0007__x005F_x0041_" for c in values.values())


def test_an_empty_project_gives_the_header_only(project):
    rows = list(export_rows(project))
    ours, before = our_file(rows), xlsxwriter_file(rows)
    # (XlsxWriter numbered its formats in the order of first use: the style numbers differ here, not
    # what they mean)
    assert cells(ours) == cells(before) and sheet_settings(ours) == sheet_settings(before)
    assert openpyxl.load_workbook(io.BytesIO(ours)).active.max_row == 1

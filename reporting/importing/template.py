"""The downloadable template of the participant file: an XLSX with the official headers (frozen,
filtered), a drop-down list on every coded column (the allowed labels, from a "Słowniki" sheet),
date cells formatted DD.MM.RRRR, PESEL as text, and one example row."""

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from families.codes import Answer, Education, LabourStatus, LabourStatusDetail, Sex
from families.pesel import make_pesel
from reporting.codes import EarlyExitReason, JobSeekingKind
from reporting.importing import layout as L
from reporting.importing.values import allowed_labels

YES_NO_COLUMNS = (L.H_NO_PESEL, L.H_COMPLETED, L.H_AT_RISK)
DATE_FORMAT = "DD.MM.YYYY"


def example_row() -> dict:
    """A made-up participant (valid synthetic PESEL) showing each kind of value."""
    return {
        L.H_COUNTRY: L.COUNTRY, L.H_KIND: L.INDIVIDUAL, L.H_FIRST_NAME: "Anna", L.H_LAST_NAME: "Przykładowa",
        L.H_PESEL: make_pesel(dt.date(1985, 4, 12), 123, Sex.FEMALE), L.H_NO_PESEL: L.NO,
        L.H_SEX: L.label(Sex, Sex.FEMALE), L.H_EDUCATION: L.label(Education, Education.ISCED3),
        L.H_VOIVODESHIP: "wielkopolskie", L.H_COUNTY: "Kalisz", L.H_GMINA: "Kalisz", L.H_LOCALITY: "Kalisz",
        L.H_STREET: "Przykładowa", L.H_BUILDING: "1", L.H_POSTAL_CODE: "62-800",
        L.H_START: dt.date(2018, 3, 1), L.H_END: dt.date(2018, 9, 30),
        L.H_STATUS: L.label(LabourStatus, LabourStatus.INACTIVE),
        L.H_STATUS_DETAIL: L.label(LabourStatusDetail, LabourStatusDetail.NOT_IN_EDUCATION),
        L.H_COMPLETED: L.YES, L.H_MINORITY: L.label(Answer, Answer.NO), L.H_HOMELESS: L.label(Answer, Answer.NO),
        L.H_DISABILITY: L.label(Answer, Answer.NO), L.H_OTHER_DISADVANTAGE: L.label(Answer, Answer.YES),
        L.H_AT_RISK: L.YES, L.H_SEEK_DATE: dt.date(2018, 10, 5),
        L.H_SEEK_KIND: L.label(JobSeekingKind, JobSeekingKind.REGISTERED), L.H_SEEK_EVIDENCE: "zaświadczenie z PUP",
        L.H_PROG_CATEGORY: "b, c", L.H_PROG_DATE: dt.date(2018, 9, 20), L.H_PROG_EVIDENCE: "opinia psychologa",
    }  # fmt: skip


def _lists() -> dict[str, list[str]]:
    """Header -> the labels its drop-down offers."""
    lists = {header: allowed_labels(choices) for header, (_field, choices) in L.CODED_COLUMNS.items()}
    lists.update({header: [L.YES, L.NO] for header in YES_NO_COLUMNS})
    lists[L.H_EMP_FORM] = allowed_labels(L.OUTCOME_CODES["employment_form"])
    lists[L.H_SEEK_KIND] = allowed_labels(JobSeekingKind)
    lists[L.H_EXIT_REASON] = allowed_labels(EarlyExitReason)
    return {header: labels for header, labels in lists.items() if header in L.HEADERS}


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Uczestnicy"
    dictionaries = workbook.create_sheet("Słowniki")
    headers = L.HEADERS  # unique keys; the sheet carries the official headers (both "W tym", by position)
    sheet.append(L.FILE_HEADERS)
    example = example_row()
    sheet.append([example.get(header, "") for header in headers])
    for position, header in enumerate(headers, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = min(max(len(header) * 0.6, 14), 45)
        value = example.get(header)
        if isinstance(value, dt.date):
            sheet[f"{letter}2"].number_format = DATE_FORMAT
        elif header == L.H_PESEL:
            sheet[f"{letter}2"].number_format = "@"
    for column, (header, labels) in enumerate(_lists().items(), start=1):
        letter = get_column_letter(column)
        dictionaries.cell(row=1, column=column, value=header)
        for row, text in enumerate(labels, start=2):
            dictionaries.cell(row=row, column=column, value=text)
        validation = DataValidation(type="list", formula1=f"'Słowniki'!${letter}$2:${letter}${len(labels) + 1}",
                                    allow_blank=True, showErrorMessage=False)  # fmt: skip
        target = get_column_letter(headers.index(header) + 1)
        validation.add(f"{target}2:{target}5000")
        sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

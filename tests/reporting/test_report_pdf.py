"""The indicator PDF's layout: the ids of the participants still inside their measurement window
are in an appendix after the report (full-width text), the KES / KEZ table shows their number."""

import datetime as dt
import re

import pytest
import time_machine

from reporting.services.reports import report_pdf_bytes
from tests.reporting.factories_indicators import ParticipationFactory, progress

pytestmark = pytest.mark.django_db
APPENDIX = "Załącznik: uczestnicy w okresie pomiaru"


def pdf_text(tmp_path, data: bytes) -> str:
    from tests.reporting.fixtures_indicators import pdf_text as text_of  # noqa: PLC0415

    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return " ".join(text_of(path).split())  # the cells wrap their text: compare words


def render(project, as_of: dt.datetime) -> bytes:
    with time_machine.travel(as_of, tick=False):
        return report_pdf_bytes(project=project, date_from=dt.date(2018, 1, 1), date_to=as_of.date())


def test_every_pending_id_is_in_the_appendix_and_the_table_shows_their_number(project, tmp_path):
    ended = [ParticipationFactory(project=project, start_date=dt.date(2018, 1, 2), end_date=dt.date(2018, 1, 31))
             for _ in range(45)]  # fmt: skip
    progress(ended[0], dt.date(2018, 2, 1))  # measured: no longer pending
    pending = sorted(p.pk for p in ended[1:])
    text = pdf_text(tmp_path, render(project, dt.datetime(2018, 4, 30, 12, 0)))
    table, appendix = text.split(APPENDIX)
    assert "44 osoby w oknie pomiaru (identyfikatory w załączniku)" in table
    assert ", ".join(map(str, pending[:3])) not in table  # no id list left in the cell
    kes = appendix.split("KES — Efektywność społeczna (44 osoby)")[1].split("KEZ")[0]
    assert [int(n) for n in re.findall(r"\d+", kes)] == pending


def test_without_pending_participants_there_is_no_appendix(project, tmp_path):
    ParticipationFactory(project=project, start_date=dt.date(2018, 1, 2), end_date=dt.date(2018, 1, 31))
    text = pdf_text(tmp_path, render(project, dt.datetime(2018, 6, 1, 12, 0)))
    assert "Efektywność społeczna" in text and APPENDIX not in text and "w oknie pomiaru" not in text

"""Fixtures of the indicator/report tests (imported by those modules; the participants part of
the room owns tests/reporting/conftest.py)."""

import datetime as dt
import subprocess
from decimal import Decimal

import pytest

from reporting.codes import Indicator
from reporting.models import IndicatorTarget
from tests.reporting.factories_indicators import (
    BudgetLineFactory,
    ExpenseFactory,
    OutcomeEventFactory,
    ParticipationFactory,
    employment,
    progress,
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


@pytest.fixture
def populated_project(project):
    """A project with outputs, results, KES/KEZ values, a data gap and a budget with a capped line."""
    IndicatorTarget.objects.create(project=project, code=Indicator.OUT_AROPE, value=Decimal("40"))
    IndicatorTarget.objects.create(project=project, code=Indicator.RES_EMPLOYED, value=Decimal("8"))
    for i in range(6):
        p = ParticipationFactory(
            project=project, first_name="Grażyna", last_name=f"Tajemnicza{i}", pesel=f"8001011234{i}",
            no_pesel=False, sex="K" if i % 2 else "M", start_date=dt.date(2018, 2, 1) + dt.timedelta(days=i),
            end_date=dt.date(2018, 6, 30) if i < 4 else None,
        )  # fmt: skip
        if i < 2:
            employment(p, dt.date(2018, 7, 10))
        if i < 3:
            progress(p, dt.date(2018, 8, 1))
        if i == 3:
            OutcomeEventFactory(participation=p, kind="qualification", occurred_on=dt.date(2018, 7, 28))
    ParticipationFactory(project=project, last_name="Brakowska", education="", start_date=dt.date(2018, 3, 1))
    office = BudgetLineFactory(project=project, category="Dostosowanie biura", planned_amount=Decimal("150000"),
                               cap_percent=Decimal("15"))  # fmt: skip
    ExpenseFactory(line=office, amount=Decimal("140000.00"), spent_on=dt.date(2018, 3, 1))
    BudgetLineFactory(project=project, category="Wynagrodzenia", planned_amount=Decimal("500000"))
    return project

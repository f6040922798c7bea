import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reporting.codes import Indicator
from tests.reporting.factories_indicators import ParticipationFactory, progress

pytestmark = pytest.mark.django_db


def run(*args) -> dict:
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return json.loads(out.getvalue())


def test_command_prints_every_indicator_keyed_by_code_with_period_and_cumulative(project):
    ParticipationFactory(project=project, start_date=dt.date(2018, 2, 1), sex="M")
    p = ParticipationFactory(project=project, start_date=dt.date(2017, 6, 1), end_date=dt.date(2018, 1, 31))
    progress(p, dt.date(2018, 2, 1))
    ParticipationFactory(project=project, education="")
    data = run("--project", project.agreement_number, "--from", "2018-01-01", "--to", "2018-12-31",
               "--format", "json")  # fmt: skip
    for code in Indicator.values:
        assert set(data[code]) >= {"period", "cumulative"}
    assert data["OUT_AROPE"]["period"] == {"K": 0, "M": 1, "total": 1}
    assert data["OUT_AROPE"]["cumulative"] == {"K": 1, "M": 1, "total": 2}
    assert data["KES"]["cumulative"] == {
        "numerator": 1, "denominator": 1, "percent": 100, "percent_display": "100,0 %", "target": 34,
        "status": "met", "pending": 0,
    }  # fmt: skip
    assert data["KEZ"]["period"]["percent"] == 0  # 0 of 1: 0 %, a real value
    assert data["KEZ_DISABLED"]["period"]["percent"] is None  # 0 of 0: no value
    assert data["KEZ_DISABLED"]["period"]["percent_display"] == "—"
    assert data["data_gaps"]["count"] == 1
    assert data["targets"]["KES"] == 34
    assert "Uczestniczka" not in json.dumps(data)  # no names


def test_command_defaults_to_the_project_start(project):
    data = run("--project", project.agreement_number)
    assert data["from"] == project.start_date.isoformat()


@pytest.mark.parametrize(
    "args",
    [["--project", "NIE-MA"], ["--from", "2018-02-30"], ["--from", "2019-01-01", "--to", "2018-01-01"]],
)
def test_command_rejects_bad_input(project, args):
    if args[0] != "--project":
        args = ["--project", project.agreement_number, *args]
    with pytest.raises(CommandError):
        run(*args)

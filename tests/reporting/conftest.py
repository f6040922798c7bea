import datetime as dt

import pytest

from tests.families.factories import FamilyFactory, PersonFactory
from tests.support_network.factories import ProjectFactory

TODAY = dt.date(2018, 6, 1)  # inside the test project's period (2017-01-01 … 2019-12-31)


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def family(project, mops):
    return FamilyFactory(institution=mops, project=project)


@pytest.fixture
def person(family):
    return PersonFactory(family=family, first_name="Maria", last_name="Kowalska")


@pytest.fixture
def empty_project(db, mops, manager):
    project = ProjectFactory(leader=mops, title="Projekt pusty")
    project.staff.add(manager)
    return project


@pytest.fixture
def sent(monkeypatch):
    """Messages the tasks hand to the broker: [(run_id, countdown)]."""
    calls = []
    monkeypatch.setattr("reporting.tasks.report_send",
                        lambda run_id, countdown=None: calls.append((run_id, countdown)) or True)  # fmt: skip
    return calls

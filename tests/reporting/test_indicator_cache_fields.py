"""A participation's save empties the indicator cache only when it may change a field the numbers
read (reporting.selectors.indicator_cache.INDICATOR_FIELDS); creates and deletes always do."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.models import Participation
from reporting.rulesets import engine_for
from reporting.selectors.indicator_cache import INDICATOR_FIELDS, cached_project_indicators, data_revision
from support_network.models import RuleSet
from tests.reporting.factories_indicators import OutcomeEventFactory, ParticipationFactory

pytestmark = pytest.mark.django_db
PERIOD = {"date_from": dt.date(2017, 1, 1), "date_to": dt.date(2019, 12, 31)}
TABLE = Participation._meta.db_table
KEYWORDS = {"on", "where", "inner", "left", "right", "join", "group", "order", "limit", "union", "using"}
ALIAS = re.compile(rf'(?:from|join)\s+"?{TABLE}"?(?:\s+(?:as\s+)?"?(\w+)"?)?', re.IGNORECASE)


ORDER_BY = re.compile(r"\bORDER BY\b[^()]*?(?=\)|\bLIMIT\b|\bOFFSET\b|$)", re.IGNORECASE)


def participation_columns(sql: str) -> set[str]:
    """The columns of the participation table an SQL statement names (as `table.col` or `alias.col`),
    its order left out (the model's default order by name sorts the members, which are sets)."""
    sql = ORDER_BY.sub("", sql)
    aliases = {TABLE} | {a for a in ALIAS.findall(sql) if a and a.lower() not in KEYWORDS}
    return {col for alias in aliases for col in re.findall(rf'(?<!\w)"?{alias}"?\."?(\w+)', sql)}


def engine_reads(project) -> set[str]:
    """What the numbers of the project's rule set read: its table with the pending ids, the page's
    table, the members of every cell, its data gaps."""
    engine = engine_for(project)
    with CaptureQueriesContext(connection) as queries:
        table = engine.table(project, **PERIOD, as_of=dt.date(2019, 1, 1))
        engine.page_table(project, **PERIOD)
        engine.members(project, list(engine.cells(table)), **PERIOD, as_of=dt.date(2019, 1, 1))
    return set().union(*(participation_columns(query["sql"]) for query in queries.captured_queries))


@pytest.mark.parametrize("rule_set", [RuleSet.EFS_2014_INCLUSION, RuleSet.NO_EFS_2014])
def test_the_fields_named_are_those_the_numbers_read(project, rule_set):
    project.rule_set = rule_set
    project.save(update_fields=["rule_set"])
    participation = ParticipationFactory(project=project, end_date=dt.date(2018, 6, 30))
    OutcomeEventFactory(participation=participation, kind="qualification", occurred_on=dt.date(2018, 7, 1))
    named = {Participation._meta.get_field(name).column for name in INDICATOR_FIELDS}
    read = engine_reads(project)
    assert read - {"id"} <= named, f"the numbers read {read - named - {'id'}}: add them to INDICATOR_FIELDS"
    if rule_set == RuleSet.EFS_2014_INCLUSION:  # the full engine reads every one of them
        assert named <= read, f"{named - read} no longer read: take them out of INDICATOR_FIELDS"


def test_the_column_scan_recognises_aliases():
    aliased = (
        'SELECT U0."phone" FROM "reporting_participation" U0 INNER JOIN x ON U0.id = x.p;'
        " SELECT p.sex FROM reporting_participation p WHERE"
    )
    assert participation_columns(aliased) == {"phone", "id", "sex"}
    plain = (
        'SELECT "reporting_participation"."email", "x"."y" FROM "reporting_participation" WHERE 1'
        ' ORDER BY "reporting_participation"."last_name" ASC'
    )
    assert participation_columns(plain) == {"email"}


def cached_table(project):
    return cached_project_indicators(project, **PERIOD)


def test_a_save_of_fields_the_numbers_do_not_read_keeps_the_cache(project, django_assert_num_queries):
    participation = ParticipationFactory(project=project)
    before = cached_table(project)
    revision = data_revision(project.pk)
    participation.phone, participation.email, participation.locality = "600 100 200", "a@example.pl", "Rybnik"
    participation.save(update_fields=["phone", "email", "locality", "updated_at"])
    assert data_revision(project.pk) == revision
    with django_assert_num_queries(0):
        assert cached_table(project).as_dict() == before.as_dict()


@pytest.mark.parametrize("field, value", [("end_date", dt.date(2018, 6, 30)), ("birth_date", dt.date(1990, 1, 1)),
                                          ("at_risk", False), ("labour_status_detail", "")])  # fmt: skip
def test_a_save_of_a_field_the_numbers_read_empties_the_cache(project, field, value):
    participation = ParticipationFactory(project=project)
    before = cached_table(project).as_dict()
    revision = data_revision(project.pk)
    setattr(participation, field, value)
    participation.save(update_fields=[field, "updated_at"])
    assert data_revision(project.pk) != revision
    if field in ("end_date", "at_risk"):
        assert cached_table(project).as_dict() != before  # the page shows the new numbers


def test_a_save_of_every_field_creates_and_deletes_empty_the_cache(project):
    participation = ParticipationFactory(project=project)
    for write in (participation.save, lambda: ParticipationFactory(project=project), participation.delete):
        revision = data_revision(project.pk)
        write()
        assert data_revision(project.pk) != revision

"""The registry of indicator rule sets: the project's `rule_set` (support_network.models.RuleSet)
picks the engine that computes its table for the indicator page, the PDF report, the dashboard, the
`indicators` command and submitted reports. A third set (EFS+ 2021–2027) = a RuleSet value and a
class here; the existing two stay as they are."""

from __future__ import annotations

from reporting.rulesets.base import Cell, RuleSetEngine
from reporting.rulesets.efs2014 import Efs2014Inclusion
from reporting.rulesets.plain import PlainCounts

RULE_SETS: dict[str, type[RuleSetEngine]] = {engine.key: engine for engine in (Efs2014Inclusion, PlainCounts)}


def engine_for(project) -> RuleSetEngine:
    """The engine of the project's rule set (a stored value without an engine is a programming error)."""
    return RULE_SETS[project.rule_set]()


def project_table(project, *, date_from, date_to, as_of=None):
    """The project's numbers under its own rule set."""
    return engine_for(project).table(project, date_from=date_from, date_to=date_to, as_of=as_of)


def page_table(project, *, date_from, date_to):
    """The project's numbers as the indicator page and the dashboard show them (`RuleSetEngine.page_table`)."""
    return engine_for(project).page_table(project, date_from=date_from, date_to=date_to)


__all__ = ["RULE_SETS", "Cell", "RuleSetEngine", "engine_for", "page_table", "project_table"]

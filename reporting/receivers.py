"""Signal receivers of the reporting room: invalidate the indicator pages' cache on every change
of the data the indicators are computed from (see reporting/selectors/indicator_cache.py)."""

from django.db.models.signals import post_delete, post_save

from reporting.models import IndicatorTarget, OutcomeEvent, Participation, ProjectRules
from reporting.selectors.indicator_cache import indicator_data_changed


def _project_changed(sender, instance, **kwargs):
    indicator_data_changed(instance.project_id)


def _outcome_changed(sender, instance, **kwargs):
    indicator_data_changed(instance.participation.project_id)


def connect() -> None:
    for model in (Participation, IndicatorTarget, ProjectRules):
        post_save.connect(_project_changed, sender=model, dispatch_uid=f"indicators-{model.__name__}-save")
        post_delete.connect(_project_changed, sender=model, dispatch_uid=f"indicators-{model.__name__}-delete")
    post_save.connect(_outcome_changed, sender=OutcomeEvent, dispatch_uid="indicators-outcome-save")
    post_delete.connect(_outcome_changed, sender=OutcomeEvent, dispatch_uid="indicators-outcome-delete")

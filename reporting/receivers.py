"""Signal receivers of the reporting room: invalidate the indicator pages' cache on every change
of the data the indicators are computed from (see reporting/selectors/indicator_cache.py; a
participation's save only when it may change a field they read), and
carry a referral's attendance and outcome into the EFS record (reporting.services.referral_flow)."""

from django.db.models.signals import post_delete, post_save

from contracts.models import Referral, ReferralAttendance, ReferralOutcome
from reporting.models import IndicatorTarget, OutcomeEvent, Participation, ProjectRules, Support
from reporting.selectors.indicator_cache import (
    indicator_data_changed,
    indicator_supports_changed,
    participation_save_changes_indicators,
)
from reporting.services.referral_flow import outcome_proposals_sync, referral_supports_sync


def _project_changed(sender, instance, **kwargs):
    indicator_data_changed(instance.project_id)


def _participation_saved(sender, instance, created, update_fields, **kwargs):
    # a save of fields the numbers do not read (contact data, address, confirmation) keeps the cache
    if participation_save_changes_indicators(created=created, update_fields=update_fields):
        indicator_data_changed(instance.project_id)


def _outcome_changed(sender, instance, **kwargs):
    indicator_data_changed(instance.participation.project_id)


def _support_changed(sender, instance, **kwargs):
    indicator_supports_changed(instance.participation.project_id)


def connect() -> None:
    for model in (IndicatorTarget, ProjectRules):
        post_save.connect(_project_changed, sender=model, dispatch_uid=f"indicators-{model.__name__}-save")
    post_save.connect(_participation_saved, sender=Participation, dispatch_uid="indicators-Participation-save")
    for model in (Participation, IndicatorTarget, ProjectRules):
        post_delete.connect(_project_changed, sender=model, dispatch_uid=f"indicators-{model.__name__}-delete")
    post_save.connect(_outcome_changed, sender=OutcomeEvent, dispatch_uid="indicators-OutcomeEvent-save")
    post_delete.connect(_outcome_changed, sender=OutcomeEvent, dispatch_uid="indicators-OutcomeEvent-delete")
    # supports feed the plain counts (participants supported, hours), not the EFS 2014 table
    post_save.connect(_support_changed, sender=Support, dispatch_uid="indicators-Support-save")
    post_delete.connect(_support_changed, sender=Support, dispatch_uid="indicators-Support-delete")
    connect_referral_flow()


def _referral_changed(sender, instance, **kwargs):
    referral_supports_sync(instance.pk)
    outcome_proposals_sync(instance.pk)  # e.g. rejected: no support left, its proposals go


def _participation_created(sender, instance, created, **kwargs):
    """A person enrolled after their referrals were attended: those referrals become supports."""
    if created and instance.person_id:
        for referral_id in Referral.objects.filter(person_id=instance.person_id).values_list("pk", flat=True):
            referral_supports_sync(referral_id)
            outcome_proposals_sync(referral_id)


def _attendance_changed(sender, instance, **kwargs):
    referral_supports_sync(instance.referral_id)
    outcome_proposals_sync(instance.referral_id)  # a support gained or lost: its outcomes follow


def _referral_outcome_changed(sender, instance, **kwargs):
    outcome_proposals_sync(instance.referral_id)


def connect_referral_flow() -> None:
    """The referral's attendance and outcome reach the EFS record (reporting.services.referral_flow);
    the contracts room below knows nothing of it."""
    post_save.connect(_referral_changed, sender=Referral, dispatch_uid="flow-referral-save")
    post_save.connect(_participation_created, sender=Participation, dispatch_uid="flow-participation-created")
    for signal, suffix in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(_attendance_changed, sender=ReferralAttendance, dispatch_uid=f"flow-attendance-{suffix}")
        signal.connect(_referral_outcome_changed, sender=ReferralOutcome, dispatch_uid=f"flow-outcome-{suffix}")

"""Writes on a participation's support forms (the SL2014 "Rodzaj przyznanego wsparcia" columns).

Only the project's managers write; each function is atomic and locks the participation, raises
ValidationError ({field: message}) for bad values and DomainError for a refused step. An edit
carries the `updated_at` it was read at: a support changed in the meantime is a conflict, never a
silent overwrite.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from reporting.models import Participation, Support, SupportSource
from reporting.services.participation import check_can_manage
from reporting.services.validation import support_errors

SUPPORT_FIELDS = ("form", "form_detail", "start_date", "end_date")


def _checked(participation, values: dict, today: dt.date | None) -> dict:
    values = {field: values.get(field) for field in SUPPORT_FIELDS}
    if errors := support_errors(values, start_date=participation.start_date, end_date=participation.end_date,
                                today=today):  # fmt: skip
        raise ValidationError(errors)
    return values


@transaction.atomic
def support_add(*, participation, values: dict, by, today: dt.date | None = None) -> Support:
    check_can_manage(by, participation.project)
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    return Support.objects.create(participation=participation, source=SupportSource.MANUAL, created_by=by,
                                  **_checked(participation, values, today))  # fmt: skip


@transaction.atomic
def support_update(*, support, values: dict, read_at: str | None, by, today: dt.date | None = None) -> Support:
    """`read_at`: the support's `updated_at.isoformat()` when the page was opened (None: no check)."""
    check_can_manage(by, support.participation.project)
    participation = Participation.objects.select_for_update().get(pk=support.participation_id)
    locked = Support.objects.filter(pk=support.pk, participation=participation).first()
    if locked is None:
        raise DomainError(_("Ta forma wsparcia została w międzyczasie usunięta."), conflict=True)
    if read_at is not None and locked.updated_at.isoformat() != read_at:
        raise DomainError(_("Ktoś zmienił tę formę wsparcia w międzyczasie – otwórz ją ponownie."), conflict=True)
    for field, value in _checked(participation, values, today).items():
        setattr(locked, field, value)
    locked.save(update_fields=[*SUPPORT_FIELDS, "updated_at"])
    return locked


@transaction.atomic
def support_delete(*, support, by) -> None:
    check_can_manage(by, support.participation.project)
    Participation.objects.select_for_update().get(pk=support.participation_id)
    if not Support.objects.filter(pk=support.pk).delete()[0]:
        raise DomainError(_("Ta forma wsparcia została już usunięta."), conflict=True)

"""This room's next steps on a family's and a person's page (settings.PAGE_ACTION_PROVIDERS):
start a social contract, a family programme or a referral, for the users who may."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from contracts.access import can_refer, can_write_contracts_for, can_write_programmes_for
from families.actions import PageAction


def _url(name: str, **query) -> str:
    return f"{reverse(name)}?{urlencode(query)}"


def document_actions(*, family=None, person=None, user) -> Iterable[PageAction]:
    """A family page offers a contract, a programme and a referral; a person page a referral and a
    contract for that person (a programme is the whole family's)."""
    household = family if family is not None else person.family
    actions = []
    if person is not None and can_refer(user):
        actions.append(PageAction(_("Skieruj do usługi"), _url("contracts:referral_create", person=person.pk)))
    if can_write_contracts_for(user, household):
        query = {"person": person.pk} if person is not None else {"family": family.pk}
        actions.append(PageAction(_("Nowy kontrakt socjalny"), _url("contracts:contract_create", **query)))
    if family is not None and can_write_programmes_for(user, family):
        actions.append(PageAction(_("Nowy program rodzinny"), _url("contracts:programme_create", family=family.pk)))
    if family is not None and can_refer(user):
        actions.append(PageAction(_("Skierowanie"), reverse("contracts:referral_create")))
    return actions

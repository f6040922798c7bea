"""The next steps offered on a family's and a person's page, assembled from the rooms' providers.

The family and person pages belong to this room, but several of their next steps (a social
contract, a family programme, a referral) belong to a higher room, which this room may not import.
Those rooms contribute their steps through providers listed in settings.PAGE_ACTION_PROVIDERS:

    provider(*, family=None, person=None, user) -> Iterable[PageAction]

called with exactly one of `family` / `person`, already scoped for `user`; a provider offers only
what the user may do (its room's access predicates decide).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class PageAction:
    label: str
    url: str


def page_actions(*, family=None, person=None, user) -> list[PageAction]:
    actions: list[PageAction] = []
    for dotted in settings.PAGE_ACTION_PROVIDERS:
        actions.extend(import_string(dotted)(family=family, person=person, user=user))
    return actions

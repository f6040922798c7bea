from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A write the rules forbid: an illegal or lost status transition, a duplicate person in an
    active family, a merge that would lose data. Views show the message next to the form or as a
    page; `conflict=True` marks a lost race (409)."""

    def __init__(self, message, *, conflict: bool = False):
        super().__init__(message)
        self.message = str(message)
        self.conflict = conflict


def full_clean_or_error(obj, *, exclude=None) -> None:
    """Model validation inside a service: a failure is a refused write with the model's messages
    (a DomainError the view shows), never a 500."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None

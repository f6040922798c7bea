class CaseworkError(Exception):
    """A write that the rules forbid (a duplicate person in an active family, a merge that would
    lose data). Views show the message next to the form; `conflict=True` for a lost race (409)."""

    def __init__(self, message, *, conflict: bool = False):
        super().__init__(message)
        self.message = str(message)
        self.conflict = conflict

class TransitionError(Exception):
    """An illegal or lost status transition. Views show the message (409 for a lost race)."""

    def __init__(self, message, *, conflict: bool = False):
        super().__init__(message)
        self.message = str(message)
        self.conflict = conflict

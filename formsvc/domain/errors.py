"""Errors a user can cause: each carries a Thai message and changes nothing."""


class InputError(ValueError):
    """Bad input: the message is Thai and meant for the person who typed it.

    ``field`` names the form field at fault, when there is one.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(LookupError):
    """The object does not exist (or is outside the caller's scope)."""


class ConflictError(InputError):
    """A save based on an old version; ``current`` is the version to base a retry on
    ({row id: version} for a save of several rows). The message says what changed
    (see ``formsvc.domain.versions``)."""

    def __init__(self, message: str, field: str, current: int | dict[int, int]):
        super().__init__(message, field)
        self.current = current

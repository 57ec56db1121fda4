"""Errors a user can cause: each carries a message for people and changes nothing."""

from __future__ import annotations

from formsvc.domain.messages import Gettext, Msg, thai


class InputError(ValueError):
    """Bad input: the message is meant for the person who typed it.

    ``message`` is either Thai text or a :class:`~formsvc.domain.messages.Msg` (an
    English message id with parameters). ``error.message`` is always Thai (the CLI,
    logs and stored details use it); the web layer shows ``error.text(gettext)``, in
    the request's language. ``field`` names the form field at fault, when there is one.
    """

    def __init__(self, message: str | Msg, field: str | None = None):
        self.msg = message if isinstance(message, Msg) else None
        self.message = thai(message)
        super().__init__(self.message)
        self.field = field

    def text(self, gettext: Gettext | None = None) -> str:
        """The message translated by ``gettext`` (Flask-Babel's, for the request's
        language); Thai without one, and Thai text given as such stays as it is."""
        if self.msg is None or gettext is None:
            return self.message
        return self.msg.text(gettext)


class NotFound(LookupError):
    """The object does not exist (or is outside the caller's scope)."""


class ConflictError(InputError):
    """A save based on an old version; ``current`` is the version to base a retry on
    ({row id: version} for a save of several rows). The message says what changed
    (see ``formsvc.domain.versions``)."""

    def __init__(self, message: str | Msg, field: str, current: int | dict[int, int]):
        super().__init__(message, field)
        self.current = current

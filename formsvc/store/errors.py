"""The store raises the domain's errors (kept importable from here)."""

from formsvc.domain.errors import ConflictError, InputError, NotFound

__all__ = ["ConflictError", "InputError", "NotFound"]

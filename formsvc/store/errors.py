"""The store raises the domain's errors (kept importable from here)."""
from formsvc.domain.errors import InputError, NotFound

__all__ = ["InputError", "NotFound"]

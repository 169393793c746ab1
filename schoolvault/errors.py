"""Errors the core raises. Messages are Korean, for the person using the app."""

from __future__ import annotations


class SchoolVaultError(Exception):
    """A data or user error: says what is wrong, where, and what to do (CLI exit 1, GUI dialog)."""

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        parts = [self.message]
        if self.where:
            parts.append(f"위치: {self.where}")
        if self.hint:
            parts.append(f"해결 방법: {self.hint}")
        return "\n".join(parts)

    def to_dict(self) -> dict:
        return {"error": self.message, "where": self.where, "hint": self.hint}


class InstrumentError(SchoolVaultError):
    """An instrument file (guidebook, survey, item bank) is malformed."""


class WorkspaceError(SchoolVaultError):
    """The workspace file is missing, damaged, locked or from a newer version."""


class ImportRefused(SchoolVaultError):
    """A response file cannot be imported; nothing was written."""


class Cancelled(Exception):
    """The user pressed Cancel; the running transaction rolls back and nothing is shown."""

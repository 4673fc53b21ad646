"""Errors the domain raises with a message meant for the person who caused them."""


class DomainError(Exception):
    """A rule was broken; `message` says which, in words a user can act on."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The person may not do this (role, unit scope, phase or lock)."""

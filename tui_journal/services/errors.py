"""Errors a service raises; their text is shown to the user as it is (Russian)."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a message meant for the user."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class PermissionDenied(ServiceError):
    """The acting user's roles do not allow this on this object."""


class NotFound(ServiceError):
    """The object does not exist (or is not visible to the acting user)."""


class InvalidInput(ServiceError):
    """The input is wrong; nothing was changed."""


class Conflict(ServiceError):
    """The change collides with existing data (a duplicate login, a timetable clash…)."""

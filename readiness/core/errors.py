"""Errors raised by services. Views, API and CLI turn them into responses;
every message names the place (file, path, field) that is wrong."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ServiceError(Exception):
    """Base class: a request that cannot be carried out; nothing was changed."""


@dataclass
class InvalidInput(ServiceError):
    errors: list[FieldError]
    source: str = ""

    def __str__(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        return "\n".join(prefix + str(error) for error in self.errors)

    @classmethod
    def single(cls, path: str, message: str, source: str = "") -> "InvalidInput":
        return cls([FieldError(path, message)], source)


@dataclass
class NotFound(ServiceError):
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class EditConflict(ServiceError):
    """A save based on a stale version: someone else saved in between."""

    message: str
    current_version: int
    current: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


@dataclass
class Forbidden(ServiceError):
    """The actor may see the assessment but not do this."""

    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class WrongState(ServiceError):
    """Not possible in the assessment's current workflow state."""

    message: str

    def __str__(self) -> str:
        return self.message

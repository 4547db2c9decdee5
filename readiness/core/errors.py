"""Errors raised by services. Views, API and CLI turn them into responses;
every message names the place (file, path, field) that is wrong. Each kind
carries its HTTP status here, once, for the web views and the API alike."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class FieldError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


def error_document(message: str, errors: Iterable[FieldError] = ()) -> dict[str, Any]:
    """The body of every error answer of the API (documented by
    `readiness.core.api_errors.ErrorOut`): what went wrong, and which fields."""
    return {"message": message, "errors": [{"path": e.path, "message": e.message} for e in errors]}


class ServiceError(Exception):
    """Base class: a request that cannot be carried out; nothing was changed."""

    status: ClassVar[int]

    def document(self) -> dict[str, Any]:
        return error_document(str(self))


@dataclass
class InvalidInput(ServiceError):
    status: ClassVar[int] = 422
    errors: list[FieldError]
    source: str = ""

    def __str__(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        return "\n".join(prefix + str(error) for error in self.errors)

    @classmethod
    def single(cls, path: str, message: str, source: str = "") -> "InvalidInput":
        return cls([FieldError(path, message)], source)

    def document(self) -> dict[str, Any]:
        return error_document(str(self), self.errors)


@dataclass
class NotFound(ServiceError):
    status: ClassVar[int] = 404
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class EditConflict(ServiceError):
    """A save based on a stale version: someone else saved in between."""

    status: ClassVar[int] = 409
    message: str
    current_version: int
    current: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message

    def document(self) -> dict[str, Any]:
        return {
            **error_document(self.message),
            "current_version": self.current_version,
            "current": self.current,
        }


@dataclass
class Forbidden(ServiceError):
    """The actor may see the assessment but not do this."""

    status: ClassVar[int] = 403
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class WrongState(ServiceError):
    """Not possible in the assessment's current workflow state."""

    status: ClassVar[int] = 409
    message: str

    def __str__(self) -> str:
        return self.message

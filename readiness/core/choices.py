"""Choices for pydantic schemas taken from their one definition (a model's
`TextChoices.values`, the report formats, the languages), so that the
schema's `enum` and the services' check cannot drift apart."""

from collections.abc import Iterable
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema


class OneOf:
    """`Annotated[str, OneOf(Evidence.Sign.values)]`: one of those strings,
    listed as the JSON schema's `enum`; the value stays a plain `str`."""

    def __init__(self, values: Iterable[str]) -> None:
        self.values = [str(value) for value in values]

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.literal_schema(self.values)

"""Search as people type it: case and diacritics do not matter, so that
"bo tai chinh", "Bộ Tài chính" and "BO TAI CHINH" find the same ministry."""

import re
import unicodedata
from typing import TypeVar

from django.db.models import Case, Model, QuerySet, Value, When

M = TypeVar("M", bound=Model)

# Letters that Unicode does not decompose into a base letter and a mark.
UNDECOMPOSED = str.maketrans({"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"})
# At most this many words of a query are matched (each one is a LIKE).
MAX_QUERY_WORDS = 8
NOT_WORD = re.compile(r"[\W_]+")


def folded(text: str) -> str:
    """Lower-case, without diacritics."""
    decomposed = unicodedata.normalize("NFD", text.translate(UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    return NOT_WORD.sub(" ", folded(text)).split()


def search_text(*parts: str) -> str:
    """What `matching` looks in: every word of every part, each after a space."""
    return "".join(f" {word}" for part in parts for word in words(part))


def matching(rows: QuerySet[M], query: str) -> QuerySet[M]:
    """The rows with a word starting with each word of the query ("bo tai"
    finds "Bộ Tài chính"; "an" does not find "thuong"), those holding the
    query as a phrase first."""
    typed = words(query)[:MAX_QUERY_WORDS]
    for word in typed:
        rows = rows.filter(search_text__contains=f" {word}")
    if len(typed) < 2:
        return rows
    return rows.order_by(phrase_first(query), *(rows.model._meta.ordering or []))


def phrase_first(query: str) -> Case | Value:
    """0 for the rows holding the words of the query as typed, one after the
    other, 1 for the others: the phrase sorts first."""
    typed = words(query)[:MAX_QUERY_WORDS]
    if len(typed) < 2:
        return Value(1)
    return Case(When(search_text__contains="".join(f" {w}" for w in typed), then=0), default=1)

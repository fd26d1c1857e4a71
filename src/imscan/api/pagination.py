"""Lists come in pages: `?limit=` (1-100, default 50) and `?offset=`, with the total count."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
# Far beyond any list here, and within a 64-bit OFFSET of every database.
MAX_OFFSET = 1_000_000_000

T = TypeVar("T")


class PageIn(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


class Page(Schema, Generic[T]):
    items: list[T]
    count: int = Field(description="Items in the whole list.")
    limit: int
    offset: int


def page(
    items: QuerySet[Any] | Sequence[Any], params: PageIn, present: Callable[[Any], Any]
) -> dict[str, Any]:
    """One page of `items` (a query: two queries, a count and a slice), each presented."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    window = items[params.offset : params.offset + params.limit]
    return {
        "items": [present(item) for item in window],
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
    }

"""Lookups one pipeline batch shares between its messages: read once per batch instead of once per message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anliegen.core.models import Agent, Brand, Incident

_current: ContextVar[Batch | None] = ContextVar("intake_batch", default=None)


@dataclass
class Batch:
    """Valid for one batch transaction only: what it caches may change between batches, never within one's reads."""

    brands: dict[int, Brand] = field(default_factory=dict)
    # brand id -> the brand's agents with their open-case load; assignments in this batch are added locally.
    agents: dict[int, list[Agent]] = field(default_factory=dict)
    incidents: dict[int, list[Incident]] = field(default_factory=dict)
    # Messages queued for delivery in this batch: one delivery task for all of them at the end.
    outbound: list[int] = field(default_factory=list)


def current() -> Batch | None:
    return _current.get()


@contextmanager
def scope() -> Iterator[Batch]:
    """Open a batch scope (nested calls share the outer one)."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    batch = Batch()
    token = _current.set(batch)
    try:
        yield batch
    finally:
        _current.reset(token)


def brand(brand_id: int) -> Brand:
    from anliegen.core.models import Brand

    batch = _current.get()
    if batch is None:
        return Brand.objects.get(pk=brand_id)
    if brand_id not in batch.brands:
        batch.brands[brand_id] = Brand.objects.get(pk=brand_id)
    return batch.brands[brand_id]

"""One version number per brand for everything public about its incidents: a change makes cached pages stale."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 24 * 3600


def key(brand_id: int) -> str:
    return f"selfservice:status-version:{brand_id}"


def version(brand_id: int) -> int:
    value = cache.get(key(brand_id))
    if value is None:
        cache.add(key(brand_id), 1, TIMEOUT)
        value = cache.get(key(brand_id)) or 1
    return int(value)


def changed(brand_id: int) -> None:
    def bump() -> None:
        try:
            cache.incr(key(brand_id))
        except ValueError:
            cache.set(key(brand_id), 2, TIMEOUT)

    transaction.on_commit(bump)

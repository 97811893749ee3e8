"""What the cached public status pages are keyed by: a per-brand stamp of its incidents, checked at most once a second.

The stamp (how many incidents, their latest change) comes from the database, so every process sees a change,
whatever cache backend it has (a local memory per process embedded, Redis in scale-out). Each process reads it
at most once per STATUS_STAMP_SECONDS per brand and keeps it in memory: a reader served from the cache costs no
query. A change made in this process drops its stamp at commit, so it shows here at once and elsewhere within
about that second (plus the time one reader takes to read it anew).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

# brand id -> (monotonic time read, stamp); slug -> (monotonic time seen, brand id). Plain dicts: a lost race
# between two threads only reads the stamp once more.
_stamps: dict[int, tuple[float, str]] = {}
_slugs: dict[str, tuple[float, int]] = {}
_refreshing: dict[int, float] = {}  # brand id -> when a reader was sent to read its stale stamp
SLUG_SECONDS = 300.0


def version(brand_id: int) -> str:
    """The brand's current stamp (one query when this process's copy is older than STATUS_STAMP_SECONDS)."""
    from anliegen.core.models import Incident

    now = time.monotonic()
    held = _stamps.get(brand_id)
    if held is not None and now - held[0] < settings.STATUS_STAMP_SECONDS:
        return held[1]
    row = Incident.objects.filter(brand_id=brand_id).aggregate(n=Count("pk"), t=Max("updated_at"))
    stamp = f"{row['n']}-{row['t'].timestamp() if row['t'] else 0:.6f}"
    _stamps[brand_id] = (now, stamp)
    _refreshing.pop(brand_id, None)
    return stamp


def fresh_version(slug: str) -> tuple[int, str] | None:
    """(brand id, stamp) when this process holds both fresh, else None; never touches the database."""
    now = time.monotonic()
    seen = _slugs.get(slug)
    if seen is None or now - seen[0] >= SLUG_SECONDS:
        return None
    brand_id, held = seen[1], _stamps.get(seen[1])
    if held is None:
        return None
    if now - held[0] < settings.STATUS_STAMP_SECONDS:
        return brand_id, held[1]
    # Stale: one reader goes to Django and reads the stamp anew; the others keep the held one meanwhile, instead of
    # all queueing on Django's one thread every second (a reader stuck there for a whole period hands it on).
    asked = _refreshing.get(brand_id)
    if asked is None or now - asked >= settings.STATUS_STAMP_SECONDS:
        _refreshing[brand_id] = now
        return None
    return brand_id, held[1]


def remember_slug(slug: str, brand_id: int) -> None:
    _slugs[slug] = (time.monotonic(), brand_id)


def page_key(brand_id: int, stamp: str, part: str, lang: str, vary: str = "") -> str:
    digest = hashlib.blake2b(vary.encode(), digest_size=8).hexdigest()
    return f"selfservice:page:{brand_id}:{stamp}:{part}:{lang}:{digest}"


def changed(brand_id: int) -> None:
    """The brand's incidents changed: this process reads the stamp anew after the commit."""
    transaction.on_commit(lambda: _stamps.pop(brand_id, None))


def forget() -> None:
    """Drop every stamp and slug this process holds (after the cache itself was cleared)."""
    _stamps.clear()
    _slugs.clear()
    _refreshing.clear()

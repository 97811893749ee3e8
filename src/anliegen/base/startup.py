"""The end of a process's warm-up: what it loaded is kept out of the garbage collector's reach.

Django's URL configuration, models, templates and catalogues, and the product's, are ~180,000 tracked objects that
live as long as the process. Every collection of the oldest generation walked them all again: 110–330 ms for a web
request and everything queued behind it, 12 % of an e-mail import (bench/README.md, sixth round). Frozen, they are
never collected, which they would not be anyway, and a process forked later (the parse processes) does not touch
their pages. Objects made afterwards are collected as before.
"""

from __future__ import annotations

import gc

_frozen: set[str] = set()


def freeze(stage: str) -> int:
    """Collect, then freeze what exists, once per stage of the process ("intake", "web": `anliegen serve` warms
    up both); a later warm-up of the same stage freezes nothing more. Returns the number of frozen objects."""
    if stage not in _frozen:
        _frozen.add(stage)
        gc.collect()  # what is garbage already is not frozen with the rest
        gc.freeze()
    return gc.get_freeze_count()

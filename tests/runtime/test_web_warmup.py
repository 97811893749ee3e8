"""A web process loads views, templates and catalogues before it serves, then keeps the collector off them."""

from __future__ import annotations

import gc

from anliegen.runtime import web_warmup


def test_every_product_template_is_found_and_compiles():
    names = web_warmup.templates()
    assert {"desk/inbox.html", "desk/_topbar.html", "base.html", "portal/case.html"} <= set(names)
    assert len(names) > 80


def test_warm_up_freezes_what_exists_and_later_objects_are_still_collected():
    try:
        web_warmup.warm_up()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000
        ring = []
        ring.append(ring)  # garbage in a cycle, made after the warm-up
        del ring
        assert gc.collect() >= 1
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()

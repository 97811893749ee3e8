"""What the routing query keeps for seconds (lookup.py) is dropped when this process changes it."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from anliegen.core.models import Brand, Case, Incident

from . import lookup
from .models import PhoneLine


def _drop(*keys: str) -> None:
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))  # and once more for a reader in between


def line_changed(sender: type, instance: PhoneLine, **kwargs: object) -> None:
    _drop(lookup.line_key(instance.brand.slug))


def brand_changed(sender: type, instance: Brand, **kwargs: object) -> None:
    _drop(lookup.line_key(instance.slug))


def incident_changed(sender: type, instance: Incident, **kwargs: object) -> None:
    _drop(lookup.incidents_key(instance.brand_id))


def case_changed(sender: type, instance: Case, **kwargs: object) -> None:
    # An agent's load counts their cases of every brand: drop the counts of every brand that holds some.
    brands = cache.get(lookup.LOADED_BRANDS) or ()
    if brands:
        _drop(*(lookup.loads_key(b) for b in brands))


def connect() -> None:
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(line_changed, sender=PhoneLine, dispatch_uid=f"phone-line-{name}")
        signal.connect(brand_changed, sender=Brand, dispatch_uid=f"phone-brand-{name}")
        signal.connect(incident_changed, sender=Incident, dispatch_uid=f"phone-incident-{name}")
        signal.connect(case_changed, sender=Case, dispatch_uid=f"phone-case-{name}")

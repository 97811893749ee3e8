"""Saved views: an agent's own named filters and those a supervisor shares with a brand, and their counts."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from anliegen.core import roles
from anliegen.core.models import Agent, Case
from anliegen.core.models.case import OPEN_STATES

from .filters import ViewFilter
from .models import SavedView

# The navigation shows at most this many views; their counts are one aggregate query however many there are.
MAX_SHOWN = 20
MAX_OWN = 50


class ViewError(ValueError):
    """A view that cannot be saved or removed; the message is shown to the agent."""


def visible(agent: Agent) -> QuerySet[SavedView]:
    """The agent's own views in their brands and the views shared with those brands."""
    brand_ids = list(roles.of(agent))
    return SavedView.objects.filter(Q(owner=agent) | Q(owner__isnull=True), brand_id__in=brand_ids)


def get_visible(agent: Agent, view_id: int) -> SavedView | None:
    return visible(agent).select_related("brand").filter(pk=view_id).first()


def cases_of(view: SavedView) -> QuerySet[Case]:
    return Case.objects.filter(ViewFilter.from_dict(view.filters).q(), brand_id=view.brand_id)


def with_counts(agent: Agent) -> list[tuple[SavedView, int]]:
    """The first views of the navigation with how many cases each holds, counted in one query and kept for
    SAVED_VIEW_COUNT_SECONDS per agent: every desk page asks for them after it loaded."""
    views = list(visible(agent).order_by("owner_id", "name", "pk")[:MAX_SHOWN])
    if not views:
        return []
    # Keyed by the views as they are now: a view saved, changed, shared or removed is counted anew at once;
    # only cases changing meanwhile show late, by at most the cache time.
    shape = repr([(view.pk, view.brand_id, view.created_at.isoformat(), view.filters) for view in views])
    key = f"anliegen:view-counts:{agent.pk}:{hashlib.sha256(shape.encode()).hexdigest()[:32]}"
    counts = cache.get(key)
    if counts is None:
        counts = _count(views, {view.pk: ViewFilter.from_dict(view.filters) for view in views})
        cache.set(key, counts, settings.SAVED_VIEW_COUNT_SECONDS)
    return [(view, counts[f"v{view.pk}"]) for view in views]


def _count(views: list[SavedView], parsed: dict[int, ViewFilter]) -> dict[str, int]:
    now = timezone.now()
    base = Case.objects.filter(brand_id__in={v.brand_id for v in views})
    states = _states(parsed.values())
    if states is not None:
        # Most cases of a desk are solved or closed: the (brand, state) index keeps them out of the scan.
        base = base.filter(state__in=states)
    return base.aggregate(
        **{f"v{view.pk}": Count("pk", filter=parsed[view.pk].q(now) & Q(brand_id=view.brand_id)) for view in views}
    )


def _states(filters: Iterable[ViewFilter]) -> set[str] | None:
    """The states any of the views can count, or None when one counts every state."""
    states: set[str] = set()
    for view_filter in filters:
        if view_filter.state == "all":
            return None
        states |= {view_filter.state} if view_filter.state else set(OPEN_STATES)
    return states


@transaction.atomic
def check_save_view(agent: Agent, brand_id: int, name: str, data: dict, shared: bool = False) -> SavedView:
    """Save a filter under a name; only a supervisor of the brand shares one with it."""
    if brand_id not in roles.of(agent):
        raise ViewError(_("You do not work for this brand."))
    if shared and not roles.has(agent, brand_id, roles.SUPERVISOR):
        raise ViewError(_("Only a supervisor shares a view with the brand."))
    name = name.strip()[:80]
    if not name:
        raise ViewError(_("A view needs a name."))
    if not shared and SavedView.objects.filter(owner=agent).count() >= MAX_OWN:
        raise ViewError(_("You have %(count)d views already; remove one first.") % {"count": MAX_OWN})
    filters = ViewFilter.from_dict(data).as_dict()
    return SavedView.objects.create(brand_id=brand_id, owner=None if shared else agent, name=name, filters=filters)


def may_change(agent: Agent, view: SavedView) -> bool:
    """One's own view its owner; a shared view the brand's supervisors."""
    if view.owner_id is None:
        return roles.has(agent, view.brand_id, roles.SUPERVISOR)
    return view.owner_id == agent.pk


@transaction.atomic
def check_edit_view(agent: Agent, view: SavedView, name: str, data: dict, shared: bool) -> SavedView:
    """Rename the view, change its filter, share or unshare it; it stays in its brand. A shared view made
    private becomes the view of the supervisor who did it."""
    if not may_change(agent, view):
        shared_one = _("Only a supervisor changes a shared view.")
        raise ViewError(shared_one if view.shared else _("This is a colleague's view."))
    if shared and not roles.has(agent, view.brand_id, roles.SUPERVISOR):
        raise ViewError(_("Only a supervisor shares a view with the brand."))
    name = name.strip()[:80]
    if not name:
        raise ViewError(_("A view needs a name."))
    if view.shared and not shared and SavedView.objects.filter(owner=agent).count() >= MAX_OWN:
        raise ViewError(_("You have %(count)d views already; remove one first.") % {"count": MAX_OWN})
    view.name, view.filters = name, ViewFilter.from_dict(data).as_dict()
    view.owner_id = None if shared else view.owner_id or agent.pk
    view.save(update_fields=["name", "filters", "owner"])
    return view


@transaction.atomic
def check_delete_view(agent: Agent, view: SavedView) -> None:
    if view.owner_id is None and not roles.has(agent, view.brand_id, roles.SUPERVISOR):
        raise ViewError(_("Only a supervisor removes a shared view."))
    if view.owner_id not in (None, agent.pk):
        raise ViewError(_("This is a colleague's view."))
    view.delete()

"""Template helpers for pages every agent opens many times a minute."""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.forms import BoundField
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from anliegen.core.models import Presence

from ..pages import look_key

register = template.Library()
WIDGET_CACHE_SECONDS = 24 * 3600
# Stand-ins for what the cached top bar shows differently on every request. Derived from the secret key: the same in
# every process that shares a cache (Redis), and nobody who writes a name or text can spell one.
_SLOT = salted_hmac("anliegen.desk.topbar-slot", "slot").hexdigest()[:24]
NAV_SLOT, CSRF_SLOT, PATH_SLOT, QUERY_SLOT = (f"{_SLOT}{part}" for part in ("nav", "csrf", "path", "query"))


@register.filter
def widget(field: BoundField) -> SafeString:
    """An empty form's field as HTML, rendered once per look: same name, id, attributes, value, choices, language.

    Django renders a select through one template per option (a list of twenty colleagues costs ~1 ms); the case
    page shows the same handful of empty widgets on every visit. A bound form (with the agent's input or its
    errors) is always rendered afresh.
    """
    if field.form.is_bound:
        return field.as_widget()
    widget = field.field.widget
    look = (
        field.html_name,
        field.auto_id,
        type(widget).__qualname__,
        widget.attrs,
        field.value(),
        list(getattr(widget, "choices", ())),
        field.field.required,
        field.field.disabled,
        get_language(),
    )
    key = look_key("desk-widget", look)
    html = cache.get(key)
    if html is None:
        html = str(field.as_widget())
        cache.set(key, html, WIDGET_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by Django's widget templates above


@register.simple_tag
def desk_nav(here: str | None, may_admin: bool, may_outbox: bool) -> SafeString:
    """The top bar's links (twenty URLs and labels), rendered once per look: page, roles, language."""
    look = (here, bool(may_admin), bool(may_outbox), get_language())
    key = look_key("desk-nav:1", look)
    html = cache.get(key)
    if html is None:
        html = render_to_string("desk/_nav.html", {"here": here, "may_admin": may_admin, "may_outbox": may_outbox})
        cache.set(key, html, WIDGET_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by the template above, which escapes


@register.simple_tag(takes_context=True)
def desk_topbar(context: template.Context) -> SafeString:
    """The desk's top bar, rendered once per agent, presence and language (~1 ms of every desk page before).

    What belongs to the request is filled in afterwards: the links of this page (desk_nav), the CSRF token of
    this response (the same one the rest of the page carries), the path to come back to and the search words,
    escaped as the template would.
    """
    request, agent = context["request"], context.get("agent")
    match = getattr(request, "resolver_match", None)
    nav = desk_nav(match.url_name if match else None, context.get("may_admin"), context.get("may_outbox"))
    look = (agent.pk, agent.name, agent.presence, get_language()) if agent is not None else None
    key = look_key(f"desk-topbar:1:{_SLOT[:8]}", look)  # a new secret key: the old bars are not read
    html = cache.get(key)
    if html is None:
        slots = {"nav": NAV_SLOT, "csrf_token": CSRF_SLOT, "full_path": PATH_SLOT, "query": QUERY_SLOT}
        html = render_to_string("desk/_topbar.html", {"agent": agent, "presence_choices": Presence.choices, **slots})
        cache.set(key, html, WIDGET_CACHE_SECONDS)
    filled = (
        html.replace(NAV_SLOT, nav)
        .replace(CSRF_SLOT, str(context.get("csrf_token", "")))
        .replace(PATH_SLOT, escape(request.get_full_path()))
        .replace(QUERY_SLOT, escape(request.GET.get("q", "")))
    )
    return mark_safe(filled)  # noqa: S308 - rendered by the template above, which escapes; the fillings escaped here

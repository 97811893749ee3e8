"""Template helpers for pages every agent opens many times a minute."""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.forms import BoundField
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from ..pages import look_key

register = template.Library()
WIDGET_CACHE_SECONDS = 24 * 3600


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

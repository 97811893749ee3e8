"""Every channel's pages and webhook door, mounted from the specs: /channels/<name>/ and /hooks/<name>/."""

from __future__ import annotations

from django.urls import include, path

from . import registry, webhooks


def url_patterns() -> list:
    """Every channel's URLs and webhook door, for the root URLconf."""
    patterns: list = []
    for found in registry.CHANNELS.values():
        if found.urls:
            patterns.append(path(f"channels/{found.name}/", include((found.urls, found.name), namespace=found.name)))
        if found.webhook:
            view = webhooks.door(found.name)
            patterns.append(path(f"hooks/{found.name}/", view, name=f"{found.name}-webhook"))
            patterns.append(path(f"hooks/{found.name}/<str:key>/", view, name=f"{found.name}-webhook"))
    return patterns

"""The NinjaAPI instance: integration tokens or the desk's session, one error shape, OpenAPI at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from . import cases, contacts, directory, errors, escalations, messages, privacy, promises, webhooks
from .auth import AUTH, docs_access

api = NinjaAPI(
    title="Anliegen API",
    version="1",
    description=(
        "Cases, messages, contacts, promises, incidents and agents of the brands you work for. Integrations send "
        "`Authorization: Bearer ait_…` (scopes read, write, admin; limited to the integration's brands); agents "
        "use their desk session. Lists are paged by cursor (`next_cursor`); reads carry an ETag (send "
        "If-None-Match for a 304) and updates take If-Match (412 when the resource changed). Every error has "
        'the body {"status", "code", "detail", "errors"}; a spent rate limit is a 429 with Retry-After.'
    ),
    auth=AUTH,
    urls_namespace="api",
    # The docs are for signed-in agents and integration tokens; the Swagger UI comes from ninja's own static
    # files ("ninja" in INSTALLED_APPS), so the page works offline and without a CDN.
    docs_decorator=docs_access,
)
errors.install(api)

api.add_router("/cases", cases.router)
api.add_router("/cases", messages.router)
api.add_router("/promises", promises.router)
api.add_router("/", contacts.router)
api.add_router("/", privacy.router)
api.add_router("/", directory.router)
api.add_router("/", escalations.router)
api.add_router("/", webhooks.router)

"""The ASGI application: Django for HTTP, Channels for the desk's websockets."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anliegen.settings")

from django.conf import settings  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402
from django.db import connections  # noqa: E402

django_app = get_asgi_application()
# Under ASGI every request runs its database work in a thread of its own that ends with the request; a kept-open
# connection would outlive that thread and pile up (one per concurrent request) until PostgreSQL refuses more.
# Opening a connection per request costs 2–5 ms; ANLIEGEN_DB_POOL=<n> lends PostgreSQL connections from a pool of at
# most n per process instead (a request borrows one and gives it back when it ends). Off by default: the pool keeps
# idle connections open for minutes, which counts against small `max_connections` budgets with many processes.
POOL_SIZE = int(os.environ.get("ANLIEGEN_DB_POOL", "0") or 0)
if POOL_SIZE > 0:
    # A connection opened for setup before the pool existed would be "returned" to it on close; only that one is
    # closed (worker processes import this module inside their event loop, where closing is not allowed).
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            connection.close()
for database in settings.DATABASES.values():
    database["CONN_MAX_AGE"] = 0
    if POOL_SIZE > 0 and database["ENGINE"].startswith("django.db.backends.postgresql"):
        database.setdefault("OPTIONS", {}).setdefault("pool", {"min_size": 1, "max_size": POOL_SIZE})

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from anliegen.desk.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

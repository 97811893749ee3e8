"""The ASGI application: Django for HTTP, Channels for the desk's websockets."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anliegen.settings")

from a2wsgi import WSGIMiddleware  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connections  # noqa: E402

# Every view is synchronous. Django's ASGI handler would switch threads for each middleware hook and give every
# request a thread of its own (~30 switches and a new database connection per request: 20 ms instead of 12 for an
# inbox page at 1M cases). Run through the WSGI handler instead, on a fixed set of threads per process
# (ANLIEGEN_WEB_THREADS, default 1): one switch per request, and each thread keeps its database connection
# (CONN_MAX_AGE, checked before reuse) from request to request. Concurrency comes from the number of processes
# (`anliegen web --workers N`); websockets stay asynchronous (Channels, below). (asgiref's WsgiToAsgi leaks its
# thread executor into the next request of a kept-alive connection; a2wsgi keeps a plain thread pool.)
THREADS = max(int(os.environ.get("ANLIEGEN_WEB_THREADS", "1") or 1), 1)
POOL_SIZE = int(os.environ.get("ANLIEGEN_DB_POOL", "0") or 0)
for database in settings.DATABASES.values():
    if POOL_SIZE > 0 and database["ENGINE"].startswith("django.db.backends.postgresql"):
        # A pool of at most n connections per process, for a proxy setup that wants connections returned.
        database.setdefault("OPTIONS", {}).setdefault("pool", {"min_size": 1, "max_size": POOL_SIZE})
        database["CONN_MAX_AGE"] = 0
    else:
        database["CONN_MAX_AGE"] = int(os.environ.get("ANLIEGEN_CONN_MAX_AGE", "300"))
        database["CONN_HEALTH_CHECKS"] = True
if POOL_SIZE > 0:
    # A connection opened for setup before the pool existed would be "returned" to it on close; only that one is
    # closed (worker processes import this module inside their event loop, where closing is not allowed).
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None:
            connection.close()
django_app = WSGIMiddleware(get_wsgi_application(), workers=THREADS)

from anliegen.selfservice.fastpath import StatusFastPath  # noqa: E402

# Status page readers served from the cache before the thread hop into Django (selfservice/fastpath.py).
django_app = StatusFastPath(django_app)

from anliegen.channels.phone.fastpath import PhoneRouteFastPath  # noqa: E402

# The PBX's routing query answered on threads of its own, without the request machinery (channels/phone/fastpath.py).
django_app = PhoneRouteFastPath(django_app)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from anliegen.channels.chat.routing import agent_urlpatterns, visitor_urlpatterns  # noqa: E402
from anliegen.desk.routing import websocket_urlpatterns  # noqa: E402

# Agents' sockets accept only this site's own origin; the chat widget's socket runs on the brands' sites and
# checks their origins itself (chat/session.py), so it is routed before the origin validator.
agent_sockets = AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns + agent_urlpatterns)))
visitor_sockets = URLRouter(visitor_urlpatterns)


async def websockets(scope: dict, receive: object, send: object) -> None:
    app = visitor_sockets if scope["path"].startswith("/ws/chat/") else agent_sockets
    await app(scope, receive, send)


application = ProtocolTypeRouter({"http": django_app, "websocket": websockets})

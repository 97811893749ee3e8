"""The ASGI application: Django for HTTP, Channels for the desk's websockets."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anliegen.settings")

from django.conf import settings  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_app = get_asgi_application()
# Under ASGI every request runs its database work in a thread of its own that ends with the request; a kept-open
# connection would outlive that thread and pile up (one per concurrent request) until PostgreSQL refuses more.
for database in settings.DATABASES.values():
    database["CONN_MAX_AGE"] = 0

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

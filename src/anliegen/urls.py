"""The URL map: customer pages at the root, the desk under /desk/, the API under /api/, admin under /admin/,
each channel's pages under /channels/<name>/ and its provider webhook under /hooks/<name>/ (from its spec)."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from anliegen.api.api import api
from anliegen.channels import urls as channel_urls
from anliegen.desk.views.account import admin_login

admin.site.login = admin_login  # throttled, and with the second factor

urlpatterns = [
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's); ours is an SVG.
    path("favicon.ico", RedirectView.as_view(url=static("anliegen/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("desk/", include("anliegen.desk.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *channel_urls.url_patterns(),
    path("continue/", include("anliegen.channels.social.urls")),  # a public reply's way to a private channel
    path("", include("anliegen.selfservice.urls")),
    path("", include("anliegen.csat.urls")),
    path("", include("anliegen.portal.urls")),
]

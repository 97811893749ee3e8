"""The URL map: customer pages at the root, the desk under /desk/, the API under /api/, admin under /admin/,
each channel's pages under /channels/<name>/ and its provider webhook under /hooks/<name>/ (from its spec)."""

from django.contrib import admin
from django.urls import include, path

from anliegen.api.api import api
from anliegen.channels import registry

urlpatterns = [
    path("admin/", admin.site.urls),
    path("desk/", include("anliegen.desk.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *registry.url_patterns(),
    path("", include("anliegen.portal.urls")),
]

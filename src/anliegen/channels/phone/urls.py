"""The phone channel's own URL (mounted at /channels/phone/ from its spec): who should take a ringing call."""

from django.urls import path

from . import query

urlpatterns = [
    path("route/<str:key>/", query.route_call, name="route"),
]

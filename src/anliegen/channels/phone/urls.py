"""The phone channel's own URLs (mounted at /channels/phone/ from its spec): who should take a ringing call, and
the booking of a callback offered in that answer."""

from django.urls import path

from . import bookview, query

urlpatterns = [
    path("route/<str:key>/", query.route_call, name="route"),
    path("callback/<str:signed>/", bookview.book_call, name="callback"),
]

"""The desk's messaging pages, mounted under /desk/channels/."""

from django.urls import path

from . import desk

urlpatterns = [
    path("", desk.board, name="channel_health"),
    path("<int:brand_id>/<str:channel>/check/", desk.check, name="channel_check"),
]

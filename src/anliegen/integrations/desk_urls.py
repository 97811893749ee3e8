"""The desk's webhook pages, mounted under /desk/webhooks/."""

from django.urls import path

from . import desk

urlpatterns = [
    path("", desk.log, name="webhook_log"),
    path("<int:delivery_id>/replay/", desk.replay, name="webhook_replay"),
]

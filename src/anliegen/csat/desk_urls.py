"""The desk's satisfaction pages, mounted under /desk/satisfaction/."""

from django.urls import path

from . import desk

urlpatterns = [
    path("", desk.follow_ups, name="csat_follow_ups"),
    path("<int:follow_up_id>/done/", desk.finish, name="csat_finish"),
]

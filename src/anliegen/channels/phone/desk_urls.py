"""The desk's phone pages, mounted under /desk/phone/."""

from django.urls import path

from . import desk

urlpatterns = [
    path("", desk.board, name="phone_board"),
    path("state/", desk.toggle, name="phone_toggle"),
    path("calls/<int:call_id>/pop/", desk.pop, name="phone_pop"),
    path("calls/<int:call_id>/note/", desk.note, name="phone_note"),
    path("calls/<int:call_id>/summary/", desk.send_summary, name="phone_summary"),
    path("callbacks/<int:promise_id>/dial/", desk.dial, name="phone_dial"),
]

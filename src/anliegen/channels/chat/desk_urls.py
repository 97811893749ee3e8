"""The desk's chat pages, mounted under /desk/chats/."""

from django.urls import path

from . import desk

urlpatterns = [
    path("", desk.chats, name="chats"),
    path("<int:conversation_id>/", desk.chat_panel, name="chat_panel"),
]

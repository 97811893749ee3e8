"""Websocket routes of the chat: the visitor's socket per brand, and the agents' chat socket in the desk."""

from django.urls import path

from .agent_socket import AgentChatConsumer
from .visitor_socket import VisitorConsumer

visitor_urlpatterns = [path("ws/chat/<slug:brand>/", VisitorConsumer.as_asgi())]
agent_urlpatterns = [path("ws/desk/chat/", AgentChatConsumer.as_asgi())]

"""Chat URLs over HTTP (the conversation itself is a websocket, see routing.py)."""

from django.urls import path

from . import views

app_name = "chat"
urlpatterns = [path("<slug:brand_slug>/demo/", views.demo, name="demo")]

"""The private continuation of a public post: /continue/<signed token>/."""

from django.urls import path

from . import views

app_name = "social"
urlpatterns = [path("<str:token>/", views.continue_privately, name="continue")]

"""Customer-facing URLs."""

from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<str:token>/", views.case_page, name="case"),
]

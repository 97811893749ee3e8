"""The rating links: /rate/<token>/ (the form) and /rate/<token>/<score>/ (one click from the mail)."""

from django.urls import path

from . import views

app_name = "csat"
urlpatterns = [
    path("rate/<str:token>/", views.rate, name="rate"),
    path("rate/<str:token>/<int:score>/", views.rate, name="rate_score"),
]

"""In-app report endpoints per brand: report (API key) and the signed poll link."""

from django.urls import path

from . import inbound, poll

app_name = "app"
urlpatterns = [
    path("<slug:brand_slug>/reports", inbound.report, name="report"),
    path("<slug:brand_slug>/reports/<str:token>/", poll.poll, name="poll"),
]

"""The desk's report pages, mounted under /desk/reports/."""

from django.urls import path

from . import desk

urlpatterns = [
    path("", desk.report, name="reports"),
    path("export.csv", desk.report_csv, name="reports_csv"),
]

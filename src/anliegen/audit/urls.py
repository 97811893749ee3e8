"""The desk's audit pages, mounted under /desk/audit/."""

from django.urls import path

from . import desk

urlpatterns = [path("", desk.audit_log, name="audit_log")]

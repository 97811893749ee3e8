"""The desk's WhatsApp actions, mounted under /desk/whatsapp/."""

from django.urls import path

from . import desk

urlpatterns = [path("cases/<int:case_id>/template/", desk.send_template, name="whatsapp_template")]

"""Export and erasure of a contact in the desk, mounted under /desk/privacy/."""

from django.urls import path

from . import desk

urlpatterns = [
    path("contacts/<int:contact_id>/export/", desk.export_contact, name="contact_export"),
    path("contacts/<int:contact_id>/erase/", desk.erase_contact, name="contact_erase"),
]

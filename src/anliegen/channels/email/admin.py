"""Admin pages of the e-mail channel: the IMAP mailboxes to collect from, and the captured outbox."""

from django import forms
from django.contrib import admin

from .models import CapturedMail, Mailbox


class MailboxForm(forms.ModelForm):
    class Meta:
        model = Mailbox
        fields = ["brand", "host", "port", "ssl", "username", "password", "folder", "after", "move_to", "active"]
        widgets = {"password": forms.PasswordInput(render_value=True)}


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ["__str__", "brand", "active", "last_uid", "last_checked_at", "last_error"]
    list_filter = ["brand", "active"]
    readonly_fields = ["uidvalidity", "last_uid", "last_error", "last_checked_at"]


@admin.register(CapturedMail)
class CapturedMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipients", "created_at"]
    search_fields = ["subject", "recipients", "message_id"]
    readonly_fields = ["sender", "recipients", "subject", "message_id", "raw", "created_at"]

"""The customer's forms: the contact form of a brand and the reply box on the case page."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from anliegen.core.header_safe import one_line
from anliegen.core.services.contacts import normalise

MAX_TEXT = 20_000
DEFAULT_MAX_ATTACHMENT = 10 * 1024 * 1024


def max_attachment_bytes() -> int:
    return int(getattr(settings, "FORM_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT))


def nonce(value: object = None) -> str:
    """The form's idempotency key: the posted one when it is a UUID, else a fresh one."""
    try:
        return str(uuid.UUID(str(value)))
    except (TypeError, ValueError, AttributeError):
        return str(uuid.uuid4())


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=160, required=False)
    email = forms.CharField(label=_("E-mail address"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("Your message"),
        max_length=MAX_TEXT,
        widget=forms.Textarea,
        error_messages={"max_length": _("Please keep your message under %(limit_value)d characters.")},
    )
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False)
    # Hidden from people by the CSS class "hp"; form-filling robots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    submission = forms.CharField(widget=forms.HiddenInput, required=False)
    # The signed link of the customer's case (from her case page): the only way a form post joins a case.
    case = forms.CharField(widget=forms.HiddenInput, required=False, max_length=400)

    def __init__(self, *args: object, region: str = "DE", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.region = region  # the brand's: "040 123456" is read as a number in that country

    def clean_name(self) -> str:
        return one_line(self.cleaned_data["name"])

    def clean_subject(self) -> str:
        subject = one_line(self.cleaned_data["subject"])
        if not subject:
            raise forms.ValidationError(self.fields["subject"].error_messages["required"], code="required")
        return subject

    def clean_email(self) -> str:
        value = self.cleaned_data["email"].strip()
        if not value:
            return ""
        try:
            return normalise("email", value)
        except ValueError:
            raise forms.ValidationError(
                _("This does not look like an e-mail address, e.g. name@example.org.")
            ) from None

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        try:
            return normalise("phone", value, self.region)
        except ValueError:
            raise forms.ValidationError(_("This does not look like a phone number, e.g. +49 40 123456.")) from None

    def clean_attachment(self) -> object:
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size > max_attachment_bytes():
            raise forms.ValidationError(
                _("The file is %(size)s; files up to %(limit)s can be sent. Please send a smaller file.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_attachment_bytes())}
            )
        return upload

    def clean(self) -> dict:
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(
                _("Your message could not be sent. Please leave the field “Leave this field empty” empty."),
                code="honeypot",
            )
        given = data.get("email") or data.get("phone")
        if not given and "email" not in self.errors and "phone" not in self.errors:
            raise forms.ValidationError(
                _("Please give an e-mail address or a phone number so we can answer you."), code="no_contact"
            )
        return data

    def had_file(self) -> bool:
        return bool(self.files.get(self.add_prefix("attachment")))


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        max_length=MAX_TEXT,
        widget=forms.Textarea,
        error_messages={"max_length": _("Please keep your message under %(limit_value)d characters.")},
    )
    submission = forms.CharField(widget=forms.HiddenInput, required=False)

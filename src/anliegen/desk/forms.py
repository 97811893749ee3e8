"""The desk's forms: reply, note, state, reassign, presence, queue filter; they parse input, services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anliegen.base.parsed import ParsedAttachment
from anliegen.channels import registry
from anliegen.core.models import Case, CaseState, Channel, Presence
from anliegen.core.services.cases import reply_target

from . import scope

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
NEXT_STATES = [(CaseState.WAITING, _("waiting for customer")), (CaseState.SOLVED, _("solved"))]


def reply_channels(case: Case) -> list[tuple[str, str]]:
    """The channels a reply can take: those the contact has a reachable identity on and the product can send on."""
    kinds = {i.kind for i in case.contact.identities.all() if not i.undeliverable}
    labels = dict(Channel.choices)
    choices = [(s.name, labels.get(s.name, s.name)) for s in registry.specs() if s.can_send and s.identity in kinds]
    # Nobody to send to: the reply still shows on the customer's case page.
    return choices or [(registry.CASE_PAGE, _("case page only"))]


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea, max_length=50_000, strip=True)
    attachment = forms.FileField(label=_("Attachment"), required=False)
    channel = forms.ChoiceField(label=_("Send via"))
    next_state = forms.ChoiceField(label=_("Then the case is"), choices=NEXT_STATES, initial=CaseState.WAITING)

    def __init__(self, case: Case, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = reply_channels(case)
        self.fields["channel"].choices = choices
        default = reply_target(case)[0]
        self.fields["channel"].initial = default if default in dict(choices) else choices[0][0]

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("The attachment is larger than 10 MB."))
        return upload

    def attachments(self) -> list[ParsedAttachment]:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return []
        content_type = upload.content_type or "application/octet-stream"
        return [ParsedAttachment(filename=upload.name, content_type=content_type, data=upload.read())]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000)


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=CaseState.choices)


class ReassignForm(forms.Form):
    new_owner = forms.ModelChoiceField(label=_("Hand over to"), queryset=None, empty_label=None)
    note = forms.CharField(
        label=_("Handover note (what the colleague needs to know)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
    )

    def __init__(self, case: Case, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = scope.colleagues(case)


class PresenceForm(forms.Form):
    presence = forms.ChoiceField(choices=Presence.choices)


QUEUE_STATES = [("", _("open and waiting")), *CaseState.choices]


class QueueFilterForm(forms.Form):
    brand = forms.TypedChoiceField(label=_("Brand"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False, choices=QUEUE_STATES)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(
        self,
        brands: list[tuple[int, str]],
        *args: Any,
        teams: list[tuple[int, str]] = (),
        tags: list[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", _("all my brands")), *brands]
        self.fields["team"].choices = [("", _("all teams")), *teams]
        self.fields["tag"].choices = [("", _("all tags")), *tags]

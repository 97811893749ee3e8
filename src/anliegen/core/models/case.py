"""Cases (one customer concern across channels), their messages, attachments and audit events."""

import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# A queued message nobody has sent by then may be sent again by an agent (its task may be lost).
STUCK_AFTER = timedelta(minutes=2)


def new_reply_token() -> str:
    # Short enough for a reply address, long enough not to be guessed (31^10 ≈ 8e14).
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(10))


class CaseState(models.TextChoices):
    OPEN = "open", _("open")
    WAITING = "waiting", _("waiting for customer")
    SOLVED = "solved", _("solved")
    CLOSED = "closed", _("closed")


OPEN_STATES = (CaseState.OPEN, CaseState.WAITING)


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    WEBFORM = "webform", _("web form")
    PORTAL = "portal", _("case page")
    PHONE = "phone", _("phone")
    CHAT = "chat", _("chat")
    X = "x", "X"
    X_DM = "x_dm", _("X direct message")
    FACEBOOK = "facebook", "Facebook Messenger"
    FACEBOOK_PAGE = "facebook_page", _("Facebook page")
    INSTAGRAM = "instagram", "Instagram"
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    SMS = "sms", "SMS"
    APP = "app", _("app")
    COMMUNITY = "community", _("community")
    DESK = "desk", _("desk")


class Direction(models.TextChoices):
    IN = "in", _("from customer")
    OUT = "out", _("to customer")
    INTERNAL = "internal", _("internal")


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("message")
    CONFIRMATION = "confirmation", _("confirmation")
    CALL = "call", _("call")
    NOTE = "note", _("note")
    AUTOMATIC = "automatic", _("automatic mail")


class Case(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.PROTECT, related_name="cases")
    contact = models.ForeignKey("core.Contact", on_delete=models.PROTECT, related_name="cases")
    # Exactly one owner from the first minute: NOT NULL, never cascaded away.
    owner = models.ForeignKey("core.Agent", on_delete=models.PROTECT, related_name="owned_cases")
    subject = models.CharField(_("subject"), max_length=250)
    state = models.CharField(_("state"), max_length=10, choices=CaseState.choices, default=CaseState.OPEN)
    language = models.CharField(_("language"), max_length=8, default="de")
    preferred_channel = models.CharField(_("preferred reply channel"), max_length=16, choices=Channel.choices)
    reply_token = models.CharField(max_length=16, unique=True, default=new_reply_token, editable=False)
    # What a decision on this case needs, e.g. {"credit_max_cents": 2000}; routing matches it to authority.
    needs = models.JSONField(_("needs"), default=dict, blank=True)
    incident = models.ForeignKey(
        "core.Incident", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    # The team routing gave the case to (its owner is one of the members); none for most cases.
    team = models.ForeignKey(
        "core.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases", verbose_name=_("team")
    )
    answer_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_customer_at = models.DateTimeField(null=True, blank=True)
    # A case merged into another is closed and points there; replies to its old mails follow the pointer.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("merged into")
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["brand", "state", "-updated_at"], name="case_brand_state_upd_idx"),
            models.Index(fields=["owner", "state", "-updated_at"], name="case_owner_state_upd_idx"),
            models.Index(fields=["contact", "state"], name="case_contact_state_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    def batch_keys(self) -> list[tuple]:
        """What a lookup in an intake batch may find this row by while it is not written (base/writes.py)."""
        return [("token", self.reply_token), ("cases of", self.contact_id), ("case", self.pk)]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def subject_tag(self) -> str:
        # A quiet fallback for mail clients that drop reply headers; never the headline.
        return f"[Ref {self.reply_token}]"


class Message(models.Model):
    class Delivery(models.TextChoices):
        NONE = "", _("not sent")
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    brand = models.ForeignKey("core.Brand", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    kind = models.CharField(max_length=16, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    author_agent = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Set when a deputy writes for the owner: the customer sees "X on behalf of Y".
    on_behalf_of = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    subject = models.CharField(max_length=250, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)  # always sanitised before it is stored
    # Sender/recipient address on the channel (mail address, phone number, handle).
    address = models.CharField(max_length=254, blank=True)
    external_id = models.CharField(max_length=250, blank=True, db_index=True)  # e.g. Message-ID
    # The id this message answers; lets a parent that arrives after its reply find that reply's case.
    in_reply_to = models.CharField(max_length=250, blank=True, db_index=True)
    public = models.BooleanField(default=False)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.NONE, blank=True)
    delivery_error = models.TextField(blank=True)
    delivery_attempts = models.PositiveSmallIntegerField(default=0)
    # The sender holding the message while it sends it, and until when (services/delivery.py).
    delivery_claim = models.CharField(max_length=32, blank=True, default="")
    delivery_lease_until = models.DateTimeField(null=True, blank=True)
    inbound = models.ForeignKey(
        "intake.Inbound", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="message_case_created_idx"),
            # Only messages being sent carry a claim: the delivery sweep reads a tiny index, not every message.
            models.Index(
                fields=["delivery_lease_until"], name="message_claimed_idx", condition=~models.Q(delivery_claim="")
            ),
            # Messages waiting for their first send: what a delivery task tops its batch up with (delivery.claim_due).
            models.Index(
                fields=["channel", "id"],
                name="message_due_idx",
                condition=models.Q(delivery="queued", delivery_claim="", delivery_attempts=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.channel} {self.created_at:%Y-%m-%d %H:%M}"

    def batch_keys(self) -> list[tuple]:
        """What a lookup in an intake batch may find this row by while it is not written (base/writes.py)."""
        found = [("messages of", self.case_id)]
        if self.kind == "confirmation":
            found.append(("confirmed", self.case_id, self.address))
        if self.external_id:
            found.append(("mid", self.external_id))
        if self.in_reply_to:
            found.append(("irt", self.in_reply_to))
        return found

    @property
    def can_send_again(self) -> bool:
        """Failed, or queued with nobody sending it now (a retry is waiting, or its sender stopped)."""
        if self.delivery == self.Delivery.FAILED:
            return True
        if self.delivery != self.Delivery.QUEUED or self.sending_now:
            return False
        return bool(self.delivery_error) or self.created_at < timezone.now() - STUCK_AFTER

    @property
    def sending_now(self) -> bool:
        lease = self.delivery_lease_until
        return bool(self.delivery_claim) and lease is not None and lease > timezone.now()


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    content_id = models.CharField(max_length=250, blank=True)  # inline images (cid:)
    file = models.FileField(upload_to="attachments/%Y/%m/")

    def __str__(self) -> str:
        return self.filename


class CaseEvent(models.Model):
    """The audit trail of a case: who changed what, and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        STATE = "state", _("state changed")
        REASSIGNED = "reassigned", _("reassigned")
        ESCALATED = "escalated", _("escalated")
        MERGED = "merged", _("merged")
        SPLIT = "split", _("split")
        NOTE = "note", _("note")
        INCIDENT = "incident", _("linked to incident")
        PROMISE = "promise", _("promise")
        CONTACT = "contact", _("contact changed")
        IDENTITY = "identity", _("identity")
        DEPUTY = "deputy", _("deputy")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on case {self.case_id}"

    def batch_keys(self) -> list[tuple]:
        """What a lookup in an intake batch may find this row by while it is not written (base/writes.py)."""
        return [("events of", self.case_id)]

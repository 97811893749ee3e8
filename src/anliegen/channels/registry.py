"""The channels the product speaks: one ChannelSpec each, the only place that says what a channel is.

Core, intake, the desk and the portal ask the spec (can it send, which identity kind does it answer on, is it
public, how is it confirmed) instead of naming channels. Parsers, senders, URL modules and webhooks are dotted
paths, imported on first use, so this module imports nothing of the product and anything may read it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from anliegen.base.parsed import ParsedMessage
    from anliegen.core.models import Message

# Where a reply goes when the asked-for channel cannot carry it, and what shows everything when nothing can.
FALLBACK = "email"
CASE_PAGE = "portal"


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    parse: str  # (raw bytes, meta) -> ParsedMessage
    send: str = ""  # (Message) -> None; "" when the channel cannot carry a reply
    send_many: str = ""  # (list[Message], on_sent=) -> {pk: None | exception}; else `send` one at a time
    identity: str = ""  # the identity kind the channel reaches a customer on ("" = none of its own)
    public: bool = False  # everything written there is readable by anyone: never personal data
    max_length: int | None = None  # characters one outgoing message may carry (None = no limit)
    confirm_length: int | None = None  # the confirmation's own limit, where shorter is cheaper (SMS segments)
    confirm: str = ""  # the channel a new message is confirmed on; "" = none (the sender sees the case page)
    answer_by: str = FALLBACK  # who answers when this channel cannot send (a web form is answered by e-mail)
    quotes_external_id: bool = False  # its external id is what a reply refers to (Message-ID -> In-Reply-To)
    synchronous: bool = False  # intake processes within the request: the sender waits for the result
    # Its parser reads the payload alone (no database, no request): it may run in another process (parse_ahead).
    parses_ahead: bool = False
    # An address given there proves nothing (anyone may type one into a form): only a signed case link joins
    # an existing case; a like one is named, not joined.
    signed_links_only: bool = False
    record: str = ""  # (pipeline context) -> Recorded: stores its items its own way (a call: one message for all)
    urls: str = ""  # a urlconf module, mounted at channels/<name>/ (namespace = name)
    webhook: str = ""  # a channels.webhooks.Webhook subclass, mounted at hooks/<name>/ and hooks/<name>/<key>/
    may_send: str = ""  # (case, address) -> str: why a free-text reply cannot go now, "" when it can (WhatsApp's 24h)
    composer: str = ""  # (case) -> dict | None: a panel above the desk's reply form ({"template": ..., ...})
    health: str = ""  # (Brand) -> str: the provider's account endpoint with the brand's credentials (messaging.health)
    # (case, agent, text, channel, address) -> text: what a public reply must pass (short, signed, nothing
    # personal, the link continuing privately); raises a CaseError when it cannot. Every public channel has one.
    public_reply: str = ""
    confirmation_extra: str = ""  # (case, language) -> dict added to every confirmation (the phone's wait)
    incident_of: str = ""  # (brand id, in_reply_to) -> Incident | None: a reply to the brand's own post is about
    posts: str = ""  # the social account provider (social.Provider) whose brand posts (incident news) go here
    link_length: int | None = None  # what one link counts towards max_length (X: every link is 23 characters)
    loops: bool = True  # many items from one sender within minutes are a loop (a call's several events are not)
    calls_back: bool = False  # the customer may ask to be called back on it (the continuation page offers it)
    continues: str = ""  # how the continuation page offers it to a public post's author ("by e-mail"); "" = not
    html: bool = False  # carries the HTML part of a rendered message besides its text
    summary: bool = False  # a call's written summary may go by it (the first the customer has, registry order)
    ready: str = ""  # (brand id) -> bool: the brand has what the channel sends from (SMS: a number of its own)
    start_link: str = ""  # (brand) -> str: where the customer starts a chat themselves (wa.me, t.me); "" = none
    # (case, agent, text, address) -> Message | None: the first message on it where writing first is special
    # (WhatsApp outside the 24 hours: a template; Telegram: none to someone who never wrote); None = as any.
    opener: str = ""

    @property
    def can_send(self) -> bool:
        return bool(self.send)


CHANNELS: dict[str, ChannelSpec] = {
    spec.name: spec
    for spec in (
        ChannelSpec(
            "email",
            parse="anliegen.channels.email.parse.parse",
            send="anliegen.channels.email.outbound.send",
            send_many="anliegen.channels.email.outbound.send_many",
            identity="email",
            confirm="email",
            quotes_external_id=True,
            continues=_("by e-mail"),
            html=True,
            summary=True,
            parses_ahead=True,
        ),
        ChannelSpec(
            "webform",
            parse="anliegen.channels.webform.parse.parse",
            confirm="email",
            # Not synchronous: the post only stores the submission and the worker takes it with the others
            # waiting (one batch, not a pipeline per request); the thanks page shows the owner once it has.
            signed_links_only=True,
        ),
        ChannelSpec("portal", parse="anliegen.channels.portal.parse.parse", synchronous=True),
        # A call is no channel to write to: its written answers go by e-mail (or show on the case page).
        ChannelSpec(
            "phone",
            parse="anliegen.channels.phone.parse.parse",
            identity="phone",
            synchronous=True,  # ringing reaches the desk (screen pop) within the PBX's request
            record="anliegen.channels.phone.record.record_call",  # one call message, however many events
            confirmation_extra="anliegen.channels.phone.offers.confirmation_extra",
            loops=False,  # one call sends many events
            calls_back=True,
            urls="anliegen.channels.phone.urls",  # the routing query: /channels/phone/route/<slug>.<token>/
            webhook="anliegen.channels.phone.webhook.CtiWebhook",  # call events: /hooks/phone/<slug>.<token>/
        ),
        # The widget names the owner in its answer to the first line: no confirmation message of its own.
        ChannelSpec(
            "chat",
            parse="anliegen.channels.chat.parse.parse",
            send="anliegen.channels.chat.outbound.send",
            identity="chat_id",
            max_length=4000,
            synchronous=True,
            urls="anliegen.channels.chat.urls",
        ),
        # X: one webhook (hooks/x/<brand>/) for both; a public reply is short, names its author, carries no data.
        ChannelSpec(
            "x",
            parse="anliegen.channels.x.parse.parse",
            send="anliegen.channels.x.outbound.send",
            identity="x_id",
            public=True,
            public_reply="anliegen.channels.social.public_reply.prepare",
            incident_of="anliegen.channels.social.proactive.incident_replied_to",  # replies to its posts
            max_length=280,
            link_length=23,  # X counts every link as a t.co link of 23 characters
            posts="x",
            confirm="x",  # a short public answer naming the owner, with the link to continue privately
            webhook="anliegen.channels.x.webhook.XWebhook",
            health="anliegen.channels.x.health.check",
        ),
        ChannelSpec(
            "x_dm",
            parse="anliegen.channels.x.parse.parse",
            send="anliegen.channels.x.outbound.send_dm",
            identity="x_id",
            max_length=10000,
            confirm="x_dm",
        ),
        # Meta: one webhook (hooks/facebook/<brand>/) for Messenger, Instagram and the page's comments.
        ChannelSpec(
            "facebook",
            parse="anliegen.channels.meta.parse.parse",
            send="anliegen.channels.meta.outbound.send",
            identity="facebook_psid",
            max_length=2000,
            confirm="facebook",
            webhook="anliegen.channels.meta.webhook.MetaWebhook",
            health="anliegen.channels.meta.health.check",
        ),
        ChannelSpec(
            "instagram",
            parse="anliegen.channels.meta.parse.parse",
            send="anliegen.channels.meta.outbound.send",
            identity="instagram_id",
            max_length=1000,
            confirm="instagram",
            health="anliegen.channels.meta.health.check_instagram",
        ),
        ChannelSpec(
            "facebook_page",
            parse="anliegen.channels.meta.parse.parse",
            send="anliegen.channels.meta.outbound.send_comment",
            identity="facebook_psid",
            public=True,
            public_reply="anliegen.channels.social.public_reply.prepare",
            incident_of="anliegen.channels.social.proactive.incident_replied_to",  # replies to its posts
            max_length=1000,
            posts="facebook",
            confirm="facebook_page",
        ),
        # The confirmation goes back on WhatsApp; after 24 hours only an approved template may (docs/messaging.md).
        ChannelSpec(
            "whatsapp",
            parse="anliegen.channels.whatsapp.parse.parse",
            send="anliegen.channels.whatsapp.outbound.send",
            identity="whatsapp",
            max_length=4096,
            confirm="whatsapp",
            webhook="anliegen.channels.whatsapp.webhook.WhatsAppWebhook",
            health="anliegen.channels.whatsapp.graph.check",
            may_send="anliegen.channels.whatsapp.window.refusal",
            composer="anliegen.channels.whatsapp.desk.composer",
            continues=_("on WhatsApp"),
            start_link="anliegen.channels.whatsapp.opening.start_link",
            opener="anliegen.channels.whatsapp.opening.opener",
        ),
        ChannelSpec(
            "telegram",
            parse="anliegen.channels.telegram.parse.parse",
            send="anliegen.channels.telegram.outbound.send",
            identity="telegram_id",
            max_length=4096,
            confirm="telegram",
            webhook="anliegen.channels.telegram.webhook.TelegramWebhook",  # hooks/telegram/<bot id>/
            health="anliegen.channels.telegram.botapi.check",
            start_link="anliegen.channels.telegram.opening.start_link",
            opener="anliegen.channels.telegram.opening.opener",
        ),
        # The texts go through SMS_BACKEND (the transport verification codes use too); long ones in segments.
        ChannelSpec(
            "sms",
            parse="anliegen.channels.sms.parse.parse",
            send="anliegen.channels.sms.outbound.send",
            identity="phone",
            max_length=1600,
            confirm_length=306,  # two GSM-7 segments: the owner, the ways to reach them and when, no more
            confirm="sms",
            webhook="anliegen.channels.sms.webhook.SmsWebhook",  # hooks/sms/<brand slug>/
            health="anliegen.channels.sms.twilio.check",
            summary=True,
            ready="anliegen.channels.sms.outbound.has_number",  # texts go from the brand's own number
        ),
        # The JSON response to a report is its confirmation; answers wait for the app's poll (or go by e-mail).
        ChannelSpec(
            "app",
            parse="anliegen.channels.app.parse.parse",
            send="anliegen.channels.app.outbound.send",
            identity="app_user_id",
            synchronous=True,
            urls="anliegen.channels.app.urls",
        ),
    )
}


class UnknownChannel(LookupError):
    pass


def spec(channel: str) -> ChannelSpec:
    try:
        return CHANNELS[channel]
    except KeyError as exc:
        raise UnknownChannel(f"no channel {channel!r}") from exc


def find(channel: str) -> ChannelSpec | None:
    return CHANNELS.get(channel)


def specs() -> list[ChannelSpec]:
    return list(CHANNELS.values())


def can_send(channel: str) -> bool:
    found = CHANNELS.get(channel)
    return found is not None and found.can_send


def identity_kind(channel: str) -> str:
    """The identity kind a channel answers on; "" for a channel unknown or without identities of its own."""
    found = CHANNELS.get(channel)
    return found.identity if found else ""


def answering(channel: str, preferred: str = "") -> str:
    """The channel that answers a message on `channel`: itself if it can send, else the case's or its fallback."""
    found = CHANNELS.get(channel)
    if found is not None and found.can_send:
        return channel
    return preferred or (found.answer_by if found else FALLBACK)


def identity_order(others: Iterable[str] = ()) -> list[str]:
    """Identity kinds in the order a customer is best reached: private channels' first, in registry order, then
    `others` (the kinds no channel answers on)."""
    kinds = [s.identity for s in sorted(CHANNELS.values(), key=lambda s: s.public) if s.identity]
    return list(dict.fromkeys([*kinds, *others]))


def hook(channel: str, field: str) -> Callable | None:
    """The function the channel's spec names in `field`, or None (an unknown channel, or one naming none)."""
    found = CHANNELS.get(channel)
    path = getattr(found, field) if found is not None else ""
    return _load(path) if path else None


def _required(channel: str, field: str, missing: str) -> Callable:
    if (found := hook(channel, field)) is None:
        raise UnknownChannel(missing % {"channel": channel})
    return found


def composer_panel(case: object) -> dict | None:
    """The panel the case's reply channel shows above the reply form (WhatsApp: the 24 hours, its templates)."""
    found = hook(case.preferred_channel or "", "composer")
    return found(case) if found is not None else None


def refusal(channel: str, case: object, address: str) -> str:
    """Why a free-text reply on `channel` to `address` cannot be sent now; "" when it can (or the channel says nothing)."""
    found = hook(channel, "may_send")
    return found(case, address) if found is not None else ""


def ready(channel: str, brand_id: int) -> bool:
    """Whether the brand has what `channel` sends from (spec.ready); True where the spec asks nothing."""
    found = hook(channel, "ready")
    return found is None or bool(found(brand_id))


def _hooks(field: str) -> list[Callable]:
    """Every channel's `field` hook, each function once (several specs may name the same)."""
    return [_load(path) for path in dict.fromkeys(getattr(s, field) for s in CHANNELS.values() if getattr(s, field))]


def confirmation_extras(case: object, language: str) -> dict:
    """What the channels add to every confirmation's template context."""
    extra: dict = {}
    for found in _hooks("confirmation_extra"):
        extra |= found(case, language)
    return extra


def incident_replied_to(brand_id: int, in_reply_to: list[str]) -> object | None:
    """The incident a message is about because it answers the brand's own post about it (spec.incident_of)."""
    for found in _hooks("incident_of") if in_reply_to else []:
        if (incident := found(brand_id, in_reply_to)) is not None:
            return incident
    return None


def prepare_public(channel: str, case: object, agent: object, text: str, address: str) -> str:
    """A reply for a public channel as its rules pass it (spec.public_reply); raises what they raise."""
    rules = _required(
        channel, "public_reply", "public channel %(channel)r names no public_reply rules: nothing is posted unchecked"
    )
    return rules(case, agent, text, channel, address)


@cache
def _load(path: str) -> Callable:
    return import_string(path)


def parser(channel: str) -> Callable[[bytes, dict], ParsedMessage]:
    return _required(channel, "parse", "no parser for channel %(channel)r")


def recorder(channel: str) -> Callable | None:
    """The channel's own way of storing an item (its spec's `record`), or None: the pipeline stores a message."""
    return hook(channel, "record")


def sender(channel: str) -> Callable[[Message], None]:
    return _required(channel, "send", "channel %(channel)r cannot send")


def send_many(
    channel: str, messages: list[Message], on_sent: Callable[[int], None] | None = None
) -> dict[int, Exception | None]:
    """Send several messages of one channel: its own batch sender (one connection) or one at a time.

    Returns each message's outcome: None when sent, else the transport's exception. `on_sent(pk)` is called
    the moment the transport has accepted a message (the caller records it before the next one goes out).
    """
    if (many := hook(channel, "send_many")) is not None:
        return many(messages, on_sent=on_sent)
    send = sender(channel)
    results: dict[int, Exception | None] = {}
    for message in messages:
        try:
            send(message)
            results[message.pk] = None
        except Exception as exc:  # noqa: BLE001 - recorded per message, retried by the caller
            results[message.pk] = exc
        else:
            if on_sent is not None:
                on_sent(message.pk)
    return results

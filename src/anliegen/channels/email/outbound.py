"""Send a Message as e-mail: the owner's name, reply-capable address, thread headers, text + HTML."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import translation

from anliegen.base.bulk import update_rows
from anliegen.core.models import Message, MessageKind

from . import breaker


def new_message_id(message: Message) -> str:
    # The case token inside our Message-ID threads a reply even when the customer's client drops our address.
    return f"{message.case.reply_token}.{uuid.uuid4().hex[:16]}@{message.brand.mail_domain}"


# RFC 5322 section 3.6.4: msg-id = "<" id-left "@" id-right ">", both dot-atom-text (or a no-fold literal right).
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = rf"{_ATEXT}(?:\.{_ATEXT})*"
_MESSAGE_ID = re.compile(rf"{_DOT_ATOM}@(?:{_DOT_ATOM}|\[[!-Z^-~]*\])")


def is_message_id(value: str) -> bool:
    """Whether `value` (without brackets) is an RFC 5322 Message-ID: not a form's submission id or a chat id."""
    return bool(value) and len(value) <= 250 and _MESSAGE_ID.fullmatch(value) is not None


def thread_ids(message: Message, earlier: list[str] | None = None) -> tuple[str, list[str]]:
    """(In-Reply-To, References) for a message: the customer's last mail and the case's mail ids.

    Only real Message-IDs: a case opened from a web form or a chat carries that channel's ids, which no mail
    client could match and which make the header invalid.

    `earlier`: the case's mail ids before this message, newest first (read for a whole batch by send_many).
    """
    ids = (
        earlier[:10]
        if earlier is not None
        else list(
            Message.objects.filter(case_id=message.case_id, created_at__lte=message.created_at)
            .exclude(pk=message.pk)
            .exclude(external_id="")
            .order_by("-created_at", "-id")
            .values_list("external_id", flat=True)[:10]
        )
    )
    ids = [i for i in ids if is_message_id(i)]
    parent = message.in_reply_to if is_message_id(message.in_reply_to) else (ids[0] if ids else "")
    refs = list(dict.fromkeys(reversed(ids)))
    if parent and parent not in refs:
        refs.append(parent)
    return parent, refs


def build(
    message: Message, earlier: list[str] | None = None, attachments: list | None = None
) -> EmailMultiAlternatives:
    case, brand = message.case, message.brand
    author = message.author_agent or case.owner
    owner = case.owner
    with translation.override(case.language or brand.default_language):
        display = author.name
        if message.on_behalf_of_id and author.pk != owner.pk:
            display = translation.gettext("%(deputy)s for %(owner)s") % {"deputy": author.name, "owner": owner.name}
    address = owner.reply_address(brand, case.reply_token)
    if not message.external_id:
        message.external_id = new_message_id(message)
        Message.objects.filter(pk=message.pk).update(external_id=message.external_id)
    parent, refs = thread_ids(message, earlier)
    headers = {"Message-ID": f"<{message.external_id}>", "X-Anliegen-Case": case.reply_token}
    if parent:
        headers["In-Reply-To"] = f"<{parent}>"
        headers["References"] = " ".join(f"<{r}>" for r in refs)
    if message.kind == MessageKind.CONFIRMATION:
        headers["Auto-Submitted"] = "auto-replied"
    subject = message.subject or case.subject
    if case.subject_tag not in subject:
        subject = f"{subject} {case.subject_tag}"
    mail = EmailMultiAlternatives(
        subject=subject,
        body=message.body_text,
        from_email=f'"{_quote(display)} ({_quote(brand.name)})" <{address}>',
        to=[message.address],
        reply_to=[f'"{_quote(owner.name)}" <{address}>'],
        headers=headers,
    )
    if message.body_html:
        mail.attach_alternative(message.body_html, "text/html")
    for att in message.attachments.all() if attachments is None else attachments:
        with att.file.open("rb") as fh:
            mail.attach(att.filename, fh.read(), att.content_type)
    return mail


def _quote(value: str) -> str:
    return value.replace("\\", "").replace('"', "'")


def send(message: Message) -> None:
    """Send one message; raises what the transport said (a batch of one goes the batch's way)."""
    error = send_many([message])[message.pk]
    if error is not None:
        raise error


def send_many(messages: list[Message], on_sent: Callable[[int], None] | None = None) -> dict[int, Exception | None]:
    """Send a batch over one SMTP connection; each message's outcome (None = accepted by the server).

    `on_sent(pk)` runs right after the server's 250 for that message, before the next one is sent.
    """
    from anliegen.core.models import Attachment

    results: dict[int, Exception | None] = {}
    fresh = [m for m in messages if not m.external_id]
    for message in fresh:
        message.external_id = new_message_id(message)
    # Our Message-IDs are stored before anything is sent: a reply to any sent mail finds its case.
    for start in range(0, len(fresh), 500):
        update_rows(Message, fresh[start : start + 500], ("external_id",))
    earlier = _earlier_ids(messages)
    attachments: dict[int, list] = {m.pk: [] for m in messages}
    for att in Attachment.objects.filter(message__in=[m.pk for m in messages]):
        attachments[att.message_id].append(att)
    mails = {}
    for message in messages:
        try:
            if not message.address:
                raise ValueError("no e-mail address to send to")
            mails[message.pk] = build(message, earlier[message.pk], attachments[message.pk])
        except Exception as exc:  # noqa: BLE001 - this message fails, the others go out
            results[message.pk] = exc
    if not mails:
        return results
    results.update(_send_over_one_connection(mails, on_sent))
    return results


def _send_over_one_connection(
    mails: dict[int, EmailMultiAlternatives], on_sent: Callable[[int], None] | None
) -> dict[int, Exception | None]:
    connection = get_connection()
    relay = breaker.relay_of(connection)
    results: dict[int, Exception | None] = {}
    try:
        for pk, mail in mails.items():
            try:
                breaker.check(relay)
                connection.open()  # a no-op while the connection is up
            except Exception as exc:  # noqa: BLE001 - no connection or no greeting: the rest would wait as long
                if not isinstance(exc, breaker.RelayDown):
                    breaker.failed(relay)
                results.update(dict.fromkeys([p for p in mails if p not in results], exc))
                break
            breaker.worked(relay)
            try:
                results[pk] = None if connection.send_messages([mail]) == 1 else RuntimeError(REFUSED)
            except Exception as exc:  # noqa: BLE001 - recorded and retried; a fresh connection for the next one
                results[pk] = exc
                connection.close()
            else:
                if results[pk] is None and on_sent is not None:
                    on_sent(pk)
    finally:
        connection.close()
    return results


REFUSED = "the mail server did not accept the message"


def _earlier_ids(messages: list[Message]) -> dict[int, list[str]]:
    """For each message: the mail ids of its case written before it, newest first (one query for the batch)."""
    rows = (
        Message.objects.filter(case_id__in={m.case_id for m in messages})
        .exclude(external_id="")
        .order_by("-created_at", "-id")
        .values_list("case_id", "id", "external_id", "created_at")
    )
    by_case: dict[int, list[tuple]] = {}
    for row in rows:
        by_case.setdefault(row[0], []).append(row)
    return {
        m.pk: [ext for _c, pk, ext, at in by_case.get(m.case_id, []) if pk != m.pk and at <= m.created_at]
        for m in messages
    }

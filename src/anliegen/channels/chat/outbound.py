"""Deliver an agent's chat line: live to the visitor's open sockets, else by e-mail when they left an address."""

from __future__ import annotations

from django.db.models import F

from anliegen.base import realtime
from anliegen.channels import registry
from anliegen.core.models import Message

from .models import Conversation


class VisitorAway(Exception):
    """Nobody has the chat open and no address was left: the line waits (retried) and shows on return."""


def conversation_group(conversation_id: int) -> str:
    return f"chat.conv.{conversation_id}"


def desk_group(brand_id: int) -> str:
    return f"chat.desk.{brand_id}"


def conversation_of(message: Message) -> Conversation | None:
    # A reply goes to the conversation whose key is the contact's chat identity (the reply address).
    return Conversation.objects.filter(brand_id=message.brand_id, key=message.address).order_by("-id").first()


def frame(message: Message) -> dict:
    author = message.author_agent
    return {
        "type": "message",
        "id": message.pk,
        "from": "agent" if message.direction == "out" else "visitor",
        "author": author.name if author else "",
        "text": message.body_text,
        "at": message.created_at.isoformat(),
    }


def push(conversation: Conversation, message: Message) -> None:
    realtime.group_send(conversation_group(conversation.pk), {"type": "chat.frame", "frame": frame(message)})
    show_in_desk(conversation, message)


def show_in_desk(conversation: Conversation, message: Message) -> None:
    desk_frame = frame(message) | {"type": "chat.message", "conversation": conversation.pk, "case": message.case_id}
    realtime.group_send(desk_group(message.brand_id), {"type": "chat.frame", "frame": desk_frame})


def send(message: Message) -> None:
    """The chat channel's sender (task queue): push when the visitor is there, else hand over to e-mail."""
    conversation = conversation_of(message)
    if conversation is None:
        raise VisitorAway("no conversation holds this chat identity")
    if conversation.connections > 0:
        push(conversation, message)
        return
    if conversation.email:
        # The rest comes by e-mail, as the visitor asked: the message is recorded as the mail it became.
        Message.objects.filter(pk=message.pk).update(channel="email", address=conversation.email)
        message.channel, message.address = "email", conversation.email
        registry.sender("email")(message)
        return
    raise VisitorAway("the visitor has left and gave no e-mail address; shown when they come back")


def deliver_now(message_id: int) -> None:
    """Right after an agent's line is committed: push it without waiting for the task queue.

    Only while the visitor is connected, and only by claiming the queued message first, so the queued task
    that follows finds it sent and never pushes or mails it twice.
    """
    message = Message.objects.select_related("author_agent").filter(pk=message_id, channel="chat").first()
    if message is None:
        return
    conversation = conversation_of(message)
    if conversation is None:
        return
    if conversation.connections <= 0:
        show_in_desk(conversation, message)  # the task queue takes it from here (e-mail, or wait for the return)
        return
    claimed = Message.objects.filter(pk=message_id, delivery=Message.Delivery.QUEUED).update(
        delivery=Message.Delivery.SENT, delivery_attempts=F("delivery_attempts") + 1
    )
    if claimed:
        push(conversation, message)
    else:
        show_in_desk(conversation, message)

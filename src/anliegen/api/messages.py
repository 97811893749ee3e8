"""API: a case's messages, and adding an internal note or a reply sent on the customer's channel."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from anliegen.core.models import CaseState, Message
from anliegen.core.services import case_updates

from .errors import responses
from .paging import PageQuery, page_of, paginate
from .schemas import MessageIn, MessageOut
from .scope import case_in, reader, writer

router = Router(tags=["messages"])
MessagePage = page_of(MessageOut, "MessagePage")


@router.get("/{case_id}/messages", response=responses({200: MessagePage}))
def list_messages(request: HttpRequest, case_id: int, page: Query[PageQuery]) -> dict:
    case = case_in(reader(request), case_id)
    return paginate(Message.objects.filter(case=case), page)


@router.post("/{case_id}/messages", response=responses({201: MessageOut}))
def add_message(request: HttpRequest, case_id: int, data: MessageIn) -> Status:
    """A note stays in the team; a reply goes to the customer, written by you (or, for a token, the owner)."""
    who = writer(request)
    case = case_in(who, case_id)
    actor = who.actor(case)
    if data.kind == "note":
        return Status(201, case_updates.note(case, actor, data.text))
    return Status(201, case_updates.reply(case, actor, data.text, channel=None, new_state=CaseState.WAITING))

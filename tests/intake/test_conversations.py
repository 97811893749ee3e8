"""Conversation locks: what ties mail together, and an item whose conversation another worker holds waits."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection

from anliegen.base.parsed import ParsedMessage
from anliegen.intake import conversations
from anliegen.intake.context import Context
from anliegen.intake.models import Inbound


def _ctx(pk: int, mid: str, sender: str, replies_to: list[str] | None = None, brand: object = None) -> Context:
    message = ParsedMessage(identities=[("email", sender)], external_id=mid, in_reply_to=replies_to or [])
    brand = brand or SimpleNamespace(pk=1, mail_domain="brand.example")
    return Context(inbound=Inbound(pk=pk, channel="email", external_id=mid), message=message, brand=brand)


@pytest.mark.nodb
def test_a_reply_shares_a_key_with_its_parent_and_a_sender_with_their_other_mail() -> None:
    parent = conversations.keys(_ctx(1, "p@example.org", "Jana@Example.org"))
    reply = conversations.keys(_ctx(2, "r@example.org", "tom@example.org", ["p@example.org"]))
    later = conversations.keys(_ctx(3, "x@example.org", "jana@example.org"))
    assert parent & reply == {"mid:1:p@example.org"}
    assert parent & later == {"id:1:jana@example.org"}
    token = conversations.keys(_ctx(4, "t@example.org", "a@example.org", ["k2m4n6p8q9.abc@brand.example"]))
    assert "token:k2m4n6p8q9" in token
    assert conversations.keys(Context(inbound=Inbound(pk=5))) == set()  # did not parse: nothing to share


@pytest.mark.django_db
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="advisory locks: PostgreSQL only (SQLite has one writer)")
def test_an_item_whose_conversation_another_worker_holds_waits_for_the_next_batch() -> None:
    import psycopg

    params = connection.get_connection_params()
    other = psycopg.connect(
        **{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port", "password") and v}
    )
    try:
        with other.transaction():
            key = conversations._number("mid:1:p@example.org")
            other.execute("SELECT pg_advisory_xact_lock(%s)", [key])  # another worker has the parent
            reply = _ctx(2, "r@example.org", "tom@example.org", ["p@example.org"])
            unrelated = _ctx(3, "u@example.org", "una@example.org")
            assert conversations.take([reply, unrelated]) == [unrelated]
        # The other worker committed: the reply's turn.
        assert conversations.take([reply]) == [reply]
    finally:
        other.close()


@pytest.mark.django_db
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="advisory locks: PostgreSQL only (SQLite has one writer)")
def test_a_reply_waits_when_its_parent_in_the_same_batch_waits() -> None:
    """The parent's sender is busy elsewhere: its reply, claimed beside it, must not open a case of its own."""
    import psycopg

    params = connection.get_connection_params()
    other = psycopg.connect(
        **{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port", "password") and v}
    )
    try:
        with other.transaction():
            other.execute("SELECT pg_advisory_xact_lock(%s)", [conversations._number("id:1:jana@example.org")])
            parent = _ctx(1, "p@example.org", "jana@example.org")
            reply = _ctx(2, "r@example.org", "tom@example.org", ["p@example.org"])
            grandchild = _ctx(3, "g@example.org", "una@example.org", ["r@example.org"])
            unrelated = _ctx(4, "u@example.org", "udo@example.org")
            assert conversations.take([parent, reply, grandchild, unrelated]) == [unrelated]
        assert conversations.take([parent, reply, grandchild]) == [parent, reply, grandchild]
    finally:
        other.close()

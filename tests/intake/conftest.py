"""Helpers to build pipeline contexts for one stage at a time."""

from __future__ import annotations

import json

import pytest

from anliegen.base.parsed import ParsedMessage
from anliegen.intake.context import Context
from anliegen.intake.models import Inbound


def form_raw(**fields: object) -> bytes:
    data = {
        "name": "Jana Krüger",
        "email": "jana@example.org",
        "subject": "Fernseher schwarz",
        "text": "Seit heute Abend ist mein Fernseher schwarz.",
    } | fields
    return json.dumps(data).encode()


@pytest.fixture
def make_ctx(brand):
    counter = iter(range(1, 10_000))

    def make(msg: ParsedMessage | None = None, channel: str = "webform", **ctx_fields: object) -> Context:
        n = next(counter)
        inbound = Inbound.objects.create(channel=channel, external_id=f"t-{n}", raw=b"{}", brand=brand)
        ctx = Context(
            inbound=inbound,
            message=msg
            or ParsedMessage(identities=[("email", "jana@example.org")], subject="Fernseher schwarz", text="Hallo"),
        )
        ctx.brand = brand
        for name, value in ctx_fields.items():
            setattr(ctx, name, value)
        return ctx

    return make

"""parse: payload to ParsedMessage, brand from the Inbound or from the recipients' domain."""

import pytest

from anliegen.intake.context import Quarantine
from anliegen.intake.stages.parse import brand_for_recipients, parse

from ..conftest import form_raw


def test_webform_payload_is_parsed_and_brand_taken_from_inbound(make_ctx, brand):
    ctx = make_ctx()
    ctx.inbound.raw = form_raw(phone="040 1234567")
    ctx.brand = None
    parse(ctx)
    assert ctx.brand == brand
    assert ctx.message.identities == [("email", "jana@example.org"), ("phone", "040 1234567")]
    assert ctx.message.subject == "Fernseher schwarz"


def test_unknown_channel_is_an_error(make_ctx):
    ctx = make_ctx(channel="carrier-pigeon")
    with pytest.raises(LookupError):
        parse(ctx)


def test_mail_to_an_unknown_domain_is_quarantined(make_ctx):
    ctx = make_ctx(channel="email")
    ctx.inbound.brand = None
    ctx.inbound.brand_id = None
    ctx.inbound.raw = b"From: a@b.example\r\nTo: x@nobody.example\r\nSubject: hi\r\nMessage-ID: <1@b>\r\n\r\nhi\r\n"
    with pytest.raises(Quarantine, match="no brand"):
        parse(ctx)


def test_brand_from_recipient_domain(brand, other_brand):
    assert brand_for_recipients(["a@elsewhere.example", "Service@KabelNet.example"]) == other_brand
    assert brand_for_recipients(["nobody"]) is None

"""What the form view stores is exactly what the webform parser reads back, files included."""

from __future__ import annotations

import json

from anliegen.channels.webform import inbound
from anliegen.channels.webform.parse import parse


def test_payload_round_trips_through_the_parser():
    raw = inbound.payload(
        name="Jana Krüger",
        email="jana@example.org",
        phone="+4940123456",
        subject="Zählerstand",
        text="Mein Zählerstand ist 12345.",
        language="de",
        files=[inbound.UploadedFile("zähler.jpg", "image/jpeg", b"\x00\xffbytes")],
    )
    assert json.loads(raw)["files"][0]["data_b64"] == "AP9ieXRlcw=="
    msg = parse(raw, {"submission": "0b4f2c1e-3d5a-4e6f-8a7b-9c0d1e2f3a4b"})
    assert msg.sender_name == "Jana Krüger"
    assert msg.identities == [("email", "jana@example.org"), ("phone", "+4940123456")]
    assert (msg.subject, msg.text, msg.language) == ("Zählerstand", "Mein Zählerstand ist 12345.", "de")
    assert [(a.filename, a.content_type, a.data) for a in msg.attachments] == [
        ("zähler.jpg", "image/jpeg", b"\x00\xffbytes")
    ]
    assert msg.external_id == "0b4f2c1e-3d5a-4e6f-8a7b-9c0d1e2f3a4b"

"""What the chat stores is what its parser reads back; the widget stays small enough to embed anywhere."""

from __future__ import annotations

import base64
import gzip
from pathlib import Path

import pytest

from anliegen.channels.chat.parse import ChatFile, ChatLine, parse

pytestmark = pytest.mark.nodb
STATIC = Path(__file__).resolve().parents[3] / "static" / "anliegen"


def test_line_round_trips_with_identity_case_page_and_file():
    line = ChatLine(
        conversation=7,
        key="k" * 24,
        case_id=41,
        email="jana@example.org",
        text="Router blinkt rot\u202e\x1b[31m\nseit heute",
        page_url="https://www.kabelwelle.example/hilfe",
        language="de",
        files=[ChatFile(filename="router.png", content_type="image/png", data_b64=base64.b64encode(b"PNG").decode())],
    )
    msg = parse(line.model_dump_json().encode(), {"submission": "chat:7:c1"})
    assert msg.identities == [("chat_id", "k" * 24), ("email", "jana@example.org")]
    assert msg.text == "Router blinkt rot[31m\nseit heute"  # escapes and direction overrides are gone
    assert (msg.subject, msg.case_id, msg.language, msg.external_id) == ("Router blinkt rot[31m", 41, "de", "chat:7:c1")
    assert msg.headers == {"page": "https://www.kabelwelle.example/hilfe"}
    assert [(a.filename, a.data) for a in msg.attachments] == [("router.png", b"PNG")]
    assert msg.html == ""  # plain text only: shown as text in the widget and the desk


def test_widget_is_under_30_kb_gzipped():
    sizes = {
        name: len(gzip.compress((STATIC / name).read_bytes(), 9)) for name in ("chat-widget.js", "chat-widget.css")
    }
    assert sum(sizes.values()) < 30 * 1024, sizes


def test_widget_has_no_inline_script_or_style_and_no_eval():
    source = (STATIC / "chat-widget.js").read_text()
    for forbidden in (
        "eval(",
        "new Function",
        "innerHTML",
        ".style.",
        'createElement("style")',
        'setAttribute("style"',
    ):
        assert forbidden not in source, forbidden

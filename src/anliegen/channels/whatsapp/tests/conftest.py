"""A brand with a WhatsApp number, the Graph API stood in for by a local server, and signed posts."""

from __future__ import annotations

import pytest

from anliegen.channels import webhooks
from anliegen.channels.testing import Answer, Provider, post_fixture
from anliegen.channels.whatsapp.models import BusinessNumber

NUMBER_ID = "106540352242922"
SECRET = "app-secret-1"
CUSTOMER = "+4917612345678"
WAMID_OUT = "wamid.HBgNNDkxNzYxMjM0NTY3OBUCABEYEjdCNjQ5RTlDMzVCRkFFMTdGNAA="


def sign(body: bytes) -> dict[str, str]:
    return {"X-Hub-Signature-256": "sha256=" + webhooks.digest(SECRET, body)}


@pytest.fixture
def graph(settings):
    with Provider() as api:
        settings.WHATSAPP_GRAPH_URL = f"{api.url}/v21.0"
        settings.WHATSAPP_BACKEND = "anliegen.channels.whatsapp.graph.GraphBackend"
        api.on("POST", f"/v21.0/{NUMBER_ID}/messages", Answer(json=sent(WAMID_OUT)))
        for media_id, mime, data in (
            ("1003383421387256", "image/jpeg", b"\xff\xd8\xff\xe0JFIF-meter"),
            ("2127392181099474", "application/pdf", b"%PDF-1.7 invoice"),
            ("1575426469980063", "audio/ogg", b"OggS-voice"),
        ):
            api.on("GET", f"/v21.0/{media_id}", Answer(json={"url": f"{api.url}/media/{media_id}", "mime_type": mime}))
            api.on("GET", f"/media/{media_id}", Answer(body=data, content_type=mime))
        yield api


def sent(wamid: str) -> dict:
    return {
        "messaging_product": "whatsapp",
        "contacts": [{"input": CUSTOMER[1:], "wa_id": CUSTOMER[1:]}],
        "messages": [{"id": wamid}],
    }


@pytest.fixture
def number(brand, agents):
    return BusinessNumber.objects.create(
        brand=brand,
        phone_number_id=NUMBER_ID,
        display_number="+4940555010",
        access_token="EAAG-test-token",
        app_secret=SECRET,
        verify_token="verify-me",
    )


@pytest.fixture
def post(client, brand, number):
    def post(name: str, **options):
        options.setdefault("sign", sign)
        return post_fixture(client, "whatsapp", name, key=brand.slug, **options)

    return post

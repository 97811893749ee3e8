"""The X and Meta credentials checks on the channel-health page, against the local stand-in."""

from __future__ import annotations

from anliegen.channels.messaging import health
from anliegen.channels.social.tests import accounts as testing
from anliegen.channels.testing import Answer, Provider


def test_credentials_checks_name_the_account_or_say_why_not(brand, agents, settings):
    with Provider() as api:
        settings.X_API_URL = api.url
        settings.META_GRAPH_URL = f"{api.url}/v21.0"
        assert health.check(brand, "x").detail == "no X account set up for this brand"
        testing.x_account(brand)
        testing.meta_accounts(brand)
        api.on(
            "GET",
            "/2/users/me",
            Answer(json={"data": {"id": testing.X_ACCOUNT, "username": "kabelwelle_hilft"}}),
            Answer(401, json={"title": "Unauthorized", "status": 401}),
        )
        api.on("GET", f"/v21.0/{testing.PAGE}", Answer(json={"name": "Kabelwelle", "id": testing.PAGE}))
        api.on("GET", f"/v21.0/{testing.INSTAGRAM}", Answer(json={"username": "kabelwelle", "id": testing.INSTAGRAM}))
        first = health.check(brand, "x")
        assert (first.ok, first.detail) == (True, f"@kabelwelle_hilft ({testing.X_ACCOUNT})")
        assert api.received("GET", "/2/users/me")[0].headers["Authorization"] == "Bearer x-user-token"
        refused = health.check(brand, "x")
        assert not refused.ok and "401" in refused.detail
        assert health.check(brand, "facebook").detail == f"Kabelwelle ({testing.PAGE})"
        assert health.check(brand, "instagram").detail == f"kabelwelle ({testing.INSTAGRAM})"
        assert {"x", "facebook", "instagram"} <= set(health.checked_channels())

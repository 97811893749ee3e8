"""Accounts and signatures for the social channels' tests (only tests import this module)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from anliegen.channels.social.models import Account, Provider
from anliegen.core.models import Brand

X_ACCOUNT = "1457832567105961987"  # the brand's X account in channels/x/fixtures
X_SECRET = "x-consumer-secret"
PAGE = "104512345678901"  # the brand's page and Instagram account in channels/meta/fixtures
INSTAGRAM = "17841400000000001"
META_SECRET = "meta-app-secret"
VERIFY_TOKEN = "verify-me-please"


def x_account(brand: Brand) -> Account:
    return Account.objects.create(
        brand=brand,
        provider=Provider.X,
        account_id=X_ACCOUNT,
        handle="kabelwelle_hilft",
        app_secret=X_SECRET,
        access_token="x-user-token",
    )


def meta_accounts(brand: Brand) -> tuple[Account, Account]:
    page = Account.objects.create(
        brand=brand,
        provider=Provider.FACEBOOK,
        account_id=PAGE,
        handle="Kabelwelle",
        app_secret=META_SECRET,
        access_token="page-token",
        verify_token=VERIFY_TOKEN,
    )
    insta = Account.objects.create(
        brand=brand,
        provider=Provider.INSTAGRAM,
        account_id=INSTAGRAM,
        handle="kabelwelle",
        app_secret=META_SECRET,
        access_token="page-token",
        verify_token=VERIFY_TOKEN,
    )
    return page, insta


def sign_x(body: bytes) -> dict[str, str]:
    mac = hmac.new(X_SECRET.encode(), body, hashlib.sha256).digest()
    return {"x-twitter-webhooks-signature": "sha256=" + base64.b64encode(mac).decode()}


def sign_meta(body: bytes) -> dict[str, str]:
    return {"X-Hub-Signature-256": "sha256=" + hmac.new(META_SECRET.encode(), body, hashlib.sha256).hexdigest()}

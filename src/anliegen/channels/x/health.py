"""The X account's credentials check for the channel-health page: GET /2/users/me with its access token."""

from __future__ import annotations

from django.conf import settings

from anliegen.channels.messaging.http import call
from anliegen.channels.social.models import Account, Provider
from anliegen.core.models import Brand


def check(brand: Brand) -> str:
    account = Account.objects.filter(brand=brand, provider=Provider.X, active=True).order_by("id").first()
    if account is None:
        raise LookupError("no X account set up for this brand")
    answer = call("GET", f"{settings.X_API_URL.rstrip('/')}/2/users/me", bearer=account.access_token).json()
    user = answer.get("data") or {}
    return f"@{user.get('username', '?')} ({user.get('id', account.account_id)})"

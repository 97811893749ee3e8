"""The page's and the Instagram account's credentials check: GET /<id>?fields=... with the page access token."""

from __future__ import annotations

from django.conf import settings

from anliegen.channels.messaging.http import call
from anliegen.channels.social.models import Account, Provider
from anliegen.core.models import Brand


def _check(brand: Brand, provider: str, fields: str) -> str:
    account = Account.objects.filter(brand=brand, provider=provider, active=True).order_by("id").first()
    if account is None:
        raise LookupError(f"no {provider} account set up for this brand")
    url = f"{settings.META_GRAPH_URL.rstrip('/')}/{account.account_id}?fields={fields}"
    answer = call("GET", url, bearer=account.access_token).json()
    return f"{answer.get(fields.split(',')[0]) or '?'} ({answer.get('id', account.account_id)})"


def check(brand: Brand) -> str:
    return _check(brand, Provider.FACEBOOK, "name")


def check_instagram(brand: Brand) -> str:
    return _check(brand, Provider.INSTAGRAM, "username")

"""Sign-in through the company's identity provider (OpenID Connect, mozilla-django-oidc).

Configured only from the environment: the issuer, the client id and its secret. The endpoints and keys come
from the issuer's discovery document. A signed-in person becomes the existing agent with the same verified
e-mail address, or nobody: no account is ever made here (brand access is an admin's grant).
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from . import pending

logger = logging.getLogger(__name__)

# The names mozilla-django-oidc reads, and the discovery document's fields they come from (OIDC Discovery 1.0).
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_CACHE_SECONDS = 3600


class DiscoveryError(Exception):
    """The issuer's discovery document could not be read or does not belong to the issuer."""


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET)


def provider_name() -> str:
    """The name on the sign-in button ("Sign in with …"), or "" when single sign-on is not configured."""
    return settings.OIDC_PROVIDER_NAME if enabled() else ""


def discovery() -> dict[str, Any]:
    issuer = settings.OIDC_ISSUER.rstrip("/")
    key = f"anliegen:oidc:discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise DiscoveryError(f"discovery of {issuer} failed: {exc}") from exc
        # The document must name the issuer it was fetched from (Discovery 1.0, 4.3), and each endpoint.
        if document.get("issuer", "").rstrip("/") != issuer or not all(document.get(f) for f in DISCOVERED.values()):
            raise DiscoveryError(f"the discovery document of {issuer} is not that issuer's")
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def _get_settings(attr: str, *args: Any) -> Any:
    if attr in DISCOVERED:
        return discovery()[DISCOVERED[attr]]
    return import_from_settings(attr, *args)


class AgentBackend(OIDCAuthenticationBackend):
    """The person the identity provider vouches for, as the agent with that verified address."""

    get_settings = staticmethod(_get_settings)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds every backend for every sign-in (passwords too): the endpoints are looked up only when
        # this backend is really used, in authenticate().
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        # Only the callback hands over the nonce; a password form posted with ?code=&state= is not ours.
        if request is None or "nonce" not in kwargs or not enabled():
            return None
        try:
            for name in DISCOVERED:
                setattr(self, name, _get_settings(name))
            return super().authenticate(request, **kwargs)
        except (DiscoveryError, SuspiciousOperation, ImproperlyConfigured, requests.RequestException) as exc:
            logger.warning("single sign-on refused: %s", exc)
        except (jwt.PyJWTError, KeyError, ValueError) as exc:
            logger.warning("single sign-on refused, unreadable token: %s", exc)
        return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature (against the issuer's keys), expiry and nonce; the issuer and the
        audience are checked here (OpenID Connect Core 3.1.3.7)."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss", "").rstrip("/") != settings.OIDC_ISSUER.rstrip("/"):
            raise SuspiciousOperation("id_token from another issuer")
        if self.OIDC_RP_CLIENT_ID not in audiences or (
            len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID
        ):
            raise SuspiciousOperation("id_token for another client")
        if "exp" not in payload:
            raise SuspiciousOperation("id_token without expiry")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        claims = super().get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):  # Core 5.3.2: userinfo of the person the id_token names
            raise SuspiciousOperation("userinfo of another subject")
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified") is True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet:
        return self.UserModel.objects.filter(email__iexact=claims["email"], is_active=True, agent__isnull=False)

    def create_user(self, claims: dict[str, Any]) -> None:
        return None  # never: OIDC_CREATE_USER is off, and an agent is an admin's decision


class StartView(OIDCAuthenticationRequestView):
    """To the identity provider, with state, nonce and a PKCE challenge kept in the session."""

    get_settings = staticmethod(_get_settings)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            return redirect("desk:login")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = _get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except DiscoveryError as exc:
            logger.warning("single sign-on unavailable: %s", exc)
            messages.error(request, _("Sign-in through %(name)s is not available right now.") % _names())
            return redirect("desk:login")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Back from the identity provider: on to the second factor when the agent has one, else signed in."""

    get_settings = staticmethod(_get_settings)

    def login_success(self) -> HttpResponse:
        return pending.begin(self.request, self.user, self.request.session.get("oidc_login_next") or "")

    def login_failure(self) -> HttpResponse:
        text = _("Sign-in through %(name)s did not lead to an agent: an administrator adds you with this address.")
        messages.error(self.request, text % _names())
        return redirect("desk:login")


def _names() -> dict[str, str]:
    return {"name": settings.OIDC_PROVIDER_NAME}


start = StartView.as_view()
callback = CallbackView.as_view()

"""Links a customer is sent: the signed, expiring case page (no login, nothing guessable, nothing forever) and the
brand's public status page."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

from anliegen.core.models import Brand, Case

SALT = "anliegen.portal.case-link"
_SLOT = "0slot0"  # stands for the token in the reversed path; a token (base64 and ':') needs no quoting


class LinkError(Exception):
    """The link is tampered with, belongs to no case, or has expired; the message says which."""


def case_token(case: Case) -> str:
    # The reply token is part of the signed value: a case that is split or re-keyed invalidates old links.
    return signing.dumps({"c": case.pk, "t": case.reply_token}, salt=SALT, compress=True)


def case_url(case: Case) -> str:
    # Every confirmation carries one: the path is reversed once per language and URL configuration, not per mail.
    head, tail = _case_path(translation.get_language(), settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    return settings.BASE_URL + head + case_token(case) + tail


@lru_cache(maxsize=64)
def _case_path(_language: str | None, _root: str, _urlconf: str | None, _prefix: str) -> tuple[str, str]:
    head, _slot, tail = reverse("portal:case", args=[_SLOT]).rpartition(_SLOT)
    return head, tail


def warm_up() -> None:
    """Reverse both links once in the active language: the first reverse imports the whole URL configuration
    (desk, API, sign-in) and indexes it per language, which a process should pay at start, not its first mail."""
    reverse("portal:case", args=["x"])
    reverse("selfservice:status", args=["x"])


def case_from_token(token: str, max_age: int | None = None) -> Case:
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age or settings.CASE_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkError("expired") from exc
    except signing.BadSignature as exc:
        raise LinkError("invalid") from exc
    case = Case.objects.select_related("brand", "owner", "contact").filter(pk=data.get("c")).first()
    if case is None or case.reply_token != data.get("t"):
        raise LinkError("invalid")
    return case


def status_url(brand: Brand) -> str:
    return settings.BASE_URL + reverse("selfservice:status", args=[brand.slug])

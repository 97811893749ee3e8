"""Finding the brand's account an event is for, or a message is sent from."""

from __future__ import annotations

from anliegen.core.models import Brand

from .models import Account


def of_brand(slug: str, providers: tuple[str, ...]) -> list[Account]:
    """The active accounts of the brand with this slug on these providers ([] when none or no such brand)."""
    if not slug or not Brand.objects.filter(slug=slug).exists():
        return []
    return list(Account.objects.select_related("brand").filter(brand__slug=slug, provider__in=providers, active=True))


def sending(brand_id: int, provider: str) -> Account:
    """The account a brand answers from on `provider`; raises NoAccount (retried) when none is set up."""
    account = Account.objects.filter(brand_id=brand_id, provider=provider, active=True).order_by("id").first()
    if account is None:
        raise NoAccount(f"the brand has no active {provider} account to send from")
    return account


class NoAccount(RuntimeError):
    pass

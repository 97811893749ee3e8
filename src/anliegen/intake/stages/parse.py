"""parse: turn the channel's raw payload into a ParsedMessage and find the brand it was sent to.

Reads: inbound.channel, raw, meta, brand. Sets: ctx.message, ctx.brand.
Stops: Quarantine when no parser exists or no brand can be found for the recipients.
"""

from anliegen.channels import registry
from anliegen.core.models import Brand

from .. import batching, parse_ahead
from ..context import Context, Quarantine


def parse(ctx: Context) -> None:
    inbound = ctx.inbound
    parser = registry.parser(inbound.channel)
    ctx.brand = batching.brand(inbound.brand_id) if inbound.brand_id else None
    raw, meta = bytes(inbound.raw), parser_meta(inbound.meta, ctx.brand)
    ctx.message = parse_ahead.take(inbound.pk, raw, meta) or parser(raw, meta)
    if ctx.brand is None:
        ctx.brand = brand_for_recipients(ctx.message.recipients)
        if ctx.brand is None:
            raise Quarantine(f"no brand receives mail for {', '.join(ctx.message.recipients) or 'no recipient'}")
        inbound.brand = ctx.brand
    ctx.note("parse", f"{inbound.channel} for {ctx.brand.slug}")


def parser_meta(meta: dict, brand: Brand | None) -> dict:
    """What the parser is given beside the payload: the brand's languages help it guess what the sender did
    not declare (a mail's charset)."""
    return meta if brand is None else {**meta, "languages": brand_languages(brand)}


def brand_languages(brand: Brand) -> list[str]:
    languages = list(getattr(brand, "languages", None) or [])
    return list(dict.fromkeys([brand.default_language, *languages]))


def brand_for_recipients(recipients: list[str]) -> Brand | None:
    domains = [r.rpartition("@")[2].lower() for r in recipients if "@" in r]
    if not domains:
        return None
    brands = batching.brands_by_domain(set(domains))
    for domain in domains:
        if brands.get(domain) is not None:
            return brands[domain]
    return None

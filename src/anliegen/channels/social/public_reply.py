"""The rules a public reply passes before it is sent: short, signed by a person, no personal data, a way out.

A reply on a public channel (spec.public) is read by anyone: it must fit the channel's limit, name the person
answering, repeat nothing personal (no IBAN, number, address, nor the customer's own identities: the existing
may_disclose is never true in public), and carry the signed link that continues the case privately.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from anliegen.channels import registry
from anliegen.core.models import Agent, Case
from anliegen.core.services import personal_data
from anliegen.core.services.cases import CaseError
from anliegen.core.services.verification import may_disclose

from . import continuation

URL = re.compile(r"https?://\S+")


class PublicReplyError(CaseError):
    """The reply would be unsafe or unfit in public; the message lists every reason."""

    permanent = True  # a sender refusing it: sending the same again cannot succeed


def length(text: str, channel: str) -> int:
    """Characters as the channel counts them: a link as `link_length` where it shortens links (X: 23)."""
    link_length = registry.spec(channel).link_length
    return len(URL.sub("-" * link_length, text)) if link_length else len(text)


def prepare(case: Case, agent: Agent, text: str, channel: str, address: str) -> str:
    """The reply as it will be posted (the continuation link appended); raises PublicReplyError."""
    kind = registry.identity_kind(channel)
    if not address or kind not in continuation.SOCIAL_KINDS:
        raise PublicReplyError(_("There is no public post of this customer to answer."))
    link = continuation.url(case, kind, address)
    text = text.strip()
    if link not in text:
        text = f"{text} {link}"
    if problems := check(case, agent, text, channel, link, address):
        raise PublicReplyError(" ".join(problems))
    return text


def check(case: Case, agent: Agent | None, text: str, channel: str, link: str, address: str = "") -> list[str]:
    """Every reason the text may not be posted on `channel` for `case` ([] = it may)."""
    spec = registry.spec(channel)
    problems = []
    if spec.max_length and (used := length(text, channel)) > spec.max_length:
        problems.append(
            _("Too long for a public reply: %(used)s of %(limit)s characters.")
            % {"used": used, "limit": spec.max_length}
        )
    first = (agent.name.split() or [""])[0] if agent is not None else ""
    if not first or not re.search(rf"(?<!\w){re.escape(first)}(?!\w)", text):
        problems.append(_("A public reply names the person answering (%(name)s).") % {"name": first or "?"})
    if link not in text:
        problems.append(_("A public reply carries the link to continue privately."))
    if not may_disclose(case, channel, None, public=True):
        problems += _personal(case, text.replace(link, ""), address)
    return problems


def _personal(case: Case, text: str, address: str) -> list[str]:
    found = personal_data.kinds(text, case.brand.default_region)
    problems = []
    if found:
        labels = ", ".join(str(personal_data.LABELS[k]) for k in found)
        problems.append(_("Personal data must not be posted publicly: %(kinds)s.") % {"kinds": labels})
    lowered = text.lower()
    values = [(i.kind, i.value) for i in case.contact.identities.all()] + [("", address)]
    # A handle is public already; an id, an address or a number of the customer's is not.
    if any(kind != "x_handle" and len(value) >= 4 and value.lower() in lowered for kind, value in values):
        problems.append(_("The reply repeats one of the customer's own addresses or numbers."))
    name = (case.contact.name or "").split()
    if len(name) > 1 and " ".join(name).lower() in lowered:
        problems.append(_("Address the customer by first name only in public."))
    return problems

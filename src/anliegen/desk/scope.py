"""Brand scope of the desk: what an agent may see; everything of another brand is a 404, never data."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import LazyObject

from anliegen.base.prepared import Prepared
from anliegen.channels.email.models import CapturedMail
from anliegen.core import roles as brand_roles
from anliegen.core.models import Agent, Attachment, Brand, Case, Contact, Identity, Message


def agent_of(user: Any) -> Agent | None:
    """The agent profile of a signed-in user, or None for anonymous users and accounts without one."""
    if user is None or not user.is_authenticated:
        return None
    agent = brand_roles.agent_for_user(user.pk)
    if agent is None:
        return None
    # The user row was read a moment ago for the sign-in check: not a second time in a join.
    agent.user = user._wrapped if isinstance(user, LazyObject) else user
    return agent


def roles(agent: Agent) -> dict[int, str]:
    """{brand id: role} of the agent's memberships; cached on the instance for one request."""
    return brand_roles.of(agent)


def brand_ids(agent: Agent) -> list[int]:
    return sorted(roles(agent))


def brands(agent: Agent) -> QuerySet[Brand]:
    return Brand.objects.filter(pk__in=brand_ids(agent)).order_by("name")


def get_brand_or_404(agent: Agent, brand_id: object) -> Brand:
    try:
        pk = int(str(brand_id))
    except ValueError as exc:
        raise Http404 from exc
    if pk not in roles(agent):
        raise Http404
    return Brand.objects.get(pk=pk)


def visible_cases(agent: Agent) -> QuerySet[Case]:
    return _in_brands(brand_ids(agent))


def _in_brands(ids: list[int]) -> QuerySet[Case]:
    return Case.objects.filter(brand_id__in=ids).select_related("brand", "owner", "contact")


LIST_COLUMNS = ("pk", "subject", "state", "updated_at", "answer_due_at", "contact_id", "contact__name")
LIST_COLUMNS += ("owner__name", "brand__name", "brand_id")
# The service-level clock a list row shows (one join on the case's primary key).
SLA_COLUMNS = tuple(f"sla__{stage}_{part}" for stage in ("confirm", "answer", "resolve") for part in ("due", "risk"))
SLA_COLUMNS += ("sla__confirmed_at", "sla__answered_at", "sla__resolved_at")
LIST_COLUMNS += SLA_COLUMNS


def listed_cases(agent: Agent) -> QuerySet[Case]:
    """Cases for a list page as dicts of the columns a list shows: no model instances for 50 rows per page."""
    return listed_in(brand_ids(agent))


def listed_in(brands: list[int]) -> QuerySet[Case]:
    return Case.objects.filter(brand_id__in=brands).values(*LIST_COLUMNS)


_FIRST_IDENTITIES = Prepared(
    lambda contacts: (
        Identity.objects.filter(contact_id__in=contacts)
        .order_by("contact_id", "-verified", "id")
        .values_list("contact_id", "value")
    )
)


def first_identities(contact_ids: set[int]) -> dict[int, str]:
    """{contact id: the address a list shows for it}: verified first, then the oldest; one query for a page."""
    first: dict[int, str] = {}
    for contact_id, value in _FIRST_IDENTITIES(contacts=sorted(contact_ids)):
        first.setdefault(contact_id, value)
    return first


# Without the incident's join: most cases have none, and a linked one reads it when shown.
_VISIBLE_CASE = Prepared(lambda case, brands: _in_brands(brands).filter(pk=case)[:1])


def get_case_or_404(agent: Agent, case_id: int) -> Case:
    ids = brand_ids(agent)
    found = _VISIBLE_CASE(case=int(case_id), brands=ids) if ids else []
    if not found:
        raise Http404
    return found[0]


def get_message_or_404(agent: Agent, message_id: int) -> Message:
    # Both the message's brand and its case's brand must be the agent's: no path around the scope.
    ids = brand_ids(agent)
    message = (
        Message.objects.select_related("case", "case__brand", "case__owner", "case__contact")
        .filter(pk=message_id, brand_id__in=ids, case__brand_id__in=ids)
        .first()
    )
    if message is None:
        raise Http404
    return message


def get_attachment_or_404(agent: Agent, attachment_id: int) -> Attachment:
    ids = brand_ids(agent)
    attachment = (
        Attachment.objects.select_related("message")
        .filter(pk=attachment_id, message__brand_id__in=ids, message__case__brand_id__in=ids)
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def get_contact_or_404(agent: Agent, contact_id: int) -> Contact:
    contact = Contact.objects.select_related("brand").filter(pk=contact_id, brand_id__in=brand_ids(agent)).first()
    if contact is None:
        raise Http404
    return contact


def colleagues(case: Case) -> QuerySet[Agent]:
    """Who a case can be handed to: the other agents of its brand."""
    return Agent.objects.filter(memberships__brand_id=case.brand_id).exclude(pk=case.owner_id).order_by("name")


# --- the outbox: role-only, scoped by the sender's mail domain --------------------------------------


def outbox_brands(agent: Agent) -> QuerySet[Brand]:
    """Brands whose kept mail the agent may read: staff see all their brands, supervisors and admins theirs."""
    return Brand.objects.filter(pk__in=brand_roles.brand_ids(agent, brand_roles.SUPERVISOR)).order_by("name")


def may_see_outbox(agent: Agent) -> bool:
    return bool(brand_roles.brand_ids(agent, brand_roles.SUPERVISOR))


def may_admin(agent: Agent) -> bool:
    """Staff, or an admin of some brand (the channel health page)."""
    return bool(brand_roles.brand_ids(agent, brand_roles.ADMIN))


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/forbidden.html", {"agent": request.agent}, status=403)


def visible_mail(agent: Agent) -> QuerySet[CapturedMail]:
    # The sender is '"Name (Brand)" <mailbox+token@domain>'; the "@" keeps "x-domain" from matching "domain".
    query = Q(pk__in=[])
    for domain in outbox_brands(agent).values_list("mail_domain", flat=True):
        query |= Q(sender__iendswith=f"@{domain}>") | Q(sender__iendswith=f"@{domain}")
    return CapturedMail.objects.filter(query)


def get_mail_or_404(agent: Agent, mail_id: int) -> CapturedMail:
    mail = visible_mail(agent).filter(pk=mail_id).first()
    if mail is None:
        raise Http404
    return mail


# --- view decorators ---------------------------------------------------------------------------------


def agent_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required, and an agent profile: request.agent is set for the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        agent = agent_of(request.user)
        if agent is None:
            return render(request, "desk/no_agent.html", status=403)
        request.agent = agent
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def outbox_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only supervisors, admins and staff read the kept outgoing mail."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_see_outbox(request.agent):
            return render(request, "desk/forbidden.html", {"agent": request.agent}, status=403)
        return view(request, *args, **kwargs)

    return agent_required(wrapper)

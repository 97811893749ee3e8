"""Merge proposals: contacts that may be one person, merged or dismissed by an agent."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse

from anliegen.core.models import MergeProposal
from anliegen.core.services import merge

from .. import scope
from ..pages import render_page


@scope.agent_required
def proposals(request: HttpRequest) -> HttpResponse:
    """Contacts that may be one person; an agent merges or dismisses."""
    agent, error = request.agent, ""
    if request.method == "POST":
        found = MergeProposal.objects.filter(pk=request.POST.get("proposal", 0) or 0).filter(
            brand_id__in=scope.brand_ids(agent), state=MergeProposal.State.OPEN
        )
        proposal = found.select_related("contact", "other").first()
        if proposal is None:
            raise Http404
        try:
            if request.POST.get("decision") == "merge":
                merge.check_merge_contacts(proposal.contact, proposal.other, agent)
            else:
                merge.check_dismiss_proposal(proposal, agent)
        except merge.MergeError as exc:
            error = str(exc)
    listed = (
        MergeProposal.objects.filter(brand_id__in=scope.brand_ids(agent), state=MergeProposal.State.OPEN)
        .select_related("contact", "other", "brand")
        .prefetch_related("contact__identities", "other__identities")
        .filter(Q(contact__merged_into__isnull=True) & Q(other__merged_into__isnull=True))
    )
    return render_page(request, "desk/promises/proposals.html", {"proposals": listed[:200], "error": error})

"""Desk URLs of the promise ledger, escalations, identity verification and case merges."""

from django.urls import path

from .views import escalations, ledger, panels, proposals

urlpatterns = [
    path("cases/<int:case_id>/panels/", panels.case_panels, name="case_panels"),
    path("cases/<int:case_id>/promises/", panels.promise_create, name="promise_create"),
    path("promises/<int:promise_id>/<str:action>/", panels.promise_action, name="promise_action"),
    path("cases/<int:case_id>/escalate/", escalations.escalate, name="escalate"),
    path("escalations/<int:escalation_id>/resolve/", escalations.escalation_resolve, name="escalation_resolve"),
    path(
        "cases/<int:case_id>/identities/<int:identity_id>/<str:step>/",
        panels.identity_code,
        name="identity_code",
    ),
    path("cases/<int:case_id>/merge/", panels.case_merge, name="case_merge"),
    path("cases/<int:case_id>/split/", panels.case_split, name="case_split"),
    path("promises/", ledger.ledger, name="promise_ledger"),
    path("leave/", ledger.leave, name="leave"),
    path("escalations/", escalations.escalations, name="escalations"),
    path("contacts/proposals/", proposals.proposals, name="merge_proposals"),
]

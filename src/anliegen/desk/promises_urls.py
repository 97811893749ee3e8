"""Desk URLs of the promise ledger, escalations, identity verification and case merges."""

from django.urls import path

from . import promises

urlpatterns = [
    path("cases/<int:case_id>/panels/", promises.case_panels, name="case_panels"),
    path("cases/<int:case_id>/promises/", promises.promise_create, name="promise_create"),
    path("promises/<int:promise_id>/<str:action>/", promises.promise_action, name="promise_action"),
    path("cases/<int:case_id>/escalate/", promises.escalate, name="escalate"),
    path("escalations/<int:escalation_id>/resolve/", promises.escalation_resolve, name="escalation_resolve"),
    path(
        "cases/<int:case_id>/identities/<int:identity_id>/<str:step>/",
        promises.identity_code,
        name="identity_code",
    ),
    path("cases/<int:case_id>/merge/", promises.case_merge, name="case_merge"),
    path("cases/<int:case_id>/split/", promises.case_split, name="case_split"),
    path("promises/", promises.ledger, name="promise_ledger"),
    path("leave/", promises.leave, name="leave"),
    path("escalations/", promises.escalations, name="escalations"),
    path("contacts/proposals/", promises.proposals, name="merge_proposals"),
]

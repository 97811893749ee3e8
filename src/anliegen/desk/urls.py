"""Agent desk URLs; every view behind them is signed-in, agent-only and brand-scoped (see scope.py)."""

from django.urls import include, path

from . import search
from .signin import oidc
from .views import (
    account,
    articles,
    bulk,
    case,
    community,
    compose,
    drafts,
    inbox,
    incidents,
    macros,
    outbox,
    saved_views,
    text_blocks,
    two_factor,
)

app_name = "desk"
urlpatterns = [
    path("login/", account.login, name="login"),
    path("logout/", account.logout, name="logout"),
    path("login/code/", two_factor.login_code, name="login_code"),
    path("login/sso/", oidc.start, name="sso_start"),
    path("login/sso/callback/", oidc.callback, name="sso_callback"),
    path("login/two-factor/", two_factor.login_enrol, name="login_enrol"),
    path("account/two-factor/", two_factor.account, name="two_factor"),
    path("account/two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("account/two-factor/recovery/", two_factor.recovery, name="two_factor_recovery"),
    path("account/two-factor/off/", two_factor.turn_off, name="two_factor_off"),
    path("team/two-factor/", two_factor.team, name="two_factor_team"),
    path("team/two-factor/<int:agent_id>/reset/", two_factor.reset, name="two_factor_reset"),
    path("presence/", account.presence, name="presence"),
    path("", inbox.inbox, name="inbox"),
    path("queue/", inbox.queue, name="queue"),
    path("cases/<int:case_id>/", case.case_detail, name="case"),
    path("cases/<int:case_id>/reply/", compose.reply, name="reply"),
    path("cases/<int:case_id>/note/", compose.note, name="note"),
    path("cases/<int:case_id>/draft/", drafts.save_draft, name="draft"),
    path("cases/<int:case_id>/state/", compose.change_state, name="state"),
    path("cases/<int:case_id>/reassign/", compose.reassign, name="reassign"),
    path("cases/<int:case_id>/macro/", macros.apply_macro, name="apply_macro"),
    path("cases/<int:case_id>/tags/", macros.case_tags, name="case_tags"),
    path("cases/bulk/", bulk.bulk_action, name="bulk"),
    path("macros/", text_blocks.macro_list, name="macros"),
    path("macros/new/", text_blocks.macro_edit, name="macro_new"),
    path("macros/<int:macro_id>/", text_blocks.macro_edit, name="macro"),
    path("views/", saved_views.view_counts, name="view_counts"),
    path("views/new/", saved_views.view_new, name="view_new"),
    path("views/<int:view_id>/", saved_views.view_cases, name="view"),
    path("views/<int:view_id>/edit/", saved_views.view_edit, name="view_edit"),
    path("views/<int:view_id>/delete/", saved_views.view_delete, name="view_delete"),
    path("messages/<int:message_id>/html/", case.message_html, name="message_html"),
    path("messages/<int:message_id>/retry/", compose.retry, name="retry"),
    path("attachments/<int:attachment_id>/", case.attachment, name="attachment"),
    path("contacts/<int:contact_id>/", case.contact, name="contact"),
    path("cases/<int:case_id>/incident/", incidents.case_incident, name="case_incident"),
    path("cases/<int:case_id>/articles/", articles.article_links, name="article_links"),
    path("articles/", articles.article_list, name="articles"),
    path("articles/new/", articles.article_edit, name="article_new"),
    path("articles/<int:article_id>/", articles.article_edit, name="article"),
    path("articles/versions/<int:version_id>/review/", articles.version_review, name="version_review"),
    path("community/", community.queue, name="community"),
    path("community/<int:thread_id>/", community.thread_detail, name="community_thread"),
    path("community/<int:thread_id>/act/", community.act, name="community_act"),
    path("community/<str:kind>/<int:post_id>/moderate/", community.moderate, name="community_moderate"),
    path("incidents/", incidents.incident_list, name="incidents"),
    path("incidents/new/", incidents.incident_new, name="incident_new"),
    path("incidents/proposals/<int:proposal_id>/", incidents.proposal_decide, name="proposal_decide"),
    path("incidents/<int:incident_id>/", incidents.incident_detail, name="incident"),
    path("incidents/<int:incident_id>/update/", incidents.incident_update, name="incident_update"),
    path("incidents/<int:incident_id>/solve/", incidents.incident_solve, name="incident_solve"),
    path("chats/", include("anliegen.channels.chat.desk_urls")),  # conversations waiting and their panels
    path("outbox/", outbox.outbox, name="outbox"),
    path("search/", search.search_view, name="search"),
    path("outbox/<int:mail_id>/", outbox.outbox_mail, name="outbox_mail"),
    path("phone/", include("anliegen.channels.phone.desk_urls")),  # screen pop, presence, callbacks due
    path("channels/", include("anliegen.channels.messaging.desk_urls")),  # adapter health, for admins
    path("whatsapp/", include("anliegen.channels.whatsapp.desk_urls")),  # templates after the 24 hours
    path("audit/", include("anliegen.audit.urls")),  # the audit log, for admins
    path("satisfaction/", include("anliegen.csat.desk_urls")),  # poor ratings, for supervisors
    path("privacy/", include("anliegen.privacy.urls")),  # export and erasure of a contact
    path("webhooks/", include("anliegen.integrations.desk_urls")),  # webhook delivery log, for admins
    path("reports/", include("anliegen.reports.desk_urls")),  # service figures, for supervisors
    path("", include("anliegen.desk.promises_urls")),  # promises, escalations, identities, merges
]

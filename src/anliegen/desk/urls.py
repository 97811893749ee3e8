"""Agent desk URLs; every view behind them is signed-in, agent-only and brand-scoped (see scope.py)."""

from django.urls import include, path

from . import search
from .views import account, case, compose, inbox, outbox

app_name = "desk"
urlpatterns = [
    path("login/", account.login, name="login"),
    path("logout/", account.logout, name="logout"),
    path("presence/", account.presence, name="presence"),
    path("", inbox.inbox, name="inbox"),
    path("queue/", inbox.queue, name="queue"),
    path("cases/<int:case_id>/", case.case_detail, name="case"),
    path("cases/<int:case_id>/reply/", compose.reply, name="reply"),
    path("cases/<int:case_id>/note/", compose.note, name="note"),
    path("cases/<int:case_id>/state/", compose.change_state, name="state"),
    path("cases/<int:case_id>/reassign/", compose.reassign, name="reassign"),
    path("messages/<int:message_id>/html/", case.message_html, name="message_html"),
    path("messages/<int:message_id>/retry/", compose.retry, name="retry"),
    path("attachments/<int:attachment_id>/", case.attachment, name="attachment"),
    path("contacts/<int:contact_id>/", case.contact, name="contact"),
    path("outbox/", outbox.outbox, name="outbox"),
    path("search/", search.search_view, name="search"),
    path("outbox/<int:mail_id>/", outbox.outbox_mail, name="outbox_mail"),
    path("phone/", include("anliegen.channels.phone.desk_urls")),  # screen pop, presence, callbacks due
    path("", include("anliegen.desk.promises_urls")),  # promises, escalations, identities, merges
]

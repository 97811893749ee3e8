"""Admin: where each brand's widget may be embedded; the conversations, read-only."""

from django.contrib import admin

from .models import ChatSetup, Conversation


@admin.register(ChatSetup)
class ChatSetupAdmin(admin.ModelAdmin):
    list_display = ("brand", "enabled", "origins")


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("pk", "brand", "case", "email", "connections", "last_seen_at")
    readonly_fields = ("key", "case", "brand", "page_url", "connections")

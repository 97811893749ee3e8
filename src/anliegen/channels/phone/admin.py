"""Admin pages of the phone channel: each brand's line to its PBX, the recorded calls, phone presence."""

from django.contrib import admin

from .models import AgentPhone, Call, PhoneLine


@admin.register(PhoneLine)
class PhoneLineAdmin(admin.ModelAdmin):
    list_display = ["brand", "sip_domain", "default_handling_seconds"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["call_id", "brand", "direction", "number", "result", "agent", "duration_seconds", "started_at"]
    list_filter = ["brand", "result", "direction"]
    search_fields = ["call_id", "number", "number_raw"]
    readonly_fields = [f.name for f in Call._meta.fields]


@admin.register(AgentPhone)
class AgentPhoneAdmin(admin.ModelAdmin):
    list_display = ["agent", "state", "call_id", "since"]

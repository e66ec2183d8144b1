from django.contrib import admin

from oncoreach.core.models import AuditEvent, OutboundEmail


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_repr"]
    list_filter = ["action"]
    search_fields = ["target_repr", "action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "event_key"]

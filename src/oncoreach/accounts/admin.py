from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from oncoreach.accounts.models import ExternalIdentity, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "email_confirmed", "is_staff"]
    search_fields = ["email", "display_name"]
    list_filter = ["is_active", "is_staff", "email_confirmed", "groups"]
    fieldsets = [
        (None, {"fields": ["email", "password", "display_name", "preferred_language", "time_zone"]}),
        ("Status", {"fields": ["is_active", "email_confirmed", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: links are made by signing in, never typed in."""

    list_display = ["user", "issuer", "email", "email_verified", "created_at", "last_login_at"]
    search_fields = ["user__email", "email", "subject"]
    list_select_related = ["user"]
    readonly_fields = ["user", "issuer", "subject", "email", "email_verified", "created_at", "last_login_at"]

    def has_add_permission(self, request: Any) -> bool:
        return False

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from oncoreach.accounts.models import User


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

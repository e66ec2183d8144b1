"""Forms are built in the staff form builder (programs/views.py); the admin only lists them and
their versions, read-only, so nobody edits a version that responses answered."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from oncoreach.programs.models import FormDefinition, FormVersion


class FormVersionInline(admin.TabularInline):
    model = FormVersion
    fields = ("number", "created_at", "created_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FormDefinition)
class FormDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [FormVersionInline]

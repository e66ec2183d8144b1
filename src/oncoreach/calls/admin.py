"""Staff set calls up on their own pages (calls/staff/…); the admin lists what exists.

Stages, rubrics and panels change through the set-up services (locks, audit), and applications
change status only through the lifecycle services, so the admin only reads them.
"""

from django.contrib import admin

from oncoreach.calls.models import Application, Call, CallRole, CallStage, ConflictDeclaration


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


class CallStageInline(admin.TabularInline):
    model = CallStage
    fields = ("order", "key", "name", "kind", "form", "opens_at", "closes_at", "by_invitation", "blind")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "cycle", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["prior_award_programs"]
    inlines = [CallStageInline]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Read-only: status changes go through the staff pages (one choke point, with audit)."""

    list_display = ["applicant", "call", "current_stage", "status", "submitted_at"]
    list_filter = ["status", "call"]
    search_fields = ["applicant__given_name", "applicant__family_name", "applicant__email"]


@admin.register(CallRole)
class CallRoleAdmin(ReadOnlyAdmin):
    list_display = ["person", "role", "call", "stage", "cycle"]
    list_filter = ["role"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "application", "reason", "created_at"]
    autocomplete_fields = ["reviewer", "application"]

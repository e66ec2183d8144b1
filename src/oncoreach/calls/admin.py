"""Staff set calls up in the admin; applications change status only through services."""

from django.contrib import admin

from oncoreach.calls.models import Application, Call, ConflictDeclaration, RubricCriterion


class RubricCriterionInline(admin.TabularInline):
    model = RubricCriterion
    extra = 1


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "cycle", "opens_at", "closes_at", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["prior_award_programs"]
    autocomplete_fields = ["reviewers"]
    inlines = [RubricCriterionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: status changes go through the staff pages (one choke point, with audit)."""

    list_display = ["applicant", "call", "status", "submitted_at"]
    list_filter = ["status", "call"]
    search_fields = ["applicant__given_name", "applicant__family_name", "applicant__email"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ["reviewer", "application", "reason", "created_at"]
    autocomplete_fields = ["reviewer", "application"]

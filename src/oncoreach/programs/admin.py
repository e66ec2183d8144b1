"""Staff put forms together in the Django admin: a form with its questions inline."""

from django.contrib import admin

from oncoreach.programs.models import FormDefinition, Question


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 1
    fields = [
        ("order", "kind", "required"),
        "label",
        "help_text",
        "choices",
        ("max_words", "max_chars"),
        ("max_file_mb", "allowed_upload_types"),
    ]


@admin.register(FormDefinition)
class FormDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [QuestionInline]

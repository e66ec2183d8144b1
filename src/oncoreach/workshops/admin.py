"""Admin for reference data (modules, templates). Statuses are read-only here: they change only
through the transition services, from the staff pages."""

from django.contrib import admin

from oncoreach.workshops.models import Course, CourseTemplate, FacultySlot, Module, Session


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["name", "default_hours"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CourseTemplate)
class CourseTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "course_type", "default_days"]
    filter_horizontal = ["modules"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    raw_id_fields = ["faculty"]


class SlotInline(admin.TabularInline):
    model = FacultySlot
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "country", "start_date", "status"]
    list_filter = ["status", "template__course_type"]
    readonly_fields = ["status"]
    raw_id_fields = ["host_organization", "co_hosts"]
    inlines = [SlotInline, SessionInline]

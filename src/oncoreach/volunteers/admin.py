from django.contrib import admin

from oncoreach.volunteers.models import ActivityLog, VolunteerAvailability, VolunteerProfile


class AvailabilityInline(admin.TabularInline):
    model = VolunteerAvailability
    extra = 0


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
    list_display = ["person", "specialty", "max_trips_per_year", "is_active"]
    list_filter = ["is_active", "specialty"]
    search_fields = ["person__given_name", "person__family_name", "person__email"]
    raw_id_fields = ["person"]
    inlines = [AvailabilityInline]


@admin.register(ActivityLog)
class ActivityLogAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "date", "hours"]
    list_filter = ["kind"]
    raw_id_fields = ["person"]

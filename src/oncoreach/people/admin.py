from django.contrib import admin

from oncoreach.people.models import Affiliation, Inquiry, Organization, Person


class AffiliationInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["__str__", "email", "country_of_practice", "specialty", "membership_status", "is_volunteer"]
    list_filter = ["membership_status", "is_volunteer", "specialty", "career_stage"]
    search_fields = ["given_name", "family_name", "passport_name", "email", "orcid"]
    list_select_related = ["country_of_practice"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["country_of_practice", "country_of_residence"]
    readonly_fields = ["privacy_consent_at", "created_at", "updated_at"]
    inlines = [AffiliationInline]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "kind", "city", "country", "is_partner"]
    list_filter = ["kind", "is_partner"]
    search_fields = ["name", "city", "country__name"]
    list_select_related = ["country"]
    raw_id_fields = ["country"]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["person", "organization", "title", "is_primary"]
    list_filter = ["is_primary"]
    search_fields = ["person__given_name", "person__family_name", "organization__name"]
    list_select_related = ["person", "organization"]
    autocomplete_fields = ["person", "organization"]


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "name", "email", "topic", "country", "handled", "handled_by"]
    list_filter = ["handled", "topic"]
    search_fields = ["name", "email", "message"]
    list_select_related = ["country", "handled_by"]
    # Staff mark inquiries handled in our own list (people:inquiry-list), which records who and
    # when and audits it; the admin only shows the result.
    readonly_fields = [
        "created_at",
        "name",
        "email",
        "country",
        "topic",
        "message",
        "person",
        "submission_token",
        "handled",
        "handled_at",
        "handled_by",
    ]
    date_hierarchy = "created_at"

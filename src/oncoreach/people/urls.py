from django.urls import path

from oncoreach.people import views, views_membership, views_merge, views_staff, views_timeline

app_name = "people"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sign-up/", views.signup, name="signup"),
    path("sign-up/check-your-email/", views.signup_done, name="signup-done"),
    path("confirm/resend/", views.resend_confirmation, name="resend-confirmation"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm-email"),
    path("profile/", views.profile_edit, name="profile-edit"),
    path("affiliations/", views.affiliation_list, name="affiliations"),
    path("affiliations/<int:pk>/remove/", views.affiliation_remove, name="affiliation-remove"),
    path("affiliations/<int:pk>/primary/", views.affiliation_make_primary, name="affiliation-primary"),
    path("publications/", views.publication_list, name="publications"),
    path("publications/<int:pk>/remove/", views.publication_remove, name="publication-remove"),
    path("my-data/", views.my_data, name="my-data"),
    path("get-involved/", views.get_involved, name="get-involved"),
    path("get-involved/thank-you/", views.get_involved_thanks, name="get-involved-thanks"),
    path("staff/people/", views.person_list, name="person-list"),
    path("staff/people/export.csv", views.person_export, name="person-export"),
    path("staff/people/<int:pk>/", views_staff.person_detail, name="person-detail"),
    path("staff/people/<int:pk>/publications/", views_staff.person_publications, name="person-publications"),
    path(
        "staff/publications/<int:pk>/remove/", views_staff.person_publication_remove, name="person-publication-remove"
    ),
    path("staff/people/<int:pk>/timeline/", views_timeline.person_timeline, name="person-timeline"),
    path("staff/people/<int:pk>/notes/", views_timeline.note_add, name="note-add"),
    path("staff/notes/<int:pk>/", views_timeline.note_edit, name="note-edit"),
    path("staff/duplicates/", views_merge.duplicate_list, name="duplicate-list"),
    path("staff/duplicates/<int:first>/<int:second>/dismiss/", views_merge.duplicate_dismiss, name="duplicate-dismiss"),
    path("staff/merge/<int:survivor>/<int:other>/", views_merge.person_merge, name="person-merge"),
    path("staff/merges/<int:pk>/undo/", views_merge.merge_undo, name="merge-undo"),
    path("staff/organizations/", views.organization_list, name="organization-list"),
    path("staff/organizations/export.csv", views.organization_export, name="organization-export"),
    path("staff/inquiries/", views.inquiry_list, name="inquiry-list"),
    path("staff/inquiries/<int:pk>/handled/", views.inquiry_set_handled, name="inquiry-handled"),
    path("staff/memberships/", views_membership.membership_overview, name="membership-overview"),
    path("staff/memberships/preview/", views_membership.membership_import_preview, name="membership-import-preview"),
    path("staff/memberships/confirm/", views_membership.membership_import_confirm, name="membership-import-confirm"),
    path("staff/memberships/<int:pk>/", views_membership.membership_import_detail, name="membership-import-detail"),
]

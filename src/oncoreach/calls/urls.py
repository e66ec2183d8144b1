from django.urls import path

from oncoreach.calls import views, views_ranking, views_review, views_staff

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="call-list"),
    # Applicants.
    path("mine/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/autosave/", views.application_autosave, name="application-autosave"),
    path("applications/<int:pk>/referees/", views.application_add_referee, name="application-add-referee"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"),
    path("applications/<int:pk>/recheck/", views_staff.application_recheck, name="application-recheck"),
    path("applications/<int:pk>/decline/", views.application_decline, name="application-decline"),
    path("applications/<int:pk>/files/<int:answer_pk>/", views.application_file, name="application-file"),
    # Referees, through their private link (no account).
    path("references/<str:token>/", views.reference_upload, name="reference-upload"),
    # Reviewers.
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/<int:pk>/", views.review_form, name="review-form"),
    path("reviews/<int:pk>/application.pdf", views_review.application_pdf, name="review-application-pdf"),
    path("reviews/packets/<slug:slug>/<slug:stage>.pdf", views_review.packet, name="review-packet"),
    path("reviews/packets/runs/<int:pk>/", views_review.packet_run, name="review-packet-run"),
    path("reviews/packets/runs/<int:pk>/packet.pdf", views_review.packet_file, name="review-packet-file"),
    path("reviews/<int:pk>/respond/", views.review_respond, name="review-respond"),
    # Committee people (chair and members, by their role on the call).
    path("committees/<slug:slug>/ranking/", views_ranking.committee_ranking_page, name="committee-ranking"),
    path("committees/<slug:slug>/ranking/decide/", views_ranking.committee_decide, name="committee-decide"),
    path("committees/<slug:slug>/ranking.csv", views_ranking.committee_ranking_export, name="committee-ranking-export"),
    # Program staff.
    path("staff/", views.staff_call_list, name="staff-call-list"),
    path("staff/new/", views_staff.call_create, name="staff-call-create"),
    path("staff/criteria/<int:pk>/", views_staff.criterion_update, name="staff-criterion-update"),
    path("staff/criteria/<int:pk>/remove/", views_staff.criterion_remove, name="staff-criterion-remove"),
    path("staff/criteria/<int:pk>/move/", views_staff.criterion_move, name="staff-criterion-move"),
    path("staff/applications/<int:pk>/", views.staff_application_detail, name="staff-application-detail"),
    path("staff/applications/<int:pk>/assign/", views.staff_assign_reviewer, name="staff-assign-reviewer"),
    path("staff/applications/<int:pk>/move/", views.staff_move_application, name="staff-move-application"),
    path("staff/applications/<int:pk>/decide/", views.staff_decide_application, name="staff-decide-application"),
    path(
        "staff/applications/<int:pk>/eligibility/", views_staff.override_eligibility, name="staff-override-eligibility"
    ),
    path("staff/applications/<int:pk>/advance/", views_staff.advance_application, name="staff-advance-application"),
    path("staff/references/<int:pk>/letter/", views.staff_reference_letter, name="staff-reference-letter"),
    path("staff/<slug:slug>/applications/", views.staff_application_list, name="staff-application-list"),
    path("staff/<slug:slug>/applications.csv", views.staff_application_export, name="staff-application-export"),
    path("staff/<slug:slug>/assign-with-engine/", views.staff_assign_with_engine, name="staff-assign-engine"),
    path("staff/runs/<int:pk>/", views.staff_run, name="staff-run"),
    path("staff/<slug:slug>/ranking/", views_ranking.ranking, name="staff-ranking"),
    path("staff/<slug:slug>/ranking/decide/", views_ranking.panel_decide, name="staff-panel-decide"),
    path("staff/<slug:slug>/ranking.csv", views_ranking.ranking_export, name="staff-ranking-export"),
    path("staff/<slug:slug>/set-up/", views_staff.call_edit, name="staff-call-edit"),
    path("staff/<slug:slug>/stages/", views_staff.stages, name="staff-stages"),
    path("staff/<slug:slug>/stages/<slug:key>/", views_staff.stage_update, name="staff-stage-update"),
    path("staff/<slug:slug>/stages/<slug:key>/move/", views_staff.stage_move, name="staff-stage-move"),
    path("staff/<slug:slug>/stages/<slug:key>/remove/", views_staff.stage_remove, name="staff-stage-remove"),
    path("staff/<slug:slug>/rubric/", views_staff.rubric, name="staff-rubric"),
    path("staff/<slug:slug>/panel/", views_staff.panel, name="staff-panel"),
    path("staff/<slug:slug>/panel/add/", views_staff.panel_add, name="staff-panel-add"),
    path("staff/<slug:slug>/panel/remove/", views_staff.panel_remove, name="staff-panel-remove"),
    # Public call pages last: their slug would otherwise swallow the paths above.
    path("<slug:slug>/", views.call_detail, name="call-detail"),
    path("<slug:slug>/apply/", views.application_start, name="application-start"),
]

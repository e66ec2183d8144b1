from django.urls import path

from oncoreach.workshops import feeds, views, views_participants, views_staff, views_volunteer

app_name = "workshops"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("feed/", feeds.course_feed, name="feed"),
    # Volunteer side.
    path("invitations/<int:pk>/", views_volunteer.invitation_respond, name="invitation-respond"),
    path("invitations/answer/<str:token>/", views_volunteer.invitation_respond_token, name="invitation-respond-token"),
    path("invitations/<int:pk>/travel/", views_volunteer.travel_detail, name="travel-detail"),
    path("slots/<int:pk>/interest/", views_volunteer.express_interest, name="express-interest"),
    # Participants.
    path("mine/", views_participants.my_courses, name="my-courses"),
    path("registrations/<int:pk>/", views_participants.registration_detail, name="registration-detail"),
    path("registrations/<int:pk>/answers/", views_participants.registration_form, name="registration-form"),
    path("registrations/<int:pk>/cancel/", views_participants.registration_cancel, name="registration-cancel"),
    path("registrations/<int:pk>/follow-up/", views_participants.registration_follow_up, name="registration-follow-up"),
    path(
        "registrations/<int:pk>/evaluation/",
        views_participants.registration_evaluation,
        name="registration-evaluation",
    ),
    path(
        "registrations/<int:pk>/visa-letter.pdf",
        views_participants.registration_visa_letter,
        name="registration-visa-letter",
    ),
    path("registrations/<int:pk>/certificate.pdf", views_participants.certificate, name="certificate"),
    path("certificates/<str:code>/", views_participants.certificate_verify, name="certificate-verify"),
    path("follow-up/<str:token>/", views_participants.impact_survey, name="impact-survey"),
    path("host/<slug:slug>/", views_participants.host_registrations, name="host-registrations"),
    # Staff side.
    path("staff/host-applications/", views_participants.staff_host_applications, name="staff-host-applications"),
    path("staff/host-applications/<int:pk>/approve/", views_participants.staff_host_approve, name="staff-host-approve"),
    path("staff/registrations/<int:pk>/decide/", views_participants.staff_decide, name="staff-registration-decide"),
    path(
        "staff/registrations/<int:pk>/withdraw/", views_participants.staff_withdraw, name="staff-registration-withdraw"
    ),
    path(
        "staff/registrations/<int:pk>/attendance/",
        views_participants.staff_attendance,
        name="staff-registration-attendance",
    ),
    path("staff/", views_staff.course_list, name="staff-course-list"),
    path("staff/propose/", views_staff.propose_season, name="staff-propose-season"),
    path("staff/runs/<int:pk>/", views_staff.staffing_run, name="staff-run"),
    path("staff/<slug:slug>/", views_staff.course_staffing, name="staff-course"),
    path("staff/<slug:slug>/intake/", views_participants.staff_intake, name="staff-intake"),
    path("staff/<slug:slug>/intake/open/", views_participants.staff_open_registration, name="staff-intake-open"),
    path("staff/<slug:slug>/intake/promote/", views_participants.staff_promote, name="staff-intake-promote"),
    path("staff/<slug:slug>/status/", views_staff.course_transition, name="staff-course-transition"),
    path("staff/<slug:slug>/cancel/", views_staff.course_cancel, name="staff-course-cancel"),
    path("staff/<slug:slug>/schedule/", views_staff.course_schedule, name="staff-course-schedule"),
    path("staff/<slug:slug>/slots/", views_staff.course_add_slot, name="staff-course-add-slot"),
    path("staff/<slug:slug>/sessions/", views_staff.course_add_session, name="staff-course-add-session"),
    path("staff/<slug:slug>/propose/", views_staff.course_propose, name="staff-course-propose"),
    path("staff/<slug:slug>/send/", views_staff.course_send_invitations, name="staff-course-send"),
    path("staff/slots/<int:pk>/propose/", views_staff.slot_propose, name="staff-slot-propose"),
    path("staff/invitations/<int:pk>/status/", views_staff.invitation_transition, name="staff-invitation-transition"),
    # Public course pages last: their slug would otherwise swallow the paths above.
    path("<slug:slug>/", views.course_detail, name="course-detail"),
    path("<slug:slug>/register/", views_participants.register, name="register"),
    path("<slug:slug>/calendar.ics", views.course_ics, name="course-ics"),
]

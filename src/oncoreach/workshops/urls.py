from django.urls import path

from oncoreach.workshops import feeds, views, views_staff, views_volunteer

app_name = "workshops"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("feed/", feeds.course_feed, name="feed"),
    # Volunteer side.
    path("invitations/<int:pk>/", views_volunteer.invitation_respond, name="invitation-respond"),
    path("invitations/answer/<str:token>/", views_volunteer.invitation_respond_token, name="invitation-respond-token"),
    path("invitations/<int:pk>/travel/", views_volunteer.travel_detail, name="travel-detail"),
    path("invitations/<int:pk>/visa-letter.pdf", views_volunteer.visa_letter, name="visa-letter"),
    path("slots/<int:pk>/interest/", views_volunteer.express_interest, name="express-interest"),
    # Staff side.
    path("staff/", views_staff.course_list, name="staff-course-list"),
    path("staff/propose/", views_staff.propose_season, name="staff-propose-season"),
    path("staff/<slug:slug>/", views_staff.course_staffing, name="staff-course"),
    path("staff/<slug:slug>/status/", views_staff.course_transition, name="staff-course-transition"),
    path("staff/<slug:slug>/schedule/", views_staff.course_schedule, name="staff-course-schedule"),
    path("staff/<slug:slug>/slots/", views_staff.course_add_slot, name="staff-course-add-slot"),
    path("staff/<slug:slug>/sessions/", views_staff.course_add_session, name="staff-course-add-session"),
    path("staff/<slug:slug>/propose/", views_staff.course_propose, name="staff-course-propose"),
    path("staff/<slug:slug>/send/", views_staff.course_send_invitations, name="staff-course-send"),
    path("staff/slots/<int:pk>/propose/", views_staff.slot_propose, name="staff-slot-propose"),
    path("staff/invitations/<int:pk>/status/", views_staff.invitation_transition, name="staff-invitation-transition"),
    # Public course pages last: their slug would otherwise swallow the paths above.
    path("<slug:slug>/", views.course_detail, name="course-detail"),
    path("<slug:slug>/calendar.ics", views.course_ics, name="course-ics"),
]

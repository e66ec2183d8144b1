from django.urls import path

from oncoreach.mentoring import views, views_staff, views_term, views_year

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("cycles/<int:pk>/offer/", views.offer, name="offer"),
    path("cycles/<int:pk>/offer/withdraw/", views.offer_withdraw, name="offer-withdraw"),
    path("cycles/<int:pk>/mentors/", views.mentors, name="mentors"),
    path("cycles/<int:pk>/apply/", views.apply, name="apply"),
    path("proposals/<int:pk>/", views.match_detail, name="match"),
    path("answer/<str:token>/", views.answer_link, name="answer-link"),
    # The mentorship year.
    path("mentorships/<int:pk>/", views_year.mentorship_detail, name="mentorship"),
    path("mentorships/<int:pk>/plan/", views_year.plan_edit, name="plan"),
    path("mentorships/<int:pk>/plan/comment/", views_year.plan_comment, name="plan-comment"),
    path("mentorships/<int:pk>/meetings/", views_year.meeting_add, name="meeting-add"),
    path("mentorships/<int:pk>/planner/", views_year.planner, name="planner"),
    path("mentorships/<int:pk>/invite.ics", views_year.invite, name="invite"),
    path("check-in/<str:token>/", views_year.checkin_link, name="checkin-link"),
    # End of term.
    path("mentorships/<int:pk>/evaluation/", views_term.evaluation, name="evaluation"),
    path("mentorships/<int:pk>/certificate.pdf", views_term.certificate, name="certificate"),
    # Staff.
    path("staff/at-risk/", views_year.at_risk, name="staff-at-risk"),
    path("staff/at-risk.csv", views_year.at_risk_export, name="staff-at-risk-export"),
    path("staff/mentorships/<int:pk>/end/", views_year.mentorship_end, name="staff-mentorship-end"),
    path("staff/", views_staff.cycle_list, name="staff-cycles"),
    path("staff/new/<int:cycle_pk>/", views_staff.cycle_new, name="staff-cycle-new"),
    path("staff/cycles/<int:pk>/", views_staff.cycle_detail, name="staff-cycle"),
    path("staff/cycles/<int:pk>/rounds/", views_staff.round_open, name="staff-round-open"),
    path("staff/rounds/<int:pk>/", views_staff.round_detail, name="staff-round"),
    path("staff/rounds/<int:pk>/pairs.csv", views_staff.round_pairs_csv, name="staff-round-pairs-csv"),
    path("staff/rounds/<int:pk>/run/", views_staff.round_run, name="staff-round-run"),
    path("staff/rounds/<int:pk>/adjust/", views_staff.round_adjust, name="staff-round-adjust"),
    path("staff/rounds/<int:pk>/swap/", views_staff.round_swap, name="staff-round-swap"),
    path("staff/rounds/<int:pk>/publish/", views_staff.round_publish, name="staff-round-publish"),
]

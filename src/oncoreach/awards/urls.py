from django.urls import path

from oncoreach.awards import views_awardees, views_decisions, views_directory, views_grants, views_interviews

app_name = "awards"

urlpatterns = [
    # Public.
    path("awardees/", views_directory.directory, name="directory"),
    path("awardees.csv", views_directory.directory_csv, name="directory-csv"),
    path("awardees.json", views_directory.directory_json, name="directory-json"),
    # Applicants and awardees.
    path("applications/<int:pk>/interview/", views_interviews.my_interview, name="interview"),
    path("interviews/<int:pk>/invitation.ics", views_interviews.interview_ics, name="interview-ics"),
    path("offers/", views_decisions.my_offers, name="my-offers"),
    path("offers/<int:pk>/", views_decisions.offer_detail, name="offer"),
    path("offers/answer/<str:token>/", views_decisions.offer_token, name="offer-token"),
    path("my-awards/", views_awardees.my_awards, name="my-awards"),
    # Interviewers and staff.
    path("calls/<slug:slug>/interviews/", views_interviews.call_interviews, name="call-interviews"),
    path("slots/<int:pk>/withdraw/", views_interviews.slot_withdraw, name="slot-withdraw"),
    path("calls/<slug:slug>/decisions/", views_decisions.decisions, name="decisions"),
    path("cycles/<int:pk>/travel/", views_awardees.cycle_travel, name="cycle-travel"),
    path("tracks/<int:pk>/mentors/", views_awardees.track_mentors, name="track-mentors"),
    # Grants (staff; the project lead sees their grant and its agreement).
    path("grants/", views_grants.grant_list, name="grant-list"),
    path("grants/<int:pk>/", views_grants.grant_detail, name="grant"),
    path("grants/<int:pk>/agreement.pdf", views_grants.agreement_file, name="grant-agreement"),
    path("tranches/<int:pk>/move/", views_grants.tranche_move, name="tranche-move"),
    path("reports/<int:pk>/received/", views_grants.report_received, name="report-received"),
    path("grants/mine/", views_grants.my_grants, name="my-grants"),
    path("reports/<int:pk>/send/", views_grants.report_submit, name="report-submit"),
    path("reports/<int:pk>/report.pdf", views_grants.report_file, name="report-file"),
    path("grants/overdue-reports/", views_grants.overdue_reports, name="overdue-reports"),
    path("grants/ledger/", views_grants.ledger, name="ledger"),
    path("grants/payments.csv", views_grants.finance_csv, name="finance-csv"),
]

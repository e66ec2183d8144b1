from django.urls import path

from oncoreach.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile_edit, name="profile-edit"),
    path("availability/", views.availability_add, name="availability-add"),
    path("availability/<int:pk>/delete/", views.availability_delete, name="availability-delete"),
    path("hours/", views.activity_add, name="activity-add"),
    path("hours/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    path("staff/people/<int:pk>/hours/", views.staff_activities, name="staff-activities"),
    path("staff/hours/<int:pk>/", views.staff_activity_edit, name="staff-activity-edit"),
]

from django.urls import path

from oncoreach.volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile_edit, name="profile-edit"),
    path("availability/", views.availability_add, name="availability-add"),
    path("availability/<int:pk>/delete/", views.availability_delete, name="availability-delete"),
]

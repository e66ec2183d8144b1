from django.urls import path

from oncoreach.travel import views

app_name = "travel"

urlpatterns = [
    path("", views.staff_trips, name="staff-trips"),
    path("<int:pk>/", views.trip_detail, name="trip"),
    path("<int:pk>/visa-letter.pdf", views.visa_letter, name="visa-letter"),
]

from django.urls import path

from oncoreach.pages import views

app_name = "pages"

urlpatterns = [
    path("countries/", views.country_list, name="country-list"),
    path("countries/<slug:slug>/", views.country_detail, name="country-detail"),
]

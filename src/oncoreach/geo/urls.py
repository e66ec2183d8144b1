"""Staff pages for countries and income groups, mounted at /<lang>/staff/geo/."""

from django.urls import path

from oncoreach.geo import views

app_name = "geo"

urlpatterns = [
    path("", views.classification_overview, name="classification"),
    path("imports/preview/", views.import_preview, name="import-preview"),
    path("imports/confirm/", views.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<str:iso3>/", views.country_history, name="country-history"),
    path("export.csv", views.classification_export, name="export-csv"),
]

"""The impact pages, under the language prefix: public at /impact/, staff at /staff/impact/."""

from django.urls import path

from oncoreach.reporting import views

app_name = "reporting"

urlpatterns = [
    path("impact/", views.impact_page, name="impact"),
    path("impact/map/", views.map_page, name="map"),
    path("impact/map.svg", views.map_svg, name="map-svg"),
    path("impact/charts/<slug:dimension>/<slug:figure>.svg", views.chart_svg, name="chart"),
    path("impact/<slug:table>.<slug:fmt>", views.public_download, name="download"),
    path("staff/impact/", views.dashboard, name="dashboard"),
    path("staff/impact/<slug:table>.<slug:fmt>", views.dashboard_download, name="dashboard-download"),
]

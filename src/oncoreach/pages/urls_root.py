"""Language-neutral URLs: sitemap, robots.txt, and the bare-root redirect to a language."""

from django.urls import path

from oncoreach.pages import views_root

urlpatterns = [
    path("", views_root.root_redirect, name="root-redirect"),
    path("sitemap.xml", views_root.sitemap, name="sitemap"),
    path("robots.txt", views_root.robots_txt, name="robots-txt"),
]

"""Language-neutral URLs: sitemap, robots.txt, and the bare-root redirect to a language."""

from django.urls import path

urlpatterns: list = []

"""Signing in with the society's account, at /sso/ (no language prefix: the provider is given one
fixed redirect URI, SITE_URL + /sso/callback/)."""

from django.urls import path

from oncoreach.people import views_sso

app_name = "sso"

urlpatterns = [
    path("login/", views_sso.society_sign_in_start, name="login"),
    path("callback/", views_sso.society_sign_in_callback, name="callback"),
]

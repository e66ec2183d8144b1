"""Pages for recipients, mounted at /<lang>/mail/: unsubscribe links and preferences."""

from django.urls import path

from oncoreach.messaging import views_mail

app_name = "mail"

urlpatterns = [
    path("unsubscribe/<str:token>/", views_mail.unsubscribe, name="unsubscribe"),
    path("preferences/", views_mail.preferences, name="preferences"),
]

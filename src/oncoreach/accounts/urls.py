from django.urls import path

from oncoreach.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password/reset/", views.password_reset, name="password-reset"),
    path("password/reset/sent/", views.password_reset_done, name="password-reset-done"),
    path("password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password-reset-confirm"),
    path("password/reset/complete/", views.password_reset_complete, name="password-reset-complete"),
    path("password/change/", views.password_change, name="password-change"),
    path("password/change/done/", views.password_change_done, name="password-change-done"),
    path("view-as/stop/", views.view_as_stop, name="view-as-stop"),
    path("view-as/<int:pk>/", views.view_as_start, name="view-as-start"),
]

"""Staff pages for cohort messages, mounted at /<lang>/staff/messages/."""

from django.urls import path

from oncoreach.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.message_list, name="message-list"),
    path("new/", views.compose, name="compose"),
    path("<int:pk>/", views.message_detail, name="message-detail"),
    path("<int:pk>/recipients.csv", views.message_export, name="message-export"),
    path("templates/", views.template_list, name="template-list"),
    path("templates/new/", views.template_edit, name="template-create"),
    path("templates/<int:pk>/", views.template_edit, name="template-edit"),
]

"""Staff pages for shared records, mounted at /<lang>/staff/outbox/."""

from django.urls import path

from oncoreach.core import views_outbox

app_name = "core"

urlpatterns = [
    path("", views_outbox.outbox, name="outbox"),
    path("<int:pk>/requeue/", views_outbox.outbox_requeue, name="outbox-requeue"),
]

from django.urls import path

from oncoreach.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.form_list, name="form-list"),
    path("new/", views.form_create, name="form-create"),
    path("<int:pk>/", views.form_detail, name="form-detail"),
    path("<int:pk>/edit/", views.form_edit, name="form-edit"),
    path("<int:pk>/preview/", views.form_preview, name="form-preview"),
    path("<int:pk>/questions/new/", views.question_add, name="question-add"),
    path("<int:pk>/questions/<int:question_pk>/", views.question_edit, name="question-edit"),
    path("<int:pk>/questions/<int:question_pk>/move/", views.question_move, name="question-move"),
    path("<int:pk>/questions/<int:question_pk>/delete/", views.question_delete, name="question-delete"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version-detail"),
]

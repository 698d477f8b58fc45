"""Pages of the consultant directory, mounted at /assistance/consultants/ (where they always were)."""

from django.urls import path

from . import views

app_name = "consultants"

urlpatterns = [
    path("", views.consultant_list, name="consultant_list"),
    path("new/", views.consultant_create, name="consultant_create"),
    path("<int:pk>/", views.consultant_detail, name="consultant_detail"),
    path("<int:pk>/edit/", views.consultant_update, name="consultant_update"),
    path("<int:pk>/status/", views.consultant_status, name="consultant_status"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("<int:pk>/history/", views.consultant_history, name="consultant_history"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"),
]

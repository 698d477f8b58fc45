from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<str:table>/", views.dashboard_export, name="dashboard_export"),
]

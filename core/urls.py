from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/<str:kind>/<int:object_id>/request/", views.report_request, name="report_request"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<uuid:pk>/", views.report_status, name="report_status"),
    path("reports/<uuid:pk>/download/", views.report_download, name="report_download"),
    path("reminders/", views.notification_list, name="notification_list"),
    path("reminders/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("reminders/read-all/", views.notification_read_all, name="notification_read_all"),
    path("reminders/preferences/", views.notification_preferences, name="notification_preferences"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

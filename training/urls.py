from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "training"

urlpatterns = [
    # The menu's section opens on the courses, the page the staff use every day.
    path("", RedirectView.as_view(pattern_name="training:offering_list"), name="index"),
    path("modules/", views.module_list, name="module_list"),
    path("modules/new/", views.module_form, name="module_create"),
    path("modules/<int:pk>/", views.module_detail, name="module_detail"),
    path("modules/<int:pk>/history/", views.module_history, name="module_history"),
    path("modules/<int:pk>/edit/", views.module_form, name="module_update"),
    path("modules/<int:pk>/files/", views.component_upload, name="component_upload"),
    path("modules/<int:pk>/files/<int:component_pk>/", views.component_download, name="component_download"),
    path("courses/", views.offering_list, name="offering_list"),
    path("courses/new/", views.offering_create, name="offering_create"),
    path("courses/<int:pk>/", views.offering_detail, name="offering_detail"),
    path("courses/<int:pk>/edit/", views.offering_update, name="offering_update"),
    path("courses/<int:pk>/sessions/", views.session_add, name="session_add"),
    path("courses/<int:pk>/status/", views.offering_status, name="offering_status"),
    path("courses/<int:pk>/instructor/", views.offering_instructor, name="offering_instructor"),
    path("courses/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("courses/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("courses/<int:pk>/scores/", views.scores, name="scores"),
    path("courses/<int:pk>/history/", views.offering_history, name="offering_history"),
    path("enrolments/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("follow-ups/", views.followup_list, name="followup_list"),
    path("follow-ups/<int:pk>/", views.followup_record, name="followup_record"),
    path("demand/", views.demand, name="demand"),
    # Public: no login.
    path("calendar/", views.public_calendar, name="public_calendar"),
    path("calendar.ics", views.public_calendar_ics, name="public_calendar_ics"),
    path("certificates/", views.certificate_verify, name="certificate_verify"),
]

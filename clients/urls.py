from django.urls import path

from . import views

app_name = "clients"

urlpatterns = [
    path("companies/", views.company_list, name="company_list"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<int:pk>/", views.company_detail, name="company_detail"),
    path("companies/<int:pk>/edit/", views.company_update, name="company_update"),
    path("companies/<int:pk>/history/", views.company_history, name="company_history"),
    path("companies/<int:company_pk>/diagnoses/new/", views.diagnosis_create, name="diagnosis_create"),
    path("entrepreneurs/", views.entrepreneur_list, name="entrepreneur_list"),
    path("entrepreneurs/new/", views.entrepreneur_create, name="entrepreneur_create"),
    path("entrepreneurs/<int:pk>/", views.entrepreneur_detail, name="entrepreneur_detail"),
    path("entrepreneurs/<int:pk>/edit/", views.entrepreneur_update, name="entrepreneur_update"),
    path("entrepreneurs/<int:pk>/history/", views.entrepreneur_history, name="entrepreneur_history"),
    path("entrepreneurs/<int:pk>/personal-data/", views.entrepreneur_data_export, name="entrepreneur_data_export"),
    path("entrepreneurs/<int:pk>/anonymise/", views.entrepreneur_anonymise, name="entrepreneur_anonymise"),
    path("diagnoses/<int:pk>/", views.diagnosis_detail, name="diagnosis_detail"),
    path("diagnoses/<int:pk>/edit/", views.diagnosis_update, name="diagnosis_update"),
    path("diagnoses/<int:pk>/complete/", views.diagnosis_complete, name="diagnosis_complete"),
    path("diagnoses/<int:pk>/history/", views.diagnosis_history, name="diagnosis_history"),
    path("diagnoses/<int:pk>/nodes/", views.node_add, name="node_add"),
    path("nodes/<int:pk>/", views.node_update, name="node_update"),
    path("nodes/<int:pk>/move/", views.node_move, name="node_move"),
    path("nodes/<int:pk>/delete/", views.node_delete, name="node_delete"),
    path("needs/", views.need_list, name="need_list"),
    path("locations/", views.location_options, name="location_options"),
]

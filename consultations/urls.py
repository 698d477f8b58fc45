from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="consultation_list"),
    path("new/", views.consultation_create, name="consultation_create"),
    path("clients/", views.client_search, name="client_search"),
    path("conversion/", views.conversion_report, name="conversion_report"),
    path("<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("<int:pk>/complete-contact/", views.consultation_complete_contact, name="consultation_complete_contact"),
    path("<int:pk>/history/", views.consultation_history, name="consultation_history"),
    path("library/suppliers/", views.supplier_list, name="supplier_list"),
    path("library/suppliers/new/", views.supplier_edit, name="supplier_create"),
    path("library/suppliers/<int:pk>/edit/", views.supplier_edit, name="supplier_update"),
    path("library/fact-sheets/", views.fact_sheet_list, name="fact_sheet_list"),
    path("library/fact-sheets/new/", views.fact_sheet_edit, name="fact_sheet_create"),
    path("library/fact-sheets/<int:pk>/", views.fact_sheet_detail, name="fact_sheet_detail"),
    path("library/fact-sheets/<int:pk>/history/", views.fact_sheet_history, name="fact_sheet_history"),
    path("library/fact-sheets/<int:pk>/edit/", views.fact_sheet_edit, name="fact_sheet_update"),
    path("library/fact-sheets/<int:pk>/file/", views.fact_sheet_file, name="fact_sheet_file"),
]

from django.urls import path

from .views import services

app_name = "assistance"

urlpatterns = [
    # Services (SAT) and their expediente
    path("services/", services.service_list, name="service_list"),
    path("services/board/", services.pipeline, name="pipeline"),
    path("services/new/", services.service_open, name="service_open"),
    path("services/<int:pk>/", services.service_detail, name="service_detail"),
    path("services/<int:pk>/advance/", services.service_advance, name="service_advance"),
    path("services/<int:pk>/cancel/", services.service_cancel, name="service_cancel"),
    path("services/<int:pk>/reopen/", services.service_reopen, name="service_reopen"),
    path("services/<int:pk>/diagnosis/", services.service_link_diagnosis, name="service_link_diagnosis"),
    path("services/<int:pk>/consultants/", services.service_assign, name="service_assign"),
    path("services/<int:pk>/improvements/", services.improvement_add, name="improvement_add"),
    path("services/<int:pk>/budget/", services.budget_add, name="budget_add"),
    path("services/<int:pk>/funding/", services.funding_add, name="funding_add"),
    path("services/<int:pk>/decision/", services.owner_decision, name="owner_decision"),
    path("services/<int:pk>/approve-price/", services.approve_price, name="approve_price"),
    path("services/<int:pk>/activities/", services.activity_add, name="activity_add"),
    path("services/<int:pk>/indicators/", services.indicator_add, name="indicator_add"),
    path(
        "services/<int:pk>/activities/<int:activity_pk>/progress/", services.activity_progress, name="activity_progress"
    ),
    path("services/<int:pk>/visits/", services.visit_add, name="visit_add"),
    path("services/<int:pk>/report/", services.report_submit, name="report_submit"),
    path("services/<int:pk>/evaluation/", services.evaluation_record, name="evaluation_record"),
    path("services/<int:pk>/lines/<str:kind>/<int:line_pk>/delete/", services.line_delete, name="line_delete"),
    path("services/<int:pk>/history/", services.service_history, name="service_history"),
    path("services/<int:pk>/files/<str:kind>/<int:file_pk>/", services.service_file, name="service_file"),
]

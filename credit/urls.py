from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("", views.loan_list, name="loan_list"),
    path("new/", views.loan_apply, name="loan_apply"),
    path("<int:pk>/", views.loan_detail, name="loan_detail"),
    path("<int:pk>/history/", views.loan_history, name="loan_history"),
    path("<int:pk>/decide/", views.loan_decide, name="loan_decide"),
    path("<int:pk>/disburse/", views.loan_disburse, name="loan_disburse"),
    path("<int:pk>/repayments/", views.repayment_post, name="repayment_post"),
    path("<int:pk>/write-off/", views.loan_write_off, name="loan_write_off"),
    path("fund/", views.fund_position, name="fund_position"),
    path("fund/<int:pk>/", views.fund_statement, name="fund_statement"),
    path("fund/<int:pk>/history/", views.operator_history, name="operator_history"),
    path("fund/<int:pk>/tranches/", views.tranche_place, name="tranche_place"),
    path("fund/<int:pk>/margin/", views.margin_record, name="margin_record"),
    path("fund/<int:pk>/close/", views.fund_close, name="fund_close"),
    path("fund/entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("simulator/", views.simulator, name="simulator"),
]

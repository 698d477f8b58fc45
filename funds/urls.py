from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("", views.contest_list, name="contest_list"),
    path("contests/new/", views.contest_create, name="contest_create"),
    path("contests/<int:pk>/", views.contest_detail, name="contest_detail"),
    path("contests/<int:pk>/history/", views.contest_history, name="contest_history"),
    path("contests/<int:pk>/open/", views.contest_open, name="contest_open"),
    path("contests/<int:pk>/close/", views.contest_close, name="contest_close"),
    path("contests/<int:pk>/winners/", views.winners_choose, name="winners_choose"),
    path("contests/<int:pk>/results/", views.contest_results, name="contest_results"),
    path("contests/<int:pk>/categories/<str:code>/", views.category_edit, name="category_edit"),
    path("contests/<int:pk>/plans/new/", views.plan_create, name="plan_create"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan_history"),
    path("plans/<int:pk>/lines/", views.plan_line_add, name="plan_line_add"),
    path("plans/<int:pk>/lines/<int:line_pk>/delete/", views.plan_line_delete, name="plan_line_delete"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/score/", views.plan_score, name="plan_score"),
    path("plans/<int:pk>/purchases/", views.purchase_create, name="purchase_create"),
    path("purchases/<int:pk>/steps/", views.purchase_step, name="purchase_step"),
    path("aeos/", views.aeo_list, name="aeo_list"),
    path("aeos/new/", views.aeo_create, name="aeo_create"),
    path("aeos/<int:pk>/", views.aeo_detail, name="aeo_detail"),
    path("aeos/<int:pk>/minutes/", views.aeo_minutes, name="aeo_minutes"),
    path("aeos/<int:pk>/members/", views.aeo_member_add, name="aeo_member_add"),
    path("vouchers/", views.voucher_list, name="voucher_list"),
    path("vouchers/new/", views.voucher_issue, name="voucher_issue"),
]

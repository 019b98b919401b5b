from django.urls import path

from . import report_views, views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("definitions/", views.definitions, name="definitions"),
    path("equality/", views.equality, name="equality"),
    path("figures.csv", views.download, {"fmt": "csv"}, name="download_csv"),
    path("figures.xlsx", views.download, {"fmt": "xlsx"}, name="download_xlsx"),
    path("indicators/<slug:key>/", views.indicator_page, name="indicator"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/report.pdf", views.report_pdf, name="report_public_pdf"),
    path("staff/", views.staff_dashboard, name="staff"),
    path("staff/plans/", report_views.plans, name="plans"),
    path("staff/plans/new/", report_views.plan_edit, name="plan_new"),
    path("staff/plans/<int:pk>/", report_views.plan_detail, name="plan"),
    path("staff/plans/<int:pk>/edit/", report_views.plan_edit, name="plan_edit"),
    path("staff/goals/<int:pk>/remove/", report_views.goal_remove, name="goal_remove"),
    path("staff/plans/<int:plan>/reports/new/", report_views.report_new, name="report_new"),
    path("staff/reports/<int:pk>/", report_views.report_detail, name="report"),
    path(
        "staff/reports/<int:pk>/report.pdf",
        report_views.report_file,
        {"fmt": "pdf"},
        name="report_pdf",
    ),
    path(
        "staff/reports/<int:pk>/figures.csv",
        report_views.report_file,
        {"fmt": "csv"},
        name="report_csv",
    ),
    path(
        "staff/reports/<int:pk>/figures.xlsx",
        report_views.report_file,
        {"fmt": "xlsx"},
        name="report_xlsx",
    ),
]

from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("definitions/", views.definitions, name="definitions"),
    path("equality/", views.equality, name="equality"),
    path("figures.csv", views.download, {"fmt": "csv"}, name="download_csv"),
    path("figures.xlsx", views.download, {"fmt": "xlsx"}, name="download_xlsx"),
    path("indicators/<slug:key>/", views.indicator_page, name="indicator"),
    path("staff/", views.staff_dashboard, name="staff"),
]

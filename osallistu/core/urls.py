from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy_notice, name="privacy_notice"),
    path("staff/", views.staff_desk, name="staff_desk"),
]

from django.urls import path

from . import views

app_name = "identity"

urlpatterns = [
    path("", views.identify, name="identify"),
    path("electronic/start/", views.oidc_start, name="oidc_start"),
    path("electronic/callback/", views.oidc_callback, name="oidc_callback"),
    path("in-person/", views.in_person, name="in_person"),
]

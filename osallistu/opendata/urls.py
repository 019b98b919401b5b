from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.page, name="page"),
    path("api/", views.api_docs, name="api_docs"),
]

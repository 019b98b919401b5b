"""The public API, version 1: open data only, never personal data."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from osallistu.areas import api as areas_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("areas/", areas_api.AreaList.as_view(), name="areas"),
    path("postal-codes/", areas_api.PostalCodeList.as_view(), name="postal-codes"),
]

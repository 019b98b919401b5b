"""Addresses of the Open311 GeoReport v2 API: each resource in JSON or XML by the
ending of its path, and anything else under the API a 404 in the API's error format."""

from django.urls import re_path

from . import views

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="open311-discovery"),
    re_path(r"^v2/services" + FORMAT, views.service_list, name="open311-services"),
    re_path(
        r"^v2/services/(?P<code>[A-Za-z0-9_-]{1,20})" + FORMAT,
        views.service_definition,
        name="open311-service",
    ),
    re_path(r"^v2/requests" + FORMAT, views.requests, name="open311-requests"),
    re_path(
        r"^v2/requests/(?P<pk>[0-9]{1,18})" + FORMAT, views.request_detail, name="open311-request"
    ),
    re_path(r"^v2/tokens/(?P<token>[0-9a-f]{32})" + FORMAT, views.token, name="open311-token"),
    re_path(r"^v2/statistics/services" + FORMAT, views.statistics, name="open311-statistics"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="open311-not-found"),
]

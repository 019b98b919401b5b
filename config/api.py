"""The public API, version 1: open data only, never personal data
(``osallistu.opendata``)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from osallistu.opendata import api, resources

router = SimpleRouter()
for resource in resources.resources():
    router.register(resource.name, api.viewset_for(resource), basename=resource.basename)

urlpatterns = [
    path("", api.Root.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    *router.urls,
    re_path(r"^(?P<path>.*)$", api.not_found, name="not-found"),
]

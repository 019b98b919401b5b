"""The public API, version 1: open data only, never personal data
(``osallistu.opendata``)."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from osallistu.opendata import api, catalog, resources, schema

router = SimpleRouter()
for resource in resources.resources():
    router.register(resource.name, api.viewset_for(resource), basename=resource.basename)

urlpatterns = [
    path("", api.Root.as_view(), name="root"),
    path("schema/", schema.SchemaView.as_view(), name="schema"),
    path("catalog", catalog.catalog_view, name="catalog"),
    *router.urls,
    # [\s\S]: an address with a line break in it is not found either, as JSON.
    re_path(r"^(?P<path>[\s\S]*)$", api.not_found, name="not-found"),
]

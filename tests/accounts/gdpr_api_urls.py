"""The site's addresses with the Helsinki profile's GDPR API turned on."""

from django.urls import include, path

from config.urls import urlpatterns as site

urlpatterns = [*site, path("gdpr-api/", include("helsinki_gdpr.urls"))]

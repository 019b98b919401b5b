from django.urls import path

from . import views

app_name = "districts"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:district>/", views.district_page, name="page"),
    path("<slug:district>/events.ics", views.district_feed, name="feed"),
    path("<slug:district>/book/<slug:coach>/", views.book, name="book"),
    path("<slug:district>/ask/", views.ask, name="ask"),
    path("<slug:district>/ask/business/", views.ask_business, name="ask_business"),
]

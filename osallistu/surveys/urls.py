from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("<slug:slug>/", views.survey_detail, name="detail"),
    path("<slug:slug>/start/", views.start, name="start"),
    path("<slug:slug>/answer/", views.answer, name="answer"),
    path("<slug:slug>/thanks/", views.thanks, name="thanks"),
]

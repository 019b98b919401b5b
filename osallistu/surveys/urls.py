from django.urls import include, path

from . import builder_views, views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("staff/", views.staff_surveys, name="staff_list"),
    path("staff/build/", include(builder_views.urlpatterns)),
    path("hearings/", views.hearing_list, name="hearings"),
    path("hearings/<slug:slug>/", views.hearing_detail, name="hearing"),
    path("hearings/<slug:slug>/comment/", views.comment, name="comment"),
    path("hearings/<slug:slug>/polls/<int:poll_id>/vote/", views.poll_vote, name="poll_vote"),
    path("hearings/<slug:slug>/comments/<int:comment_id>/reply/", views.reply, name="reply"),
    path("hearings/<slug:slug>/comments/<int:comment_id>/support/", views.support, name="support"),
    path("hearings/<slug:slug>/comments/<int:comment_id>/flag/", views.flag, name="flag"),
    path("hearings/<slug:slug>/staff/", views.moderation, name="moderation"),
    path(
        "hearings/<slug:slug>/staff/<int:comment_id>/<str:action>/",
        views.moderate,
        name="moderate",
    ),
    path("<slug:slug>/", views.survey_detail, name="detail"),
    path("<slug:slug>/start/", views.start, name="start"),
    path("<slug:slug>/answer/", views.answer, name="answer"),
    path("<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("<slug:slug>/results/", views.public_results, name="results"),
    path("<slug:slug>/staff/results/", views.staff_results, name="staff_results"),
    path("<slug:slug>/staff/publish/", views.publish, name="publish"),
    path("<slug:slug>/staff/breakdown/", views.staff_breakdown, name="staff_breakdown"),
    path("<slug:slug>/staff/texts/", views.staff_texts, name="staff_texts"),
    path("<slug:slug>/staff/export.csv", views.export_csv, name="export_csv"),
    path("<slug:slug>/staff/export.xlsx", views.export_xlsx, name="export_xlsx"),
]

from django.urls import path

from . import report_views, staff_views, views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("new/", views.initiative_new, name="new"),
    path("my/", views.my_initiatives, name="my"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/edit/", views.initiative_edit, name="edit"),
    path("<int:pk>/delete/", views.initiative_delete, name="delete"),
    path("<int:pk>/publish/", views.initiative_publish, name="publish"),
    path("<int:pk>/send/", views.initiative_send, name="send"),
    path("<int:pk>/withdraw/", views.initiative_withdraw, name="withdraw"),
    path("<int:pk>/help/", views.initiative_help, name="help"),
    path("<int:pk>/invite/", views.initiative_invite, name="invite"),
    path(
        "<int:pk>/invitations/<int:invitation>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("<int:pk>/support/", views.support, name="support"),
    path("<int:pk>/support/withdraw/", views.support_withdraw, name="support_withdraw"),
    path("<int:pk>/follow/", views.follow, name="follow"),
    path("<int:pk>/unfollow/", views.unfollow, name="unfollow"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("report/", report_views.report_index, name="report_index"),
    path("report/<int:year>/<int:half>/", report_views.report, name="report"),
    path("report/<int:year>/<int:half>/report.csv", report_views.report_csv, name="report_csv"),
    path("report/<int:year>/<int:half>/report.xlsx", report_views.report_xlsx, name="report_xlsx"),
    path("staff/", staff_views.queue, name="staff_queue"),
    path("staff/coaching/", staff_views.coach_queue, name="coach_queue"),
    path("staff/<int:pk>/", staff_views.initiative, name="staff_initiative"),
    path("staff/<int:pk>/register/", staff_views.register, name="staff_register"),
    path("staff/<int:pk>/prepare/", staff_views.prepare, name="staff_prepare"),
    path("staff/<int:pk>/decide/", staff_views.decide, name="staff_decide"),
    path("staff/<int:pk>/end/", staff_views.end, name="staff_end"),
    path("staff/<int:pk>/deadline/", staff_views.deadline, name="staff_deadline"),
    path("staff/<int:pk>/attachment/", staff_views.attachment, name="staff_attachment"),
    path("staff/<int:pk>/coach/", staff_views.coach, name="staff_coach"),
    path("staff/<int:pk>/paper/", staff_views.paper_batch, name="staff_paper"),
    path(
        "staff/<int:pk>/paper/<int:batch>/confirm/",
        staff_views.paper_confirm,
        name="staff_paper_confirm",
    ),
    path(
        "staff/<int:pk>/paper/<int:batch>/return/",
        staff_views.paper_return,
        name="staff_paper_return",
    ),
]

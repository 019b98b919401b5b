from django.urls import path

from . import manage_views, staff_views, views

app_name = "volunteering"

urlpatterns = [
    path("", views.search, name="search"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("organisers/<slug:slug>/", views.organiser_detail, name="organiser"),
    path("shifts/<int:pk>/shift.ics", views.shift_ics, name="shift_ics"),
    path("shifts/<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("my/", views.mine, name="mine"),
    path("my/certificate.pdf", views.certificate, name="certificate"),
    path("my/sign-ups/<int:pk>/", views.signup_detail, name="signup"),
    path("my/sign-ups/<int:pk>/cancel/", views.signup_cancel, name="signup_cancel"),
    path("guardian/<str:token>/", views.guardian, name="guardian"),
    path("talkoot/", views.talkoot_list, name="talkoot_list"),
    path("talkoot/new/", views.talkoot_new, name="talkoot_new"),
    path("talkoot/<int:pk>/", views.talkoot_detail, name="talkoot"),
    path("talkoot/<int:pk>/cancel/", views.talkoot_cancel, name="talkoot_cancel"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("manage/", manage_views.home, name="manage"),
    path("manage/new/", manage_views.organiser_new, name="organiser_new"),
    path("manage/<slug:slug>/", manage_views.organiser, name="manage_organiser"),
    path("manage/<slug:slug>/edit/", manage_views.organiser_edit, name="organiser_edit"),
    path(
        "manage/<slug:slug>/members/<int:user_pk>/remove/",
        manage_views.member_remove,
        name="member_remove",
    ),
    path(
        "manage/<slug:slug>/opportunities/new/",
        manage_views.opportunity_new,
        name="opportunity_new",
    ),
    path("manage/opportunities/<int:pk>/", manage_views.opportunity, name="manage_opportunity"),
    path(
        "manage/opportunities/<int:pk>/edit/",
        manage_views.opportunity_edit,
        name="opportunity_edit",
    ),
    path(
        "manage/opportunities/<int:pk>/status/",
        manage_views.opportunity_status,
        name="opportunity_status",
    ),
    path("manage/shifts/<int:pk>/", manage_views.shift, name="manage_shift"),
    path("manage/shifts/<int:pk>/edit/", manage_views.shift_edit, name="shift_edit"),
    path("manage/shifts/<int:pk>/cancel/", manage_views.shift_cancel, name="shift_cancel"),
    path("manage/shifts/<int:pk>/message/", manage_views.shift_message, name="shift_message"),
    path("manage/sign-ups/<int:pk>/remove/", manage_views.signup_remove, name="signup_remove"),
    path("staff/", staff_views.home, name="staff"),
    path("staff/organisers/<int:pk>/", staff_views.organiser, name="staff_organiser"),
    path("staff/talkoot/<int:pk>/", staff_views.talkoot, name="staff_talkoot"),
    path("staff/figures/", staff_views.figures, name="staff_figures"),
]

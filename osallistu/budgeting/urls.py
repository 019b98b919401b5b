from django.urls import path

from . import views

app_name = "budgeting"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("staff/", views.staff_rounds, name="staff_rounds"),
    path("<slug:slug>/", views.round_detail, name="round"),
    path("<slug:slug>/proposals/", views.proposal_list, name="proposals"),
    path("<slug:slug>/proposals/new/", views.proposal_new, name="proposal_new"),
    path("<slug:slug>/proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("<slug:slug>/plans/", views.plan_list, name="plans"),
    path("<slug:slug>/plans/<slug:code>/", views.plan_detail, name="plan"),
    path("<slug:slug>/implementation/", views.implementation, name="implementation"),
    path("<slug:slug>/vote/", views.choose_district, name="choose_district"),
    path("<slug:slug>/vote/<slug:district>/", views.ballot, name="ballot"),
    path("<slug:slug>/vote/<slug:district>/confirm/", views.cast, name="cast"),
    path("<slug:slug>/receipt/", views.receipt, name="receipt"),
    path("<slug:slug>/results/", views.round_results, name="results"),
    path("<slug:slug>/results/<slug:area>.pb", views.ballots_download, name="ballots_download"),
    path("<slug:slug>/staff/", views.staff_round, name="staff_round"),
    path("<slug:slug>/staff/count/", views.staff_count, name="staff_count"),
    path("<slug:slug>/staff/proposals/", views.staff_proposals, name="staff_proposals"),
    path(
        "<slug:slug>/staff/proposals/plan/<slug:area>/",
        views.staff_plan_from_proposals,
        name="staff_plan_from_proposals",
    ),
    path(
        "<slug:slug>/staff/implementation/<slug:code>/",
        views.staff_plan_progress,
        name="staff_plan_progress",
    ),
    path(
        "<slug:slug>/staff/record/<int:voter_id>/",
        views.staff_record_ballot,
        name="staff_record_ballot",
    ),
]

from django.urls import path

from . import ballot_views, service_point_views, staff_views, views

app_name = "budgeting"

urlpatterns = [
    # Voting first: Django tries the patterns in order, and these take the most requests.
    path("<slug:slug>/vote/", ballot_views.choose_district, name="choose_district"),
    path("<slug:slug>/vote/<slug:district>/", ballot_views.ballot, name="ballot"),
    path("<slug:slug>/vote/<slug:district>/confirm/", ballot_views.cast, name="cast"),
    path("<slug:slug>/vote/<slug:district>/choose/", ballot_views.choose, name="choose"),
    path("<slug:slug>/vote/<slug:district>/compare/", ballot_views.compare, name="compare"),
    path(
        "<slug:slug>/vote/<slug:district>/plans/<str:code>/",
        ballot_views.ballot_plan,
        name="ballot_plan",
    ),
    path("<slug:slug>/receipt/", ballot_views.receipt, name="receipt"),
    path("", views.round_list, name="rounds"),
    path("my-proposals/", views.my_proposals, name="my_proposals"),
    path("staff/", staff_views.staff_rounds, name="staff_rounds"),
    path("staff/new/", staff_views.staff_round_new, name="staff_round_new"),
    path("<slug:slug>/", views.round_detail, name="round"),
    path("<slug:slug>/proposals/", views.proposal_list, name="proposals"),
    path("<slug:slug>/proposals/new/", views.proposal_new, name="proposal_new"),
    path("<slug:slug>/proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("<slug:slug>/proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path(
        "<slug:slug>/proposals/<int:pk>/comment/", views.proposal_comment, name="proposal_comment"
    ),
    path("<slug:slug>/plans/", views.plan_list, name="plans"),
    path("<slug:slug>/plans/<slug:code>/", views.plan_detail, name="plan"),
    path("<slug:slug>/implementation/", views.implementation, name="implementation"),
    path("<slug:slug>/results/", views.round_results, name="results"),
    path("<slug:slug>/results/<slug:area>.pb", views.ballots_download, name="ballots_download"),
    path("<slug:slug>/staff/", service_point_views.staff_round, name="staff_round"),
    path("<slug:slug>/staff/edit/", staff_views.staff_round_edit, name="staff_round_edit"),
    path("<slug:slug>/staff/money/", staff_views.staff_budgets, name="staff_budgets"),
    path("<slug:slug>/staff/count/", staff_views.staff_count, name="staff_count"),
    path("<slug:slug>/staff/proposals/", staff_views.staff_proposals, name="staff_proposals"),
    path(
        "<slug:slug>/staff/proposals/<int:pk>/hide/",
        staff_views.staff_hide_proposal,
        name="staff_hide_proposal",
    ),
    path(
        "<slug:slug>/staff/proposals/<int:pk>/comments/<int:comment_id>/hide/",
        staff_views.staff_hide_comment,
        name="staff_hide_comment",
    ),
    path(
        "<slug:slug>/staff/proposals/<int:pk>/unhide/",
        staff_views.staff_unhide_proposal,
        name="staff_unhide_proposal",
    ),
    path(
        "<slug:slug>/staff/proposals/<int:pk>/comments/<int:comment_id>/unhide/",
        staff_views.staff_unhide_comment,
        name="staff_unhide_comment",
    ),
    path("<slug:slug>/staff/plans/", staff_views.staff_plans, name="staff_plans"),
    path(
        "<slug:slug>/staff/plans/new/<slug:area>/",
        staff_views.staff_plan_new,
        name="staff_plan_from_proposals",
    ),
    path("<slug:slug>/staff/plans/<slug:code>/", staff_views.staff_plan, name="staff_plan"),
    path(
        "<slug:slug>/staff/plans/<slug:code>/pictures/",
        staff_views.staff_plan_pictures,
        name="staff_plan_pictures",
    ),
    path(
        "<slug:slug>/staff/implementation/<slug:code>/",
        staff_views.staff_plan_progress,
        name="staff_plan_progress",
    ),
    path(
        "<slug:slug>/staff/record/<int:voter_id>/",
        service_point_views.staff_record_ballot,
        name="staff_record_ballot",
    ),
    path(
        "<slug:slug>/staff/record/<int:voter_id>/paper/",
        service_point_views.staff_paper_vote,
        name="staff_paper_vote",
    ),
    path(
        "<slug:slug>/staff/paper/",
        service_point_views.staff_paper_batches,
        name="staff_paper_batches",
    ),
    path(
        "<slug:slug>/staff/paper/<int:pk>/",
        service_point_views.staff_paper_batch,
        name="staff_paper_batch",
    ),
]

from django.urls import path

from . import staff_views, views

app_name = "feedback"

urlpatterns = [
    path("", views.feedback_list, name="list"),
    path("new/", views.choose_category, name="new"),
    path("new/<str:code>/", views.new_feedback, name="new_in"),
    path("sent/<str:token>/", views.sent, name="sent"),
    path("my/", views.my_feedback, name="my"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.feedback_detail, name="detail"),
    path("<int:pk>/follow/", views.follow, name="follow"),
    path("<int:pk>/unfollow/", views.unfollow, name="unfollow"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("staff/", staff_views.queue, name="staff_queue"),
    path("staff/<int:pk>/", staff_views.handle, name="staff_feedback"),
    path("staff/api-keys/", staff_views.api_keys, name="staff_api_keys"),
    path("staff/members/", staff_views.members, name="staff_members"),
    path("staff/members/<int:pk>/remove/", staff_views.remove_member, name="staff_remove_member"),
    path("staff/api-keys/<int:pk>/revoke/", staff_views.revoke_api_key, name="staff_revoke_key"),
]

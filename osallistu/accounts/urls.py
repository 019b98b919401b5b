from django.contrib.auth import views as auth_views
from django.urls import path

from . import privacy_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_sent, name="register_sent"),
    path("register/confirm/<str:token>/", views.register_confirm, name="register_confirm"),
    path("profile/", views.profile, name="profile"),
    path("profile/my-data/", privacy_views.my_data, name="my_data"),
    path("profile/my-data/download/", privacy_views.my_data_download, name="my_data_download"),
    path("profile/delete/", privacy_views.delete_account, name="delete_account"),
    path("staff/person-data/", privacy_views.staff_person_data, name="staff_person_data"),
    path(
        "staff/person-data/<int:pk>/download/",
        privacy_views.staff_person_data_download,
        name="staff_person_data_download",
    ),
    path("two-step/setup/", views.mfa_setup, name="mfa_setup"),
    path("two-step/", views.mfa_verify, name="mfa_verify"),
    path("staff/", views.staff_accounts, name="staff_accounts"),
    path(
        "staff/<int:pk>/reset-two-step/",
        views.staff_reset_second_factor,
        name="staff_reset_second_factor",
    ),
]

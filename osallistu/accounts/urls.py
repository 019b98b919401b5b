from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_sent, name="register_sent"),
    path("register/confirm/<str:token>/", views.register_confirm, name="register_confirm"),
    path("profile/", views.profile, name="profile"),
    path("two-step/setup/", views.mfa_setup, name="mfa_setup"),
    path("two-step/", views.mfa_verify, name="mfa_verify"),
    path("staff/", views.staff_accounts, name="staff_accounts"),
    path(
        "staff/<int:pk>/reset-two-step/",
        views.staff_reset_second_factor,
        name="staff_reset_second_factor",
    ),
]

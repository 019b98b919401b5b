from django.urls import path

from . import desk_views, staff_views, views

app_name = "coaches"

urlpatterns = [
    path("booked/", views.check_email, name="check_email"),
    path("appointments/<str:token>/", views.appointment, name="appointment"),
    path(
        "appointments/<str:token>/confirm/", views.appointment_confirm, name="appointment_confirm"
    ),
    path("appointments/<str:token>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("appointments/<str:token>/move/", views.appointment_move, name="appointment_move"),
    path("appointments/<str:token>/meeting.ics", views.appointment_ics, name="appointment_ics"),
    path("my-requests/", views.my_requests, name="my_requests"),
    path("my-requests/<int:pk>/", views.my_request, name="my_request"),
    path("my-requests/<int:pk>/close/", views.my_request_close, name="my_request_close"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/sign-up/", views.event_sign_up, name="event_sign_up"),
    path(
        "events/<int:pk>/cancel-sign-up/", views.event_cancel_sign_up, name="event_cancel_sign_up"
    ),
    path("desk/", desk_views.desk, name="desk"),
    path("desk/requests/", desk_views.request_list, name="desk_requests"),
    path("desk/requests/<int:pk>/", desk_views.request_detail, name="desk_request"),
    path("desk/appointments/<int:pk>/", desk_views.appointment_detail, name="desk_appointment"),
    path("desk/page/", desk_views.coach_page, name="desk_page"),
    path("desk/hours/", desk_views.office_hours, name="desk_hours"),
    path("desk/hours/<int:pk>/end/", desk_views.office_hours_end, name="desk_hours_end"),
    path(
        "desk/exceptions/<int:pk>/remove/",
        desk_views.exception_remove,
        name="desk_exception_remove",
    ),
    path("desk/events/", staff_views.event_list, name="desk_events"),
    path("desk/events/new/", staff_views.event_new, name="desk_event_new"),
    path("desk/events/<int:pk>/", staff_views.event_detail, name="desk_event"),
    path("desk/companies/", staff_views.company_contacts, name="desk_companies"),
    path("desk/activity/", staff_views.activity_report, name="desk_activity"),
]

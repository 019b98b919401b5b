from django.urls import path

from . import staff_views, views

app_name = "premises"

urlpatterns = [
    path("", views.search, name="search"),
    path("spaces/<slug:slug>/", views.space_detail, name="space"),
    path("spaces/<slug:slug>/book/", views.book, name="book"),
    path("spaces/<slug:slug>/weekly/", views.series_new, name="series_new"),
    path("my/", views.my_bookings, name="my_bookings"),
    path("my/calendar-address/", views.feed_renew, name="feed_renew"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/booking.ics", views.booking_ics, name="booking_ics"),
    path("series/<int:pk>/", views.series_detail, name="series"),
    path("series/<int:pk>/cancel/", views.series_cancel, name="series_cancel"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("staff/", staff_views.staff_home, name="staff"),
    path("staff/queue/", staff_views.queue, name="staff_queue"),
    path("staff/bookings/<int:pk>/", staff_views.booking, name="staff_booking"),
    path("staff/units/<slug:slug>/", staff_views.schedule, name="staff_schedule"),
    path("staff/units/<slug:slug>/blocked/", staff_views.blocked, name="staff_blocked"),
    path("staff/blocked/<int:pk>/unblock/", staff_views.unblock, name="staff_unblock"),
]

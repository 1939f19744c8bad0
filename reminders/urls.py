from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("reminders/calendar/new/", views.new_feed_link, name="new_feed_link"),
    path("reminders/calendar/delete/", views.delete_feed_link, name="delete_feed_link"),
    path("reminders/", views.reminder_settings, name="settings"),
    path("reminders/confirm/<str:token>/", views.confirm, name="confirm"),
    path("reminders/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]

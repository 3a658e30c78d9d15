"""The calendar feeds: the feed calendar apps read, and the person's page under /account/."""

from django.urls import path

from darkroom.feeds import views

app_name = "feeds"
urlpatterns = [
    path("feeds/<str:key>.ics", views.feed_calendar, name="feed"),
    path("account/calendar-feeds/", views.feeds_page, name="calendar-feeds"),
    path(
        "account/calendar-feeds/<int:pk>/revoke/",
        views.feed_revoke_view,
        name="calendar-feed-revoke",
    ),
]

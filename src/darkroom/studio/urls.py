"""The studio's pages: home, your password and API tokens (under /account/), and
Maintenance › Calendar (which lives here, under /maintenance/calendar/, because the calendar
is the studio's own)."""

from django.urls import path

from darkroom.studio import calendar_views, tokens_views, views

app_name = "studio"
urlpatterns = [
    path("", views.home, name="home"),
    path("account/password/", views.password_change_view, name="password-change"),
    path("account/tokens/", tokens_views.tokens_page, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens_views.token_revoke_view, name="token-revoke"),
    path("maintenance/calendar/", calendar_views.calendar_page, name="calendar"),
    path(
        "maintenance/calendar/<int:year>/<int:month>/",
        calendar_views.calendar_month,
        name="calendar-month",
    ),
    path(
        "maintenance/calendar/work-week/",
        calendar_views.work_week_save,
        name="calendar-work-week",
    ),
    path(
        "maintenance/calendar/closures/",
        calendar_views.closure_add_view,
        name="calendar-closure-add",
    ),
    path(
        "maintenance/calendar/closures/<int:pk>/remove/",
        calendar_views.closure_remove_view,
        name="calendar-closure-remove",
    ),
    path(
        "maintenance/calendar/holidays/",
        calendar_views.holidays_import_view,
        name="calendar-holidays-import",
    ),
]

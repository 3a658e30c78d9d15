"""The studio's pages: home, your password and API tokens (under /account/), and
Maintenance › Calendar (which lives here, under /maintenance/calendar/, because the calendar
is the studio's own)."""

from django.urls import path

from darkroom.studio.views import account, calendar, home

app_name = "studio"
urlpatterns = [
    path("", home.home, name="home"),
    path("account/password/", account.password_change_view, name="password-change"),
    path("account/tokens/", account.tokens_page, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", account.token_revoke_view, name="token-revoke"),
    path("maintenance/calendar/", calendar.calendar_page, name="calendar"),
    path(
        "maintenance/calendar/<int:year>/<int:month>/",
        calendar.calendar_month,
        name="calendar-month",
    ),
    path(
        "maintenance/calendar/work-week/",
        calendar.work_week_save,
        name="calendar-work-week",
    ),
    path(
        "maintenance/calendar/closures/",
        calendar.closure_add_view,
        name="calendar-closure-add",
    ),
    path(
        "maintenance/calendar/closures/<int:pk>/remove/",
        calendar.closure_remove_view,
        name="calendar-closure-remove",
    ),
    path(
        "maintenance/calendar/holidays/",
        calendar.holidays_import_view,
        name="calendar-holidays-import",
    ),
]

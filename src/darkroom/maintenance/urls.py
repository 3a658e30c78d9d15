"""Maintenance pages: /maintenance/, the studio's preferences and people, then every list of
the registry at /maintenance/<slug>/ (``?format=xlsx`` exports it, ``?print=1`` prints it)."""

from django.urls import path

from darkroom.maintenance.views import records, studio

app_name = "maintenance"
urlpatterns = [
    path("", records.index, name="index"),
    path("studio/", studio.preferences, name="preferences"),
    path("people/", studio.people, name="people"),
    path("people/new/", studio.person_create_view, name="person-create"),
    path("people/<int:pk>/", studio.person_edit, name="person-edit"),
    path("people/locked-out/", studio.locked_logins, name="locked-logins"),
    path("people/locked-out/unlock/", studio.login_unlock_view, name="login-unlock"),
    path("<slug:slug>/", records.record_list, name="record-list"),
    path("<slug:slug>/new/", records.record_create, name="record-create"),
    path("<slug:slug>/<int:pk>/", records.record_edit, name="record-edit"),
    path("<slug:slug>/<int:pk>/delete/", records.record_delete_view, name="record-delete"),
    path("<slug:slug>/<int:pk>/inactive/", records.record_inactive_view, name="record-inactive"),
    path("<slug:slug>/<int:pk>/move/", records.record_move_view, name="record-move"),
]

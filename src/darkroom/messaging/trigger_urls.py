"""Maintenance › Triggers, at /maintenance/triggers/ (namespace ``triggers``)."""

from django.urls import path

from darkroom.messaging import trigger_views as views

app_name = "triggers"
urlpatterns = [
    path("", views.trigger_list_view, name="list"),
    path("new/", views.trigger_create_view, name="create"),
    path("<int:pk>/", views.trigger_edit_view, name="edit"),
    path("<int:pk>/active/", views.trigger_active_view, name="active"),
    path("<int:pk>/delete/", views.trigger_delete_view, name="delete"),
]

"""Maintenance › Triggers, at /maintenance/triggers/ (namespace ``triggers``)."""

from django.urls import path

from darkroom.messaging.views import triggers

app_name = "triggers"
urlpatterns = [
    path("", triggers.trigger_list_view, name="list"),
    path("new/", triggers.trigger_create_view, name="create"),
    path("<int:pk>/", triggers.trigger_edit_view, name="edit"),
    path("<int:pk>/active/", triggers.trigger_active_view, name="active"),
    path("<int:pk>/delete/", triggers.trigger_delete_view, name="delete"),
]

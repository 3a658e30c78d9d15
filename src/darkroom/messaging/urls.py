"""Messaging pages. Included at the site's root (before Maintenance, whose lists would
otherwise take ``/maintenance/message-templates/`` for a list of their own)."""

from django.urls import path

from darkroom.messaging import template_views

app_name = "messaging"
urlpatterns = [
    # Maintenance › Message templates
    path("maintenance/message-templates/", template_views.template_list, name="template-list"),
    path(
        "maintenance/message-templates/new/",
        template_views.template_create,
        name="template-create",
    ),
    path(
        "maintenance/message-templates/sms-length/",
        template_views.template_sms_length,
        name="template-sms-length",
    ),
    path(
        "maintenance/message-templates/preview/",
        template_views.template_preview_view,
        name="template-preview",
    ),
    path(
        "maintenance/message-templates/<int:pk>/",
        template_views.template_edit,
        name="template-edit",
    ),
    path(
        "maintenance/message-templates/<int:pk>/delete/",
        template_views.template_delete,
        name="template-delete",
    ),
    path(
        "maintenance/message-templates/<int:pk>/inactive/",
        template_views.template_inactive,
        name="template-inactive",
    ),
]

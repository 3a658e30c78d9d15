"""Messaging pages. Included at the site's root (before Maintenance, whose lists would
otherwise take ``/maintenance/message-templates/`` for a list of their own)."""

from django.urls import path

from darkroom.messaging.views import message_templates

app_name = "messaging"
urlpatterns = [
    # Maintenance › Message templates
    path("maintenance/message-templates/", message_templates.template_list, name="template-list"),
    path(
        "maintenance/message-templates/new/",
        message_templates.template_create,
        name="template-create",
    ),
    path(
        "maintenance/message-templates/sms-length/",
        message_templates.template_sms_length,
        name="template-sms-length",
    ),
    path(
        "maintenance/message-templates/preview/",
        message_templates.template_preview_view,
        name="template-preview",
    ),
    path(
        "maintenance/message-templates/<int:pk>/",
        message_templates.template_edit,
        name="template-edit",
    ),
    path(
        "maintenance/message-templates/<int:pk>/delete/",
        message_templates.template_delete,
        name="template-delete",
    ),
    path(
        "maintenance/message-templates/<int:pk>/inactive/",
        message_templates.template_inactive,
        name="template-inactive",
    ),
]

from django.contrib import admin

from darkroom.maintenance.admin import ReadOnlyAdmin, ServiceAdmin
from darkroom.studio import models

admin.site.register(models.Department, ServiceAdmin)
admin.site.register(models.Closure, ReadOnlyAdmin)
admin.site.register(models.StudioPreferences, ReadOnlyAdmin)


@admin.register(models.ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are made with ``darkroom token``; an admin may revoke one by deleting it."""

    list_display = ("user", "label", "created_at", "last_used_at")

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return request.user.is_superuser

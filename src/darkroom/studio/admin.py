from django.contrib import admin

from darkroom.record_admin import ReadOnlyAdmin, ServiceAdmin
from darkroom.studio import models

admin.site.register(models.Department, ServiceAdmin)
admin.site.register(models.Closure, ReadOnlyAdmin)
admin.site.register(models.StudioPreferences, ReadOnlyAdmin)


@admin.register(models.ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are made with ``darkroom token`` or on the API tokens page and revoked there; the
    admin only shows them (a revoked token's row is kept for the record)."""

    list_display = (
        "user",
        "name",
        "key_prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )

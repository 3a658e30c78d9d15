"""Django admin for superusers, kept honest: saves and deletes go through the same services as
the pages and the API, so the admin can't break a rule (a record in use is still only retired)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from darkroom.errors import RecordInUse
from darkroom.record_writes import record_delete, record_save


class ServiceAdmin(admin.ModelAdmin):
    """A ModelAdmin whose writes call ``record_save`` / ``record_delete``."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        record_save(record=obj)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        try:
            record_delete(record=obj)
        except RecordInUse as refusal:
            self.message_user(request, refusal.message, messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records whose rules live in their own services and pages: the admin only shows them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

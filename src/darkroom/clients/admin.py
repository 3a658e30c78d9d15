from django.contrib import admin

from darkroom.clients import models
from darkroom.record_admin import ReadOnlyAdmin, ServiceAdmin


@admin.register(models.Client)
class ClientAdmin(ServiceAdmin):
    list_display = ("last_name", "first_name", "email", "mobile", "do_not_market", "do_not_call")
    search_fields = ("last_name", "first_name", "email")


@admin.register(models.Session)
class SessionAdmin(ServiceAdmin):
    list_display = ("date", "client", "session_type", "photographer")
    list_select_related = ("client", "session_type", "photographer")


class InvoiceLineInline(admin.TabularInline):
    model = models.InvoiceLine
    extra = 0
    can_delete = False
    readonly_fields = ("item", "description", "quantity", "price", "vendor_override")


@admin.register(models.Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    """Invoices change through the invoice editor and API, which keep totals and versions."""

    list_display = (
        "number",
        "client",
        "invoice_date",
        "approximate_delivery_date",
        "total",
        "paid",
    )
    list_select_related = ("client",)
    inlines = [InvoiceLineInline]


admin.site.register(models.Payment, ReadOnlyAdmin)
admin.site.register(models.SessionType, ServiceAdmin)

from django.contrib import admin

from darkroom.catalog import models
from darkroom.record_admin import ServiceAdmin


@admin.register(models.PriceListItem)
class PriceListItemAdmin(ServiceAdmin):
    list_display = (
        "identifier",
        "description",
        "item_type",
        "price",
        "cost",
        "preferred_vendor",
        "is_inactive",
    )
    list_filter = ("item_type", "is_inactive")
    search_fields = ("identifier", "description")


@admin.register(models.Vendor)
class VendorAdmin(ServiceAdmin):
    list_display = ("name", "account_number", "email", "is_in_house", "is_inactive")
    list_filter = ("is_in_house", "is_inactive")
    search_fields = ("name", "account_number")


for model in (
    models.VendorProduct,
    models.RenderProfile,
    models.ProductionOrderType,
    models.ReorderReason,
    models.PriorityCode,
):
    admin.site.register(model, ServiceAdmin)

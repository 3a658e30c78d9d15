"""The studio's maintenance lists, declared once: pages and API endpoints are built from these.

Each entry says which model, under which slug (``/maintenance/<slug>/`` and ``/api/v1/<slug>``),
which fields people edit, which columns a list shows, what the search box looks in and which
fields filter. Whether a list can be reordered by hand or retired follows from the model
(``OrderedRecord`` / ``RetirableRecord``). Permissions are the model's own Django permissions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from darkroom.catalog import models as catalog
from darkroom.clients import models as clients
from darkroom.record_shapes import OrderedRecord, RetirableRecord
from darkroom.studio import models as studio


@dataclass(frozen=True)
class MaintenanceList:
    slug: str
    model: type[models.Model]
    title: str
    group: str
    description: str
    fields: tuple[str, ...]
    columns: tuple[str, ...]
    search: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    default_sort: tuple[str, ...] = field(default=())

    @property
    def ordered(self) -> bool:
        return issubclass(self.model, OrderedRecord)

    @property
    def retirable(self) -> bool:
        return issubclass(self.model, RetirableRecord)

    @property
    def singular(self) -> str:
        return str(self.model._meta.verbose_name)

    def permission(self, action: str) -> str:
        """The Django permission for ``view``, ``add``, ``change`` or ``delete`` on this list."""
        meta = self.model._meta
        return f"{meta.app_label}.{action}_{meta.model_name}"

    def sort(self) -> tuple[str, ...]:
        return self.default_sort or tuple(self.model._meta.ordering) or ("id",)


def _lists() -> tuple[MaintenanceList, ...]:
    return (
        MaintenanceList(
            slug="price-list-items",
            model=catalog.PriceListItem,
            title="Price list",
            group="Price list",
            description="What the studio sells, its price, cost and vendor.",
            fields=(
                "identifier",
                "description",
                "item_type",
                "group",
                "price",
                "cost",
                "preferred_vendor",
                "render_profile",
                "is_inactive",
            ),
            columns=(
                "identifier",
                "description",
                "item_type",
                "group",
                "price",
                "cost",
                "preferred_vendor",
            ),
            search=("identifier", "description", "group"),
            filters=("item_type", "preferred_vendor"),
        ),
        MaintenanceList(
            slug="vendors",
            model=catalog.Vendor,
            title="Vendors",
            group="Production",
            description="Labs, framers, album makers and in-house departments.",
            fields=(
                "name",
                "account_number",
                "address",
                "email",
                "phone",
                "is_in_house",
                "auto_assigns_numbers",
                "next_order_number",
                "default_order_type",
                "ftp_host",
                "ftp_user",
                "ftp_folder",
                "notes",
                "is_inactive",
            ),
            columns=(
                "name",
                "account_number",
                "email",
                "phone",
                "is_in_house",
                "default_order_type",
            ),
            search=("name", "account_number", "email"),
            filters=("is_in_house",),
        ),
        MaintenanceList(
            slug="vendor-products",
            model=catalog.VendorProduct,
            title="Vendor products",
            group="Production",
            description="A vendor's own code for a price list item.",
            fields=("vendor", "item", "product_code", "description"),
            columns=("vendor", "item", "product_code", "description"),
            search=("product_code", "description", "item__identifier", "vendor__name"),
            filters=("vendor",),
        ),
        MaintenanceList(
            slug="render-profiles",
            model=catalog.RenderProfile,
            title="Render profiles",
            group="Production",
            description="Items rendered with the same instructions.",
            fields=("name", "size", "dpi", "bleed_mm", "destination", "is_inactive"),
            columns=("name", "size", "dpi", "bleed_mm", "destination"),
            search=("name", "destination"),
        ),
        MaintenanceList(
            slug="production-order-types",
            model=catalog.ProductionOrderType,
            title="Production order types",
            group="Production",
            description="Kinds of production order; each has its own status cycle.",
            fields=("name", "kind", "is_inactive"),
            columns=("name", "kind"),
            search=("name",),
            filters=("kind",),
        ),
        MaintenanceList(
            slug="reorder-reasons",
            model=catalog.ReorderReason,
            title="Reorder reasons",
            group="Production",
            description="Why an order is redone, and who pays for it.",
            fields=("description", "is_non_chargeable", "is_inactive"),
            columns=("description", "is_non_chargeable"),
            search=("description",),
        ),
        MaintenanceList(
            slug="priority-codes",
            model=catalog.PriorityCode,
            title="Priority codes",
            group="Production",
            description="The studio's priorities for production orders.",
            fields=("code", "description", "is_inactive"),
            columns=("code", "description"),
            search=("code", "description"),
        ),
        MaintenanceList(
            slug="session-types",
            model=clients.SessionType,
            title="Session types",
            group="Sessions",
            description="Kinds of shoot the studio offers.",
            fields=("name", "is_inactive"),
            columns=("name",),
            search=("name",),
        ),
        MaintenanceList(
            slug="departments",
            model=studio.Department,
            title="Departments",
            group="Studio",
            description="Groups of people work can be assigned to.",
            fields=("name", "description", "members", "is_inactive"),
            columns=("name", "description"),
            search=("name", "description"),
        ),
    )


_cache: tuple[MaintenanceList, ...] | None = None


def maintenance_lists() -> tuple[MaintenanceList, ...]:
    """Every maintenance list, in menu order (built on first use, after apps are ready)."""
    global _cache
    if _cache is None:
        _cache = _lists()
    return _cache


def maintenance_list(slug: str) -> MaintenanceList | None:
    return next((m for m in maintenance_lists() if m.slug == slug), None)

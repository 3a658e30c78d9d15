from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """What the studio sells and who makes it: price list, vendors, order types and codes."""

    name = "darkroom.catalog"
    label = "catalog"
    verbose_name = "Catalog"

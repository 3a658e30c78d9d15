from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    """The studio's maintenance lists: one way to list, edit, order, export and retire records."""

    name = "darkroom.maintenance"
    label = "maintenance"
    verbose_name = "Maintenance"

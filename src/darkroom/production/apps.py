from django.apps import AppConfig


class ProductionConfig(AppConfig):
    """The orders the studio places with labs, vendors and its own departments."""

    name = "darkroom.production"
    label = "production"
    verbose_name = "Production"

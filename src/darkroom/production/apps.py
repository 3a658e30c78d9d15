from django.apps import AppConfig


class ProductionConfig(AppConfig):
    """The orders the studio places with labs, vendors and its own departments."""

    name = "darkroom.production"
    label = "production"
    verbose_name = "Production"

    def ready(self) -> None:
        # Production automation acts on status changes (tracking.signals.statuses_entered).
        from darkroom.production.automation import connect_receivers

        connect_receivers()

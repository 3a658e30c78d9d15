from django.apps import AppConfig


class TrackingConfig(AppConfig):
    """Status cycles, their statuses, and the history of every status change."""

    name = "darkroom.tracking"
    label = "tracking"
    verbose_name = "Status tracking"

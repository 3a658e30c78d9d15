from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API root at /api/v1/; each app contributes a router from its own api.py."""

    name = "darkroom.api"
    label = "api"
    verbose_name = "API"

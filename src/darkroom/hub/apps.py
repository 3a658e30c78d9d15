from django.apps import AppConfig


class HubConfig(AppConfig):
    """The production hub: every open order, what is late and what will be late, at scale."""

    name = "darkroom.hub"
    label = "hub"
    verbose_name = "Production hub"

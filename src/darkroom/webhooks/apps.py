from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Webhooks: the studio's other systems told of each event, signed per Standard Webhooks,
    delivered by the worker with retries."""

    name = "darkroom.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

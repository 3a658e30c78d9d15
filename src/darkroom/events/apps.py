from django.apps import AppConfig


class EventsConfig(AppConfig):
    """What happened, in order, for the outside world: every status change, due-date move, new
    record and failed message, once. The events feed pages through it; webhooks carry it."""

    name = "darkroom.events"
    label = "events"
    verbose_name = "Events"

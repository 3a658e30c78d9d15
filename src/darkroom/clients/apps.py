from django.apps import AppConfig


class ClientsConfig(AppConfig):
    """The studio's clients, their sessions and their invoices."""

    name = "darkroom.clients"
    label = "clients"
    verbose_name = "Clients"

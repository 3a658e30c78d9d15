from django.apps import AppConfig


class ClientPagesConfig(AppConfig):
    """The client's status page: a private link per invoice that shows the client, without a
    login, where their orders are — in the words the studio chose for clients."""

    name = "darkroom.client_pages"
    label = "client_pages"
    verbose_name = "Client status pages"

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "darkroom.messaging"
    verbose_name = "Messages and triggers"

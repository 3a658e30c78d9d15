from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """Calendar feeds: a private iCalendar address per person, per department and for the
    studio, with the due dates and promised dates of their open records."""

    name = "darkroom.feeds"
    label = "feeds"
    verbose_name = "Calendar feeds"

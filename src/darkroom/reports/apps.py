from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports: what the studio's open work adds up to, on a page, in Excel, on paper, by API."""

    name = "darkroom.reports"
    label = "reports"
    verbose_name = "Reports"

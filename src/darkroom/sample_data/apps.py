from django.apps import AppConfig


class SampleDataConfig(AppConfig):
    """The demo studio and the large studio for benchmarks: no models, their two commands."""

    name = "darkroom.sample_data"
    label = "sample_data"
    verbose_name = "Sample data"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The top floor: the demo partnership, the load generator and the benchmark's views.
    Nothing imports it."""

    name = "demo"

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "osallistu.demo"
    verbose_name = "Demo data"

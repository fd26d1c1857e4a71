from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "imscan.core"
    label = "core"

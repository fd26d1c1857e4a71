from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "imscan.sharing"
    label = "sharing"

from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "imscan.scans"
    label = "scans"

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "imscan.reports"
    label = "reports"

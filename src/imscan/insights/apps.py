from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "imscan.insights"
    verbose_name = "Insights"

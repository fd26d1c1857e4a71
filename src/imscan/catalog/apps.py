from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "imscan.catalog"
    label = "catalog"

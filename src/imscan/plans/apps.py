from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "imscan.plans"
    label = "plans"

    def ready(self) -> None:
        # Registers the scans as a source of plans (imscan.plans.sources).
        from imscan.plans import sources  # noqa: F401

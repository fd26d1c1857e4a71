from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "imscan.plans"
    label = "plans"

    def ready(self) -> None:
        # Registers the scans as a source of plans and deletes a source's plan with it.
        from imscan.plans import sources

        sources.connect_deletion()

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from imscan.catalog.services import ModelVersionConflict, shipped_models_load
from imscan.engine import ModelValidationError


class Command(BaseCommand):
    help = "Store the shipped model files as model versions (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcomes = shipped_models_load()
        except ModelValidationError as error:
            raise CommandError(
                "invalid model file, nothing stored:\n" + "\n".join(map(str, error.problems))
            ) from error
        except ModelVersionConflict as error:
            raise CommandError(f"{error}; nothing stored") from error
        for outcome in outcomes:
            state = "stored" if outcome.created else "unchanged"
            self.stdout.write(f"{outcome.version.model_id}\t{outcome.version.version}\t{state}")

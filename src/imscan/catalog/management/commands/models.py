import sys
from typing import Any

from django.core.management.base import BaseCommand

from imscan.catalog.services import shipped_model_paths
from imscan.engine.cli import models_main


class Command(BaseCommand):
    help = "List the installed model files: id, version and path, tab-separated."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        # The engine writes whole lines itself; Django would add a newline per write().
        self.stdout.ending = self.stderr.ending = ""
        code = models_main(shipped_model_paths(), self.stdout)
        if code:
            sys.exit(code)

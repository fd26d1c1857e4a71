import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from imscan.roadmap_content import validate_roadmap_main


class Command(BaseCommand):
    help = (
        "Validate the roadmap content (roadmap, canvases, handouts) of a content directory, "
        "by default the shipped one; print every problem as file:line:column: message."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", metavar="DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        # The function writes whole lines itself; Django would add a newline per write().
        self.stdout.ending = self.stderr.ending = ""
        code = validate_roadmap_main(options["paths"], self.stdout)
        if code:
            sys.exit(code)

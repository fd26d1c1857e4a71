import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from imscan.engine.cli import score_main


class Command(BaseCommand):
    help = "Score answers (JSON) against a model file and print the result as one JSON object."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model_path", metavar="MODEL_PATH")
        parser.add_argument("answers_path", metavar="ANSWERS_JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        # The engine writes whole lines itself; Django would add a newline per write().
        self.stdout.ending = self.stderr.ending = ""
        code = score_main(options["model_path"], options["answers_path"], self.stdout, self.stderr)
        if code:
            sys.exit(code)

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from imscan.api.openapi import schema_text


class Command(BaseCommand):
    help = "Write the API's OpenAPI schema (docs/openapi.json), or check that it is current."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", metavar="FILE", help="default: standard output")
        parser.add_argument(
            "--check", action="store_true", help="exit 1 when FILE differs from the schema"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = schema_text()
        output = options["output"]
        if options["check"]:
            if output is None:
                self.stderr.write("--check needs --output FILE")
                sys.exit(2)
            current = Path(output).read_text(encoding="utf-8") if Path(output).exists() else ""
            if current != text:
                self.stderr.write(f"{output} is out of date: run `make openapi`")
                sys.exit(1)
            self.stdout.write(f"{output} is up to date")
            return
        if output is None:
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(f"Written: {output}")

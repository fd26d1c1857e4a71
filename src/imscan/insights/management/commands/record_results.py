from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from imscan.insights.recording import measurements_backfill


class Command(BaseCommand):
    help = (
        "Store the figures of every finished self-scan and closed guided scan that has none"
        " yet (guided scans closed by their closing date, scans from before the insights"
        " app). Idempotent; run it from cron, or once after an upgrade."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="write every measurement again (after changing insights.versions.benchmarked_as)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        written = measurements_backfill(rebuild=options["rebuild"])
        if options["verbosity"]:
            self.stdout.write(f"{written} measurement(s) written")

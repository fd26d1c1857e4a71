from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from imscan.insights.followups import FollowUpUnavailable, followups_send


class Command(BaseCommand):
    help = (
        "Invite organisations to the impact follow-up of every scan whose follow-up is due"
        " (N months after it finished, per model). Idempotent: run it daily from cron; a"
        " scan is never followed up twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--site-url",
            default=settings.IMSCAN_SITE_URL,
            help="scheme and host of the links in the e-mails (default: SITE_URL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = followups_send(site_url=options["site_url"])
        except FollowUpUnavailable as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write(f"{run.sent} sent, {run.failed} failed")
            for reason, count in sorted(run.skipped.items()):
                self.stdout.write(f"{count} skipped: {reason}")

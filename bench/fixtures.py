"""Scans with many finished respondents for the in-process benchmarks (team.py, reports.py).

Call `setup_django(database)` first: it points the app at a throw-away SQLite database,
migrates it and loads the shipped models.
"""

from __future__ import annotations

import io
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from client import BenchError
from server import app_env

DONT_KNOW_SHARE = 0.1  # about one answer in ten is "don't know"
GROUPS = ("Management", "Staff")


def setup_django(database: Path) -> None:
    os.environ.update(app_env(database))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if Path(settings.DATABASES["default"]["NAME"]) != database:
        raise BenchError("another database is set up")
    call_command("migrate", interactive=False, verbosity=0)
    call_command("loadmodels", stdout=io.StringIO())


@dataclass
class Builder:
    """Makes scans of the shipped IMS model with random answers, seeded."""

    seed: int = 56002

    def __post_init__(self) -> None:
        from django.utils import timezone

        from imscan.catalog.models import ModelVersion
        from imscan.catalog.selectors import engine_model
        from imscan.organisations.models import Organisation

        self.version = ModelVersion.objects.defer("source").get(model_id="ims-gov")
        self.model = engine_model(self.version)
        self.rng = random.Random(self.seed)
        self.now = timezone.now()
        self.organisation = Organisation.objects.create(
            name="Bench", kind="municipal", size="500-999"
        )

    def answers(self, respondent: Any) -> list[Any]:
        from imscan.scans.models import Answer

        out = []
        for statement in self.model.statements():
            value = None if self.rng.random() < DONT_KNOW_SHARE else float(self.rng.randint(1, 5))
            out.append(
                Answer(
                    respondent=respondent,
                    statement_id=statement.id,
                    value=value,
                    updated_at=self.now,
                )
            )
        return out

    def guided(self, size: int) -> Any:
        """A closed guided scan with `size` finished respondents in two equal groups (an
        open scan shows no figures and cannot be exported: nothing to measure)."""
        from imscan.scans.models import Answer, Respondent, RespondentGroup, Scan
        from imscan.scans.tokens import new_token, token_hash

        scan = Scan.objects.create(
            model_version=self.version,
            kind=Scan.Kind.GUIDED,
            language="nl",
            organisation=self.organisation,
            title=f"{size} respondents",
            closed_at=self.now,
        )
        made = []
        for position, name in enumerate(GROUPS):
            group = RespondentGroup.objects.create(scan=scan, name=name, position=position)
            made += Respondent.objects.bulk_create(
                Respondent(
                    scan=scan, group=group, token_hash=token_hash(new_token()), finished_at=self.now
                )
                for _ in range(size // len(GROUPS))
            )
        Answer.objects.bulk_create(
            (a for respondent in made for a in self.answers(respondent)), batch_size=5000
        )
        return scan

    def self_scan(self) -> tuple[Any, str]:
        """A finished self-scan with all 60 statements answered, and its private token."""
        from imscan.scans.models import Answer, Respondent, Scan
        from imscan.scans.tokens import new_token, token_hash

        token = new_token()
        scan = Scan.objects.create(model_version=self.version, kind=Scan.Kind.SELF, language="nl")
        respondent = Respondent.objects.create(
            scan=scan, token_hash=token_hash(token), finished_at=self.now
        )
        Answer.objects.bulk_create(self.answers(respondent))
        return scan, token

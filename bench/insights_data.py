"""A large synthetic population for the insights benchmarks (and for trying the pages).

    .venv/bin/python bench/insights_data.py --database-url sqlite:////tmp/big.sqlite3 \
        [--scans 100000] [--organisations 3000] [--seed 56002]

Makes, on an empty database (it migrates it and stores the shipped models first):
organisations of every type and size, their sharing choices, a hundred consultants, the
finished scans with every answer (self-scans of one respondent; one in seven a guided
scan of five respondents, closed, guided by a consultant), one started but unfinished
anonymous self-scan for every ten finished ones, and then the measurements through the
app's own backfill (insights.recording.measurements_backfill), timed. Rows go in with
PostgreSQL's COPY, or one executemany per table on SQLite, in one transaction.

The answers follow each organisation's own maturity (1.5 to 4.5), a lead or lag per part
and noise per answer; about one answer in twenty is "don't know".
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent / "src"))

KINDS = [  # type of government, share of the organisations
    ("municipal", 0.55),
    ("agency", 0.15),
    ("national", 0.08),
    ("provincial", 0.06),
    ("water-authority", 0.05),
    ("other", 0.11),
]
SIZES = [("0-99", 0.15), ("100-499", 0.35), ("500-999", 0.25), ("1000-4999", 0.2), ("5000+", 0.05)]
GUIDED_SHARE = 1 / 7
GUIDED_RESPONDENTS = 5
UNFINISHED_PER_FINISHED = 0.1
DONT_KNOW = 0.05
MONTHS = 36
CONSULTANTS = 100


@dataclass(frozen=True)
class Generated:
    organisations: int
    scans: int  # finished
    unfinished: int
    respondents: int
    answers: int
    measurements: int
    insert_s: float
    backfill_s: float


def weighted(rng: random.Random, choices: Sequence[tuple[str, float]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


class Writer:
    """Bulk rows into a table in its columns' order: COPY on PostgreSQL, executemany on
    SQLite (with the values as Django's SQLite backend stores them)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def _sqlite(self, value: Any) -> Any:
        if isinstance(value, uuid.UUID):
            return value.hex
        if isinstance(value, datetime.datetime):
            return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(sep=" ")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def write(self, model: Any, rows: Iterable[dict[str, Any]], defaults: dict[str, Any]) -> int:
        fields = model._meta.concrete_fields
        names = [field.attname for field in fields]
        columns = ", ".join(self.connection.ops.quote_name(field.column) for field in fields)
        table = self.connection.ops.quote_name(model._meta.db_table)

        def tuples() -> Iterator[tuple[Any, ...]]:
            for row in rows:
                yield tuple(row[name] if name in row else defaults[name] for name in names)

        count = 0
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in tuples():
                        copy.write_row(values)
                        count += 1
                return count
            marks = ", ".join("?" * len(names))
            batch: list[tuple[Any, ...]] = []
            for values in tuples():
                batch.append(tuple(self._sqlite(v) for v in values))
                if len(batch) == 20_000:
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
                    count += len(batch)
                    batch.clear()
            if batch:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
                count += len(batch)
        return count

    def reset_sequences(self, models: Sequence[Any]) -> None:
        if not self.postgres:
            return  # SQLite takes the next id after the largest
        with self.connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


def generate(
    *, scans: int, organisations: int, seed: int, log: Callable[[str], None] = print
) -> Generated:
    """Fill the (migrated, empty) database Django is set up with; see the module docstring."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from imscan.catalog.models import ModelVersion
    from imscan.catalog.selectors import engine_model
    from imscan.insights.models import Measurement, Participation
    from imscan.insights.recording import measurements_backfill
    from imscan.organisations.models import ConsultantProfile, Organisation
    from imscan.scans.models import Answer, Respondent, Scan

    rng = random.Random(seed)
    version = ModelVersion.objects.defer("source").get(model_id="ims-gov")
    model = engine_model(version)
    parts = [(part.id, [s.id for s in part.statements or ()]) for part in model.parts()]
    now = timezone.now()
    writer = Writer(connection)
    began = time.perf_counter()

    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"consultant{i}", email=f"consultant{i}@example.org")
        for i in range(CONSULTANTS)
    )
    guides = [
        profile.pk
        for profile in ConsultantProfile.objects.bulk_create(
            ConsultantProfile(
                user=user,
                display_name=f"Consultant {i}",
                certifying_body="Bench",
                certificate_number=f"B-{i}",
                valid_until=now.date() + datetime.timedelta(days=365),
                verified_at=now,
            )
            for i, user in enumerate(users)
        )
    ]

    maturity: dict[int, float] = {}
    leads: dict[int, dict[str, float]] = {}

    def organisation_rows() -> Iterator[dict[str, Any]]:
        for org_id in range(1, organisations + 1):
            maturity[org_id] = rng.uniform(1.5, 4.5)
            leads[org_id] = {part: rng.gauss(0, 0.5) for part, _ids in parts}
            yield {
                "id": org_id,
                "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "name": f"Organisation {org_id}",
                "kind": weighted(rng, KINDS),
                "size": weighted(rng, SIZES),
                "created_at": now - datetime.timedelta(days=MONTHS * 31),
            }

    def participation_rows() -> Iterator[dict[str, Any]]:
        pk = 0
        for org_id in range(1, organisations + 1):
            draw = rng.random()
            contactable = rng.random() < 0.15
            if draw < 0.4 or draw > 0.95 or contactable:
                pk += 1
                yield {
                    "id": pk,
                    "organisation_id": org_id,
                    "benchmark": "all" if draw < 0.4 else ("none" if draw > 0.95 else "guided"),
                    "contactable": contactable,
                    "contact_name": "",
                    "contact_email": f"innovation@org{org_id}.example" if contactable else "",
                    "followups": True,
                    "updated_at": now,
                }

    counts = {"respondents": 0, "answers": 0, "unfinished": 0}
    respondents: list[dict[str, Any]] = []
    answers_of: list[tuple[int, int, datetime.datetime]] = []  # respondent, org, when

    def scan_rows() -> Iterator[dict[str, Any]]:
        scan_id = 0
        span = MONTHS * 30 * 24 * 3600
        for _ in range(scans):
            scan_id += 1
            org_id = rng.randint(1, organisations)
            guided = rng.random() < GUIDED_SHARE
            started = now - datetime.timedelta(seconds=rng.uniform(16 * 86400, span))
            row = {
                "id": scan_id,
                "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "kind": "guided" if guided else "self",
                "created_at": started,
                "organisation_id": org_id,
            }
            if guided:
                row |= {
                    "title": f"Guided scan {scan_id}",
                    "guide_id": rng.choice(guides),
                    "closed_at": started + datetime.timedelta(days=14),
                }
            yield row
            for _ in range(GUIDED_RESPONDENTS if guided else 1):
                counts["respondents"] += 1
                finished = started + datetime.timedelta(minutes=rng.uniform(5, 60))
                respondents.append(
                    {
                        "id": counts["respondents"],
                        "scan_id": scan_id,
                        "token_hash": f"{rng.getrandbits(256):064x}",
                        "created_at": started,
                        "finished_at": finished,
                    }
                )
                answers_of.append((counts["respondents"], org_id, finished))
        for _ in range(int(scans * UNFINISHED_PER_FINISHED)):
            scan_id += 1
            counts["unfinished"] += 1
            started = now - datetime.timedelta(seconds=rng.uniform(3600, span))
            yield {
                "id": scan_id,
                "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "kind": "self",
                "created_at": started,
                "organisation_id": None,
            }
            counts["respondents"] += 1
            respondents.append(
                {
                    "id": counts["respondents"],
                    "scan_id": scan_id,
                    "token_hash": f"{rng.getrandbits(256):064x}",
                    "created_at": started,
                    "finished_at": None,
                }
            )

    def answer_rows() -> Iterator[dict[str, Any]]:
        pk = 0
        for respondent_id, org_id, when in answers_of:
            base = maturity[org_id]
            for part, statement_ids in parts:
                centre = base + leads[org_id][part]
                for statement_id in statement_ids:
                    pk += 1
                    if rng.random() < DONT_KNOW:
                        value = None
                    else:
                        value = float(min(5, max(1, round(rng.gauss(centre, 0.8)))))
                    yield {
                        "id": pk,
                        "respondent_id": respondent_id,
                        "statement_id": statement_id,
                        "value": value,
                        "updated_at": when,
                    }
        counts["answers"] = pk

    scan_defaults = {
        "model_version_id": version.pk,
        "language": "nl",
        "title": "",
        "created_by_id": None,
        "guide_id": None,
        "opens_at": None,
        "closes_at": None,
        "closed_at": None,
        "anonymity_threshold": 3,
    }
    respondent_defaults = {"group_id": None, "email": "", "invited_at": None, "reminded_at": None}
    if not writer.postgres:  # a throw-away database: no need to wait for the disk
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        made = writer.write(Organisation, organisation_rows(), {"country": "NL"})
        log(f"{made} organisations")
        made = writer.write(Participation, participation_rows(), {})
        log(f"{made} sharing choices")
        made = writer.write(Scan, scan_rows(), scan_defaults)
        log(f"{made} scans ({counts['unfinished']} unfinished)")
        made = writer.write(Respondent, respondents, respondent_defaults)
        log(f"{made} respondents")
        made = writer.write(Answer, answer_rows(), {})
        log(f"{made} answers")
        writer.reset_sequences([Organisation, Participation, Scan, Respondent, Answer])
    if writer.postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    insert_s = time.perf_counter() - began
    log(f"inserted in {insert_s:.1f} s; recording the measurements (the app's backfill)")
    began = time.perf_counter()
    measurements = measurements_backfill()
    backfill_s = time.perf_counter() - began
    log(f"{measurements} measurements in {backfill_s:.1f} s")
    if writer.postgres:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    assert Measurement.objects.count() == measurements
    return Generated(
        organisations=organisations,
        scans=scans,
        unfinished=counts["unfinished"],
        respondents=counts["respondents"],
        answers=counts["answers"],
        measurements=measurements,
        insert_s=insert_s,
        backfill_s=backfill_s,
    )


def setup(database_url: str) -> None:
    """Django on the given database, migrated, with the shipped models stored."""
    import io

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imscan.config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-insights-not-secret")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("loadmodels", stdout=io.StringIO())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="an empty database to fill")
    parser.add_argument("--scans", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=56002)
    args = parser.parse_args()
    setup(args.database_url)
    generated = generate(scans=args.scans, organisations=args.organisations, seed=args.seed)
    print(generated)
    return 0


if __name__ == "__main__":
    sys.exit(main())

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
    """Bulk rows into a table: COPY on PostgreSQL, executemany on SQLite. Rows are tuples in
    the order of the given fields; `stamp` and `uid` write a moment and a UUID as the
    engine stores them (Django keeps them as text on SQLite), once per value rather than
    once per column of every row."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def stamp(self, moment: datetime.datetime | None) -> Any:
        if moment is None or self.postgres:
            return moment
        return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(sep=" ")

    def uid(self, value: uuid.UUID) -> Any:
        return value if self.postgres else value.hex

    def write(self, model: Any, fields: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
        """Insert `rows` into `fields` (attribute names) of the model's table; the other
        columns must have a database default or allow NULL... so give every column."""
        meta = model._meta
        columns = ", ".join(
            self.connection.ops.quote_name(meta.get_field(name).column) for name in fields
        )
        table = self.connection.ops.quote_name(meta.db_table)
        count = 0
        with self.connection.cursor() as cursor:
            if self.postgres:
                sql = f"COPY {table} ({columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                return count
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(fields))})"  # noqa: S608 (names from the models)
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 50_000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch.clear()
            cursor.executemany(sql, batch)
            return count + len(batch)

    def reset_sequences(self, models: Sequence[Any]) -> None:
        if not self.postgres:
            return  # SQLite takes the next id after the largest
        with self.connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
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

    created = writer.stamp(now - datetime.timedelta(days=MONTHS * 31))

    def organisation_rows() -> Iterator[tuple[Any, ...]]:
        for org_id in range(1, organisations + 1):
            maturity[org_id] = rng.uniform(1.5, 4.5)
            leads[org_id] = {part: rng.gauss(0, 0.5) for part, _ids in parts}
            kind, size = weighted(rng, KINDS), weighted(rng, SIZES)
            public_id = writer.uid(uuid.UUID(int=rng.getrandbits(128), version=4))
            yield (org_id, public_id, f"Organisation {org_id}", kind, size, "NL", created)

    def participation_rows() -> Iterator[tuple[Any, ...]]:
        pk = 0
        stamp = writer.stamp(now)
        for org_id in range(1, organisations + 1):
            draw = rng.random()
            contactable = rng.random() < 0.15
            if draw < 0.4 or draw > 0.95 or contactable:
                pk += 1
                benchmark = "all" if draw < 0.4 else ("none" if draw > 0.95 else "guided")
                email = f"innovation@org{org_id}.example" if contactable else ""
                yield (pk, org_id, benchmark, contactable, "", email, True, stamp)

    counts = {"respondents": 0, "answers": 0, "unfinished": 0}
    respondents: list[tuple[Any, ...]] = []
    answers_of: list[tuple[int, int, Any]] = []  # respondent, organisation, when (stored)
    span = MONTHS * 30 * 24 * 3600

    def respondent(scan_id: int, started: Any, finished: Any) -> None:
        counts["respondents"] += 1
        token = f"{rng.getrandbits(256):064x}"
        respondents.append((counts["respondents"], scan_id, None, token, started, finished))

    def scan_rows() -> Iterator[tuple[Any, ...]]:
        scan_id = 0
        for _ in range(scans):
            scan_id += 1
            org_id = rng.randint(1, organisations)
            guided = rng.random() < GUIDED_SHARE
            began = now - datetime.timedelta(seconds=rng.uniform(16 * 86400, span))
            public_id = writer.uid(uuid.UUID(int=rng.getrandbits(128), version=4))
            started = writer.stamp(began)
            if guided:
                closed = writer.stamp(began + datetime.timedelta(days=14))
                yield (
                    scan_id, public_id, "guided", started, org_id, f"Guided scan {scan_id}",
                    rng.choice(guides), closed,
                )  # fmt: skip
            else:
                yield (scan_id, public_id, "self", started, org_id, "", None, None)
            for _ in range(GUIDED_RESPONDENTS if guided else 1):
                finished = writer.stamp(began + datetime.timedelta(minutes=rng.uniform(5, 60)))
                respondent(scan_id, started, finished)
                answers_of.append((counts["respondents"], org_id, finished))
        for _ in range(int(scans * UNFINISHED_PER_FINISHED)):
            scan_id += 1
            counts["unfinished"] += 1
            started = writer.stamp(now - datetime.timedelta(seconds=rng.uniform(3600, span)))
            public_id = writer.uid(uuid.UUID(int=rng.getrandbits(128), version=4))
            yield (scan_id, public_id, "self", started, None, "", None, None)
            respondent(scan_id, started, None)

    def answer_rows() -> Iterator[tuple[Any, ...]]:
        pk = 0
        gauss, draw = rng.gauss, rng.random
        for respondent_id, org_id, when in answers_of:
            base, lead = maturity[org_id], leads[org_id]
            for part, statement_ids in parts:
                centre = base + lead[part]
                for statement_id in statement_ids:
                    pk += 1
                    if draw() < DONT_KNOW:
                        value = None
                    else:
                        value = float(min(5, max(1, round(gauss(centre, 0.8)))))
                    yield (pk, respondent_id, statement_id, value, when)
        counts["answers"] = pk

    scan_fields = [
        "id", "public_id", "kind", "created_at", "organisation_id", "title", "guide_id",
        "closed_at", "model_version_id", "language", "anonymity_threshold",
    ]  # fmt: skip
    fixed = (version.pk, "nl", 3)
    if not writer.postgres:  # a throw-away database: no need to wait for the disk
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        organisation_fields = ["id", "public_id", "name", "kind", "size", "country", "created_at"]
        made = writer.write(Organisation, organisation_fields, organisation_rows())
        log(f"{made} organisations")
        participation_fields = [
            "id", "organisation_id", "benchmark", "contactable", "contact_name",
            "contact_email", "followups", "updated_at",
        ]  # fmt: skip
        made = writer.write(Participation, participation_fields, participation_rows())
        log(f"{made} sharing choices")
        made = writer.write(Scan, scan_fields, (row + fixed for row in scan_rows()))
        log(f"{made} scans ({counts['unfinished']} unfinished)")
        respondent_fields = ["id", "scan_id", "group_id", "token_hash", "created_at", "finished_at"]
        made = writer.write(
            Respondent, [*respondent_fields, "email"], ((*row, "") for row in respondents)
        )
        log(f"{made} respondents")
        answer_fields = ["id", "respondent_id", "statement_id", "value", "updated_at"]
        made = writer.write(Answer, answer_fields, answer_rows())
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
    if writer.postgres:  # as autovacuum leaves a table in use (and index-only scans work)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
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

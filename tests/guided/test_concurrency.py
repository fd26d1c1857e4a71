"""Many respondents at once: every answer stored exactly once, and a group link's cap holds.

These run with real transactions (`transaction=True`) and one database connection per
thread, on SQLite and on PostgreSQL (DATABASE_URL=postgres://...).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.scans import guided
from imscan.scans.models import Answer, Respondent
from imscan.scans.selectors import scan_pages
from tests.factories import GroupFactory, GuidedScanFactory, respondent_with_token

RESPONDENTS = 50
JOINERS = 30
CAP = 10

T = TypeVar("T")


def in_threads(count: int, job: Callable[[int], T]) -> list[T]:
    """Run job(0..count-1) in `count` threads that all start at the same moment."""
    barrier = threading.Barrier(count)

    def run(number: int) -> T:
        try:
            barrier.wait(timeout=60)
            return job(number)
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def value(respondent: int, statement: int) -> float:
    return float(1 + (respondent + statement) % 5)


@pytest.mark.django_db(transaction=True)
def test_fifty_respondents_answering_at_once_lose_nothing(ims_version: ModelVersion) -> None:
    scan = GuidedScanFactory(model_version=ims_version, language="nl")
    groups = [GroupFactory(scan=scan, name="Management"), GroupFactory(scan=scan, name="Staff")]
    tokens = [
        respondent_with_token(scan, groups[n % 2], finished=False, email=f"r{n}@example.org")[1]
        for n in range(RESPONDENTS)
    ]
    pages = scan_pages(engine_model(ims_version))
    order = [sid for page in pages for sid in page.statement_ids]
    assert len(order) == 60

    def answer_everything(number: int) -> list[int]:
        client = Client()
        token = tokens[number]
        statuses = []
        for page in pages:  # one plain form post per page, as without JavaScript
            data = {f"s-{sid}": "3" for sid in page.statement_ids}
            data["go"] = "next"
            statuses.append(client.post(f"/nl/scan/{token}/page/{page.number}/", data).status_code)
        # then every answer again, changed, in autosaves of six (as htmx sends them)
        for start in range(0, len(order), 6):
            data = {
                f"s-{sid}": str(int(value(number, order.index(sid))))
                for sid in order[start : start + 6]
            }
            statuses.append(
                client.post(f"/nl/scan/{token}/answer/", data, HTTP_HX_REQUEST="true").status_code
            )
        return statuses

    began = time.perf_counter()
    results = in_threads(RESPONDENTS, answer_everything)
    elapsed = time.perf_counter() - began
    print(
        f"\n{RESPONDENTS} respondents x 60 answers in {len(results[0])} posts each: {elapsed:.2f} s"
    )

    assert all(status == 302 for statuses in results for status in statuses[: len(pages)])
    assert all(status == 200 for statuses in results for status in statuses[len(pages) :])
    assert Answer.objects.count() == RESPONDENTS * 60
    per_respondent = Answer.objects.values("respondent").annotate(n=Count("id"))
    assert sorted(row["n"] for row in per_respondent) == [60] * RESPONDENTS
    respondents = {r.email: r.pk for r in Respondent.objects.filter(scan=scan)}
    for number in range(RESPONDENTS):
        stored = dict(
            Answer.objects.filter(respondent_id=respondents[f"r{number}@example.org"]).values_list(
                "statement_id", "value"
            )
        )
        assert stored == {sid: value(number, index) for index, sid in enumerate(order)}


@pytest.mark.django_db(transaction=True)
def test_thirty_joins_at_once_on_a_link_for_ten_make_ten_respondents(
    ims_version: ModelVersion,
) -> None:
    scan = GuidedScanFactory(model_version=ims_version, language="nl")
    group = GroupFactory(scan=scan, name="Staff")
    token = guided.group_link_create(group=group, cap=CAP)

    def join(_number: int) -> int:
        return Client().post(f"/nl/join/{token}/").status_code

    statuses = in_threads(JOINERS, join)
    assert sorted(statuses) == [302] * CAP + [409] * (JOINERS - CAP)
    assert Respondent.objects.filter(group=group).count() == CAP
    assert Respondent.objects.count() == CAP

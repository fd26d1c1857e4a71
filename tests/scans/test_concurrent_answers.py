"""Many answers at once, as htmx sends them when someone clicks quickly: none lost, none twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import close_old_connections, connection

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.scans.models import Answer
from imscan.scans.selectors import respondent_by_token
from imscan.scans.services import answers_save, self_scan_start


def save(token: str, statement_id: str, value: float) -> None:
    try:
        respondent = respondent_by_token(token)
        assert respondent is not None
        model = engine_model(respondent.scan.model_version)
        answers_save(respondent=respondent, model=model, answers={statement_id: value})
    finally:
        close_old_connections()
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_keep_exactly_one_answer_per_statement(
    ims_version: ModelVersion,
) -> None:
    started = self_scan_start(version=ims_version, language="nl")
    statements = [s.id for s in engine_model(ims_version).statements()][:20]
    jobs = [(sid, float(1 + n % 5)) for n in range(5) for sid in statements]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda job: save(started.token, *job), jobs))
    stored = dict(
        Answer.objects.filter(respondent=started.respondent).values_list("statement_id", "value")
    )
    assert sorted(stored) == sorted(statements)
    assert Answer.objects.count() == len(statements)

"""A bounded property-based run of schemathesis against the live schema: requests made
from /api/v1/openapi.json as the app serves it, sent to the app (WSGI, in-process), with
all of schemathesis' checks: never a server error, every response as the schema says
(status, content type, headers, body), schema-valid requests accepted and invalid ones
refused, a 405 with Allow for a method a URL does not take.

Each operation gets EXAMPLES cases, made by the caller its security asks for (an owner's
token or a respondent's private link, through schemathesis' auth, so that its negative
cases can still leave the token out). In positive cases, a drawn share of the ids point
at objects that exist (the organisation, its scans, a statement of the model), so the
operations are reached beyond their 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.config.wsgi import application
from tests.api.world import World, build_world

EXAMPLES = 15  # per operation: about 300 cases in all, well under a minute

# 422 also answers what a schema cannot say (an answer off the statement's scale, a model
# id that is not published): a schema-valid request may get it.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
            }
        }
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)
# The bearer token of the current test, per security scheme (set by the `world` fixture).
CALLERS: dict[str, str] = {}


@schema.auth(refresh_interval=None)
class Bearer:
    """The token the operation's security asks for: a personal token, else a link token."""

    def get(self, case: Any, context: Any) -> str | None:
        security = context.operation.definition.raw.get("security", [])
        schemes = {name for requirement in security for name in requirement}
        if "PersonalToken" in schemes:
            return CALLERS["PersonalToken"]
        if "LinkToken" in schemes:
            # A result and exports need a finished scan; answering needs an open one.
            finished = any(part in context.operation.path for part in ("/result", "/exports"))
            return CALLERS["FinishedLink" if finished else "LinkToken"]
        return None

    def set(self, case: Any, data: str | None, context: Any) -> None:
        if data is not None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Iterator[None]:
    """The WSGI app closes the database connection after each request, as it should in
    production; Django's test client stops that, and so must we, or the test's
    transaction (and its data) would go with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(ims_version: ModelVersion) -> Iterator[World]:
    built = build_world(ims_version)
    CALLERS.update(
        PersonalToken=built.tokens["owner"],
        LinkToken=built.links["self"],
        FinishedLink=built.links["claimed_self"],
    )
    yield built
    CALLERS.clear()


def real_values(world: World, version: ModelVersion) -> dict[str, st.SearchStrategy[Any]]:
    """Values that exist, per parameter or body field name."""
    statements = [statement.id for statement in engine_model(version).statements()]
    scans = [str(scan.public_id) for scan in (world.closed, world.open, world.self_scan)]
    return {
        "org_id": st.just(str(world.organisation.public_id)),
        "scan_id": st.sampled_from(scans),
        "statement_id": st.sampled_from(statements[:5]),
        "model_id": st.just(version.model_id),
        "version": st.one_of(st.none(), st.just(version.version)),
        "language": st.sampled_from([None, "nl", "en"]),
        "lang": st.sampled_from(["nl", "en"]),
        "format": st.sampled_from(["csv", "xlsx", "json"]),
        "value": st.sampled_from([1, 3, 5, None]),
        "answers": st.dictionaries(
            st.sampled_from(statements), st.sampled_from([1, 2, 4, 5, None]), max_size=10
        ),
        "token": st.just(world.links["self"]),
    }


def aim_at_real_objects(case: Any, data: st.DataObject, values: dict[str, Any]) -> None:
    """Replace some generated values by ones that exist (positive cases only: a negative
    case must stay as invalid as schemathesis made it)."""
    containers = [case.path_parameters, case.query, case.body]
    for container in containers:
        if not isinstance(container, dict):
            continue
        for name in list(container):
            if name in values and data.draw(st.booleans()):
                chosen = data.draw(values[name])
                if chosen is not None or container is case.body:
                    container[name] = chosen
                elif container is case.query:
                    del container[name]


@pytest.mark.django_db
@schema.parametrize()
@schema.given(data=st.data())
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(
    case: Any, data: st.DataObject, world: World, ims_version: ModelVersion
) -> None:
    if case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE:
        aim_at_real_objects(case, data, real_values(world, ims_version))
    case.call_and_validate()

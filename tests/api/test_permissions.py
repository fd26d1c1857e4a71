"""The API's permission matrix: every operation of the OpenAPI schema, called by every kind
of caller, like tests/test_permissions.py does for the web pages (and decided by the same
code, imscan.permissions).

Outcomes: OK (reached: a 2xx, or a 409/422 about the request itself), UNAUTHENTICATED
(401: no token, or not one this operation takes, or expired or revoked), READ_ONLY (403:
a read-only token on a write) and HIDDEN (404: another organisation's object, or one the
caller has no role for; never a 403, so existence does not leak).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from imscan.api.main import api as ninja_api
from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from tests.api.helpers import Api
from tests.api.world import World, build_world

OK, UNAUTHENTICATED, READ_ONLY, HIDDEN = "ok", "401", "read-only", "404"

USERS = (
    "member",
    "owner",
    "other_member",  # owner of another organisation
    "consultant",  # engaged by the organisation, accepted
    "revoked_consultant",
    "other_consultant",  # certified, not engaged by it
    "staff",
    "read_only_member",  # the member's read-only token
)
BAD_TOKENS = ("expired_token", "revoked_token")  # the owner's
LINKS = ("respondent", "self_respondent", "other_respondent")
CALLERS = ("anonymous", *LINKS, *USERS, *BAD_TOKENS)


def rule(default: str, **overrides: str) -> dict[str, str]:
    unknown = set(overrides) - set(CALLERS)
    assert not unknown, unknown
    return {caller: overrides.get(caller, default) for caller in CALLERS}


NO_USER = {caller: UNAUTHENTICATED for caller in ("anonymous", *LINKS, *BAD_TOKENS)}
PUBLIC_READ = rule(OK, **dict.fromkeys(BAD_TOKENS, UNAUTHENTICATED))
PUBLIC_WRITE = {**PUBLIC_READ, "read_only_member": READ_ONLY}
ANY_USER = rule(OK, **NO_USER)
ORG_VIEW = rule(HIDDEN, member=OK, owner=OK, consultant=OK, read_only_member=OK, **NO_USER)
ORG_RUN = ORG_VIEW  # progress: members, owners and the engaged consultant (as the web)
ORG_CREATE = {**ORG_VIEW, "read_only_member": READ_ONLY}
LINK = rule(UNAUTHENTICATED, **dict.fromkeys(LINKS, OK))
# A guided scan's exports are the organisation's, not its respondents'.
OWN_SELF_SCAN = {**LINK, "respondent": HIDDEN, "other_respondent": HIDDEN}

MATRIX: dict[str, dict[str, str]] = {
    "list_models": PUBLIC_READ,
    "read_model": PUBLIC_READ,
    "create_self_scan": PUBLIC_WRITE,
    "read_respondent": LINK,
    "read_answers": LINK,
    "save_answers": LINK,
    "read_answer": LINK,
    "save_answer": LINK,
    "finish": LINK,
    "read_result": LINK,
    "export_own_scan": OWN_SELF_SCAN,
    "read_me": ANY_USER,
    "list_organisations": ANY_USER,
    "read_organisation": ORG_VIEW,
    "list_scans": ORG_VIEW,
    "claim_self_scan": ORG_CREATE,
    "read_scan": ORG_VIEW,
    "read_progress": ORG_RUN,
    "list_respondents": ORG_RUN,
    "read_team_result": ORG_VIEW,
    "export_scan": ORG_VIEW,
}


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: Any = None
    query: dict[str, str] | None = None


def calls(world: World, version: ModelVersion) -> dict[str, Call]:
    statement = engine_model(version).statements()[0].id
    org = f"/organisations/{world.organisation.public_id}"
    scan = f"/scans/{world.closed.public_id}"
    return {
        "list_models": Call("GET", "/models"),
        "read_model": Call("GET", f"/models/{version.model_id}/versions/{version.version}"),
        "create_self_scan": Call("POST", "/self-scans", {"model_id": version.model_id}),
        "read_respondent": Call("GET", "/respondent"),
        "read_answers": Call("GET", "/respondent/answers"),
        "save_answers": Call("PATCH", "/respondent/answers", {"answers": {statement: 4}}),
        "read_answer": Call("GET", f"/respondent/answers/{statement}"),
        "save_answer": Call("PUT", f"/respondent/answers/{statement}", {"value": 3}),
        "finish": Call("POST", "/respondent/finish"),
        "read_result": Call("GET", "/respondent/result"),
        "export_own_scan": Call("GET", "/respondent/exports/scores"),
        "read_me": Call("GET", "/me"),
        "list_organisations": Call("GET", "/organisations"),
        "read_organisation": Call("GET", org),
        "list_scans": Call("GET", f"{org}/scans"),
        "claim_self_scan": Call("POST", f"{org}/claims", {"token": world.links["self"]}),
        "read_scan": Call("GET", scan),
        "read_progress": Call("GET", f"{scan}/progress"),
        "list_respondents": Call("GET", f"{scan}/respondents"),
        "read_team_result": Call("GET", f"{scan}/result"),
        "export_scan": Call("GET", f"{scan}/exports/scores", query={"format": "json"}),
    }


def bearer(world: World, caller: str) -> str | None:
    links = {"respondent": "guided", "self_respondent": "self", "other_respondent": "other"}
    if caller in links:
        return world.links[links[caller]]
    return world.tokens.get(caller)


def outcome(response: Any) -> str:
    status = response.status_code
    if 200 <= status < 300 or status in (409, 422):
        return OK
    if status == 401:
        return UNAUTHENTICATED
    if status == 404:
        return HIDDEN
    if status == 403 and response.json().get("code") == "read_only_token":
        return READ_ONLY
    return f"unexpected {status}"


def schema_operations() -> dict[str, tuple[str, str]]:
    schema = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    return {
        operation["operationId"]: (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


def test_every_operation_has_a_rule() -> None:
    operations = set(schema_operations())
    assert operations - set(MATRIX) == set(), "operations without a row in MATRIX"
    assert set(MATRIX) - operations == set(), "MATRIX rows of operations that do not exist"


def test_every_operation_declares_its_callers() -> None:
    """No operation falls back to ninja's default, no authentication at all: each lists
    its tokens (an empty requirement, {}, marks the public ones)."""
    schema = ninja_api.get_openapi_schema(path_prefix="/api/v1/")
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            schemes = {
                name for requirement in operation.get("security", []) for name in requirement
            }
            assert schemes, f"{method.upper()} {path} has no security"
            public = {} in operation["security"]
            assert public == (MATRIX[operation["operationId"]]["anonymous"] == OK), path


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(ims_version: ModelVersion, api: Api, name: str) -> None:
    world = build_world(ims_version)
    call = calls(world, ims_version)[name]
    wrong = {}
    for caller in CALLERS:
        response = api.call(
            call.method, call.path, call.body, token=bearer(world, caller), **(call.query or {})
        )
        got = outcome(response)
        if got != MATRIX[name][caller]:
            wrong[caller] = (
                f"expected {MATRIX[name][caller]}, got {got}: {response.content[:200]!r}"
            )
    assert not wrong, wrong


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["read_organisation", "read_scan", "read_team_result"])
def test_an_unknown_id_looks_like_another_organisations(
    ims_version: ModelVersion, api: Api, name: str
) -> None:
    """Not yours and not there answer alike: the same status, code and text."""
    world = build_world(ims_version)
    theirs = {
        "read_organisation": f"/organisations/{world.other_org.public_id}",
        "read_scan": f"/scans/{world.other_org.scans.get().public_id}",
        "read_team_result": f"/scans/{world.other_org.scans.get().public_id}/result",
    }[name]
    nobody = theirs.replace(theirs.split("/")[2], "00000000-0000-4000-8000-000000000000")
    token = world.tokens["owner"]
    first, second = api.get(theirs, token=token), api.get(nobody, token=token)
    assert first.status_code == second.status_code == 404
    assert first.json() == second.json()

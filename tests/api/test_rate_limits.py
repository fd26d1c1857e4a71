"""Rate limits per token, private link and (without a token) client address, counted in
the Django cache: the local memory cache here, Redis in production (tested against the
Redis server too, when there is one)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.test import override_settings

from imscan.catalog.models import ModelVersion
from tests.api.helpers import Api, error_of, token_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
REDIS = ("127.0.0.1", 6379)
REDIS_DB = int(os.environ.get("IMSCAN_TEST_REDIS_DB", "9"))


def calls_until_limited(api: Api, limit: int, **kwargs: object) -> list[object]:
    return [api.get("/models", **kwargs) for _ in range(limit + 1)]  # type: ignore[arg-type]


@override_settings(IMSCAN_API_RATE_LIMIT=3)
def test_a_token_over_its_limit_gets_429_with_retry_after(
    api: Api, ims_version: ModelVersion
) -> None:
    token = token_for(UserFactory())
    responses = calls_until_limited(api, 3, token=token)
    assert [r.status_code for r in responses] == [200, 200, 200, 429]  # type: ignore[attr-defined]
    assert [r["RateLimit-Remaining"] for r in responses[:3]] == ["2", "1", "0"]  # type: ignore[index]
    limited = responses[-1]
    assert error_of(limited) == (429, "rate_limited")
    retry = int(limited["Retry-After"])  # type: ignore[index]
    assert 1 <= retry <= 60
    # Another token has a count of its own.
    assert api.get("/models", token=token_for(UserFactory())).status_code == 200


@override_settings(IMSCAN_API_ANONYMOUS_RATE_LIMIT=2)
def test_without_a_token_the_limit_is_per_address(api: Api, ims_version: ModelVersion) -> None:
    here = calls_until_limited(api, 2, meta={"REMOTE_ADDR": "192.0.2.1"})
    assert [r.status_code for r in here] == [200, 200, 429]  # type: ignore[attr-defined]
    there = api.get("/models", meta={"REMOTE_ADDR": "192.0.2.2"})
    assert there.status_code == 200


@override_settings(IMSCAN_API_ANONYMOUS_RATE_LIMIT=2)
def test_a_made_up_forwarded_for_does_not_escape_the_limit(
    api: Api, ims_version: ModelVersion
) -> None:
    statuses = [
        api.get("/models", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


@override_settings(IMSCAN_API_ANONYMOUS_RATE_LIMIT=2, NINJA_NUM_PROXIES=1)
def test_behind_a_proxy_the_forwarded_address_counts(api: Api, ims_version: ModelVersion) -> None:
    first = calls_until_limited(api, 2, headers={"X-Forwarded-For": "203.0.113.7"})
    assert [r.status_code for r in first] == [200, 200, 429]  # type: ignore[attr-defined]
    assert api.get("/models", headers={"X-Forwarded-For": "203.0.113.8"}).status_code == 200


@override_settings(IMSCAN_API_RATE_LIMIT=2, IMSCAN_API_RATE_WINDOW=60)
def test_the_count_starts_again_in_the_next_window(
    api: Api, ims_version: ModelVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = token_for(UserFactory())
    now = 1_800_000_000.0  # the start of a window
    monkeypatch.setattr("imscan.api.auth.time.time", lambda: now)
    assert [r.status_code for r in calls_until_limited(api, 2, token=token)] == [200, 200, 429]  # type: ignore[attr-defined]
    now += 60
    assert api.get("/models", token=token).status_code == 200


@override_settings(IMSCAN_API_RATE_LIMIT=2)
def test_a_respondents_link_has_a_limit_of_its_own(api: Api, ims_version: ModelVersion) -> None:
    link = api.post("/self-scans", {"model_id": "ims-gov"}).json()["token"]
    statuses = [api.get("/respondent", token=link).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def redis_available() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_cache() -> Iterator[None]:
    if not redis_available():
        pytest.skip(
            f"no Redis server at {REDIS[0]}:{REDIS[1]}: the Redis rate limit test is skipped"
        )
    location = f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB}"
    # A prefix of its own, so test runs at the same time never share a count, and only
    # this run's keys are removed afterwards (clear() would empty the whole database).
    prefix = f"imscan-test-{uuid.uuid4().hex}"
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": backend}):
        yield
        client = caches["default"]._cache.get_client()
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


@override_settings(IMSCAN_API_RATE_LIMIT=3)
def test_the_limit_is_counted_in_redis(
    api: Api, ims_version: ModelVersion, redis_cache: None
) -> None:
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(caches["default"], RedisCache)
    token = token_for(UserFactory())
    statuses = [r.status_code for r in calls_until_limited(api, 3, token=token)]  # type: ignore[attr-defined]
    assert statuses == [200, 200, 200, 429]
    keys = list(caches["default"]._cache.get_client().scan_iter("*api-rate:token:*"))
    assert keys, "the count is not in Redis"

import importlib

import pytest
from django.test import Client, override_settings
from django.urls import clear_url_caches

from imscan.core.models import BenchRow


@pytest.mark.django_db
def test_benchmark_ceiling_views_are_not_mounted_by_default(client: Client) -> None:
    assert client.get("/bench/ok/").status_code == 404
    assert client.post("/bench/insert/").status_code == 404


@pytest.mark.django_db
def test_benchmark_ceiling_views_when_asked_for(client: Client) -> None:
    from imscan.config import urls

    try:
        with override_settings(IMSCAN_BENCH_VIEWS=True):
            importlib.reload(urls)
            clear_url_caches()
            assert client.get("/bench/ok/").content == b"ok"
            assert client.post("/bench/insert/").status_code == 200
            assert BenchRow.objects.count() == 1
    finally:
        importlib.reload(urls)
        clear_url_caches()
    assert client.get("/bench/ok/").status_code == 404

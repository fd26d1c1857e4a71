"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser for the whole session, a fresh context (cookies, storage) per test. Playwright
cannot download browsers here, so the tests use /usr/bin/chromium and are skipped when it
is missing. Set IMSCAN_SCREENSHOTS=/some/dir to keep full-page screenshots of the pages
the tests visit.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test of the session."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(
            f"Chromium is missing at {CHROMIUM}: install Debian's chromium "
            "(apt-get install chromium, or `make browser` as root); Playwright cannot "
            "download its own browsers here"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread from here to the
    # end of the session, so Django would refuse every ORM call as "async unsafe".
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()


@pytest.fixture
def new_context(browser: Any) -> Iterator[Callable[..., Any]]:
    """Make browser contexts (a fresh profile each) that are closed after the test."""
    made: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(viewport=VIEWPORT, **options)
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def shipped_models(transactional_db: None) -> list[Any]:
    """The shipped models, stored as `imscan loadmodels` does (again after every flush)."""
    from imscan.catalog.services import shipped_models_load

    return shipped_models_load()


@pytest.fixture
def ims_model(shipped_models: list[Any]) -> Any:
    """The parsed IMS model (imscan.engine.MaturityModel) of the stored version."""
    from imscan.catalog.selectors import engine_model

    (version,) = [
        outcome.version for outcome in shipped_models if outcome.version.model_id == "ims-gov"
    ]
    return engine_model(version)


@pytest.fixture
def screenshot() -> Callable[[Any, str], None]:
    """Save a full-page PNG of a page when IMSCAN_SCREENSHOTS names a directory."""
    directory = os.environ.get("IMSCAN_SCREENSHOTS")

    def take(page: Any, name: str) -> None:
        if not directory:
            return
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)

    return take


# The home page offers every shipped model; the IMS scan's start button.
IMS_START = (
    "form[action$='/scan/start/']:has(input[name='model'][value='ims-gov']) button[type='submit']"
)

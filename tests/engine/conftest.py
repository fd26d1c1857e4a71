"""Fixtures for the engine tests: plain Python, no Django settings or database needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from imscan.engine import MaturityModel, load_model_path

MODELS = Path(__file__).resolve().parent / "models"
BROKEN = MODELS / "broken"
# The statements of mean-bands.yaml, in model order.
MEAN_BANDS_STATEMENTS = (
    "goals-1",
    "goals-2",
    "goals-3",
    "commitment-1",
    "commitment-2",
    "people-1",
    "people-2",
)


@pytest.fixture(scope="session")
def mean_bands() -> MaturityModel:
    return load_model_path(MODELS / "mean-bands.yaml")


@pytest.fixture(scope="session")
def staircase() -> MaturityModel:
    return load_model_path(MODELS / "staircase.yaml")


@pytest.fixture(scope="session")
def cumulative() -> MaturityModel:
    return load_model_path(MODELS / "cumulative.yaml")

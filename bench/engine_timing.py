"""Scoring speed of the pure engine on the shipped model, timed with timeit."""

from __future__ import annotations

import math
import random
import statistics
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from imscan.engine import MaturityModel, RespondentAnswers, load_model_path, score, score_many

TEAM_SIZE = 50
DONT_KNOW_SHARE = 0.1  # about one answer in ten is "don't know" (None)


@dataclass(frozen=True)
class EngineResult:
    statements: int
    one_ms: float  # median per respondent, score()
    one_runs: int
    many_ms: float  # median per respondent, score_many() over TEAM_SIZE respondents
    many_runs: int
    team_size: int
    batches: int


def random_answers(model: MaturityModel, rng: random.Random) -> dict[str, float | None]:
    answers: dict[str, float | None] = {}
    for statement in model.statements():
        values = model.scale_of(statement.id).values
        answers[statement.id] = None if rng.random() < DONT_KNOW_SHARE else rng.choice(values)
    return answers


def median_seconds(call: Callable[[], object], repeat: int, batch_s: float) -> tuple[float, int]:
    """Median seconds per call over `repeat` timeit batches of about `batch_s` each."""
    timer = timeit.Timer(call)
    estimate = timer.timeit(number=20) / 20
    number = max(1, math.ceil(batch_s / max(estimate, 1e-9)))
    batches = timer.repeat(repeat=repeat, number=number)
    return statistics.median(batch / number for batch in batches), number * repeat


def measure_engine(model_path: Path, seed: int = 56002, repeat: int = 21) -> EngineResult:
    model = load_model_path(model_path)
    rng = random.Random(seed)
    one = random_answers(model, rng)
    team = [
        RespondentAnswers(
            group=rng.choice(["management", "staff"]), answers=random_answers(model, rng)
        )
        for _ in range(TEAM_SIZE)
    ]
    score(model, one)  # warm: the model's lookups are built on load, but be sure
    score_many(model, team)
    one_s, one_runs = median_seconds(lambda: score(model, one), repeat, 0.05)
    many_s, many_runs = median_seconds(lambda: score_many(model, team), repeat, 0.05)
    return EngineResult(
        statements=len(model.statements()),
        one_ms=one_s * 1000,
        one_runs=one_runs,
        many_ms=many_s / TEAM_SIZE * 1000,
        many_runs=many_runs * TEAM_SIZE,
        team_size=TEAM_SIZE,
        batches=repeat,
    )

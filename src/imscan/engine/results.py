"""What scoring returns, and its JSON form (a contract with the CLI's users)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from imscan.engine.schema import Advice

_DECIMALS = 4


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, _DECIMALS)


@dataclass(frozen=True, slots=True)
class RespondentAnswers:
    """One respondent's answers in a scan with many; `group` is e.g. managers or staff."""

    group: str
    answers: Mapping[str, float | None]


@dataclass(frozen=True, slots=True)
class Spread:
    """How the respondents' scores of one node differ; sd is the population deviation."""

    n: int  # respondents with a score for the node
    sd: float | None
    min: float | None
    max: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "sd": _round(self.sd),
            "min": _round(self.min),
            "max": _round(self.max),
        }


@dataclass(frozen=True, slots=True)
class NodeScore:
    """A node's score and level; answered/total count statements (times respondents)."""

    node_id: str
    score: float | None
    level: int | None
    answered: int
    total: int
    spread: Spread | None = None  # only for a result of score_many

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "score": _round(self.score),
            "level": self.level,
            "answered": self.answered,
            "total": self.total,
        }
        if self.spread is not None:
            data["spread"] = self.spread.to_json()
        return data


@dataclass(frozen=True, slots=True)
class DevelopmentPoint:
    """A part below the target level; priority = how much the overall score would gain."""

    node_id: str
    score: float
    level: int
    target_level: int
    priority: float
    advice: Advice | None  # the part's advice at its own level

    def to_json(self) -> dict[str, Any]:
        links = self.advice.links if self.advice is not None else []
        return {
            "node": self.node_id,
            "score": _round(self.score),
            "level": self.level,
            "target_level": self.target_level,
            "priority": _round(self.priority),
            "advice": dict(self.advice.text) if self.advice is not None else None,
            "links": [{"title": dict(link.title), "url": link.url} for link in links],
        }


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """The outcome of a scan. `overall.node_id` is "": it stands for the whole model."""

    model_id: str
    model_version: str
    method: str
    respondents: int
    overall: NodeScore
    nodes: dict[str, NodeScore]  # every node, in model order
    development_points: list[DevelopmentPoint]

    def to_json(self) -> dict[str, Any]:
        return {
            "model": {"id": self.model_id, "version": self.model_version},
            "method": self.method,
            "respondents": self.respondents,
            "overall": {"score": _round(self.overall.score), "level": self.overall.level},
            "nodes": {node_id: node.to_json() for node_id, node in self.nodes.items()},
            "development_points": [point.to_json() for point in self.development_points],
        }

"""The shape of a maturity model, checked by pydantic, with the lookups the app needs.

The schema checks shape only. Rules that relate one part of the file to another
(translations, unique ids, bands against scales, ...) are in rules.py, which runs on the
raw data so that every problem is reported in one pass. Build a model with
`load_model_text` or `load_model_path`: constructing one directly skips those rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"
METHODS = ("mean-bands", "staircase", "cumulative")

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Language = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
# A text: language code -> the text in that language.
Text = dict[str, str]
Weight = Annotated[float, Field(gt=0)]
Method = Literal["mean-bands", "staircase", "cumulative"]


def tr(text: Mapping[str, str], lang: str, fallback: Sequence[str] = ("nl", "en")) -> str:
    """The text in `lang`, else in the first fallback language present, else any; "" if none."""
    for code in (lang, *fallback):
        value = text.get(code)
        if value:
            return value
    return next(iter(text.values()), "")


class _Schema(BaseModel):
    # Strict: in a hand-edited file `version: 1.0` or `level: "2"` is a slip to report,
    # not to coerce. Frozen: a loaded model version is immutable, and lookups are cached.
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        allow_inf_nan=False,
        serialize_by_alias=True,
    )


class ScaleOption(_Schema):
    value: float | None = None
    not_applicable: bool = False
    label: Text


class Scale(_Schema):
    options: list[ScaleOption]

    # cached_property, not PrivateAttr: pydantic serves private attributes through a slow
    # __getattr__, and scoring asks for these per answer.
    @cached_property
    def _values(self) -> frozenset[float]:
        return frozenset(self.values)

    @property
    def values(self) -> list[float]:
        """The answer values, in file order (the "don't know" option has none)."""
        return [option.value for option in self.options if option.value is not None]

    @property
    def lowest(self) -> float:
        return min(self._values)

    @property
    def highest(self) -> float:
        return max(self._values)

    @property
    def not_applicable_option(self) -> ScaleOption | None:
        return next((option for option in self.options if option.not_applicable), None)

    def has_value(self, value: float) -> bool:
        return value in self._values


class LeadTime(_Schema):
    min: Annotated[int, Field(ge=0)]
    max: Annotated[int, Field(ge=0)]


class Level(_Schema):
    level: int
    name: Text
    description: Text
    lead_time_months: LeadTime | None = None


class Band(_Schema):
    level: int
    from_: float = Field(alias="from")


class Scoring(_Schema):
    method: Method
    bands: list[Band] | None = None
    pass_from: float | None = None


class Link(_Schema):
    title: Text
    url: str


class Advice(_Schema):
    text: Text
    links: list[Link] = []


class Statement(_Schema):
    id: Id
    scale: str
    text: Text
    info: Text
    weight: Weight = 1.0
    level: int | None = None


class Node(_Schema):
    id: Id
    title: Text
    description: Text | None = None
    weight: Weight = 1.0
    advice: dict[int, Advice] = {}
    children: list[Node] | None = None
    statements: list[Statement] | None = None

    @property
    def is_part(self) -> bool:
        """A part holds statements; the other nodes group parts (or other groups)."""
        return self.statements is not None


@dataclass(frozen=True)
class _Index:
    nodes: tuple[Node, ...]  # depth-first, each node before its children
    statements: tuple[Statement, ...]
    parts: tuple[Node, ...]
    node_by_id: dict[str, Node]
    statement_by_id: dict[str, Statement]
    parent: dict[str, Node | None]
    level_by_number: dict[int, Level]
    statement_count: dict[str, int]
    share: dict[str, float]
    scale_by_statement: dict[str, Scale]


def _build_index(model: MaturityModel) -> _Index:
    nodes: list[Node] = []
    statements: list[Statement] = []
    parent: dict[str, Node | None] = {}
    statement_count: dict[str, int] = {}
    share: dict[str, float] = {}

    def visit(siblings: Sequence[Node], above: Node | None, above_share: float) -> int:
        total_weight = sum(node.weight for node in siblings)
        count = 0
        for node in siblings:
            nodes.append(node)
            parent[node.id] = above
            share[node.id] = above_share * node.weight / total_weight
            if node.statements is not None:
                statements.extend(node.statements)
                parent.update((statement.id, node) for statement in node.statements)
                statement_count[node.id] = len(node.statements)
            else:
                statement_count[node.id] = visit(node.children or [], node, share[node.id])
            count += statement_count[node.id]
        return count

    visit(model.dimensions, None, 1.0)
    return _Index(
        nodes=tuple(nodes),
        statements=tuple(statements),
        parts=tuple(node for node in nodes if node.is_part),
        node_by_id={node.id: node for node in nodes},
        statement_by_id={statement.id: statement for statement in statements},
        parent=parent,
        level_by_number={level.level: level for level in model.levels},
        statement_count=statement_count,
        share=share,
        # An unknown scale is a rule violation; such a model never loads, but must build.
        scale_by_statement={
            statement.id: model.scales[statement.scale]
            for statement in statements
            if statement.scale in model.scales
        },
    )


class MaturityModel(_Schema):
    id: Id
    version: Annotated[str, StringConstraints(min_length=1)]
    languages: Annotated[list[Language], Field(min_length=1)]
    title: Text
    description: Text | None = None
    scales: dict[Id, Scale]
    levels: list[Level]
    scoring: Scoring
    dimensions: list[Node]

    def model_post_init(self, context: object, /) -> None:
        # Build the lookups now, once, rather than on the first request that needs them.
        self._index  # noqa: B018

    @cached_property
    def _index(self) -> _Index:
        return _build_index(self)

    @property
    def level_count(self) -> int:
        """N: the levels are numbered 1..N."""
        return len(self.levels)

    @property
    def score_range(self) -> tuple[float, float]:
        """The lowest and highest possible score: the answer scale's for mean-bands, else 1..N."""
        if self.scoring.method == "mean-bands" and self._index.statements:
            scale = self.scale_of(self._index.statements[0].id)
            return (scale.lowest, scale.highest)
        return (1.0, float(self.level_count))

    def nodes(self) -> list[Node]:
        """Every node, depth-first: each node before its children."""
        return list(self._index.nodes)

    def top_nodes(self) -> list[Node]:
        return list(self.dimensions)

    def parts(self) -> list[Node]:
        """The nodes that hold statements, in model order."""
        return list(self._index.parts)

    def statements(self) -> list[Statement]:
        return list(self._index.statements)

    @property
    def statement_total(self) -> int:
        return len(self._index.statements)

    @property
    def statement_ids(self) -> Mapping[str, Statement]:
        """Statements by id, for fast membership tests."""
        return self._index.statement_by_id

    def node(self, node_id: str) -> Node:
        return self._index.node_by_id[node_id]

    def statement(self, statement_id: str) -> Statement:
        return self._index.statement_by_id[statement_id]

    def parent_of(self, item_id: str) -> Node | None:
        """The node above a node or statement; None for a top node. KeyError if unknown."""
        return self._index.parent[item_id]

    def level(self, number: int) -> Level:
        return self._index.level_by_number[number]

    def scale_of(self, statement_id: str) -> Scale:
        return self._index.scale_by_statement[statement_id]

    def statement_count(self, node_id: str) -> int:
        """How many statements lie beneath a node."""
        return self._index.statement_count[node_id]

    def share(self, node_id: str) -> float:
        """The node's weight in the overall score: along its path, weight / sum of siblings'."""
        return self._index.share[node_id]

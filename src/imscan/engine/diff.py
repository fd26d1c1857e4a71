"""What changed between two versions of a model, and which scores stay comparable.

`diff_models(old, new)` lists every difference between two loaded models as `Change`s:
items are matched by id (statements, nodes, scales) or by number (levels), so a statement
that keeps its id but changes its words is *reworded*, one that changes its part is *moved*.
Two models without changes are equal (`old == new`), and the other way round.

Per part it gives a verdict: its scores are **comparable** when the part holds the same
statements in both versions, each with the same answer values, weight and level, and the
scoring (method, its parameters, the number of levels) is the same. Reworded texts and
renamed parts keep a part comparable; they are listed as notes. The overall score is
comparable when every part is and the tree above the parts (which node sits where, with
which weight) is unchanged. Explained in docs/model-format.md, "Comparing versions".
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from imscan.engine.schema import Advice, Level, MaturityModel, Node, Scale, Statement

# Every kind of change, in the order a report lists them.
KINDS = (
    "model-changed",
    "scale-added",
    "scale-removed",
    "scale-changed",
    "level-added",
    "level-removed",
    "level-changed",
    "scoring-changed",
    "node-added",
    "node-removed",
    "node-renamed",
    "node-moved",
    "node-changed",
    "statement-added",
    "statement-removed",
    "statement-reworded",
    "statement-moved",
    "statement-scale-changed",
    "statement-changed",
    "reordered",
)


def _fmt(number: float) -> str:
    """1.0 as 1, 0.25 as 0.25: numbers as an author writes them."""
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def _number(value: float) -> float | int:
    """A whole float as an int for JSON output (1 rather than 1.0)."""
    return int(value) if value.is_integer() and abs(value) < 1e15 else value


@dataclass(frozen=True)
class Change:
    """One difference. `item` is the id of what changed (a level's number as text; "" for
    the model itself or its top level); `field` and `language` say which of its values;
    `old` and `new` are JSON values, None where there was or is none."""

    kind: str
    item: str
    field: str = ""
    language: str = ""
    old: Any = None
    new: Any = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "item": self.item,
            "field": self.field,
            "language": self.language,
            "old": self.old,
            "new": self.new,
        }


@dataclass(frozen=True)
class PartVerdict:
    """Whether a part's scores in the two versions can be compared, and why (not)."""

    part: str
    comparable: bool
    reasons: tuple[str, ...] = ()  # why not comparable
    notes: tuple[str, ...] = ()  # comparable, but worth knowing

    def to_json(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "comparable": self.comparable,
            "reasons": list(self.reasons),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class ModelDiff:
    old_id: str
    old_version: str
    new_id: str
    new_version: str
    changes: tuple[Change, ...]
    parts: tuple[PartVerdict, ...]  # the new version's parts in order, then removed ones
    overall_comparable: bool
    overall_reasons: tuple[str, ...] = ()

    @property
    def identical(self) -> bool:
        return not self.changes

    def of_kind(self, *kinds: str) -> list[Change]:
        return [change for change in self.changes if change.kind in kinds]

    @property
    def added(self) -> set[tuple[str, str]]:
        """What only the new version has: (scale | level | node | statement, id)."""
        return {
            (change.kind.removesuffix("-added"), change.item)
            for change in self.changes
            if change.kind.endswith("-added")
        }

    @property
    def removed(self) -> set[tuple[str, str]]:
        """What only the old version has: (scale | level | node | statement, id)."""
        return {
            (change.kind.removesuffix("-removed"), change.item)
            for change in self.changes
            if change.kind.endswith("-removed")
        }

    def verdict(self, part_id: str) -> PartVerdict | None:
        return next((verdict for verdict in self.parts if verdict.part == part_id), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "old": {"id": self.old_id, "version": self.old_version},
            "new": {"id": self.new_id, "version": self.new_version},
            "identical": self.identical,
            "changes": [change.to_json() for change in self.changes],
            "parts": [verdict.to_json() for verdict in self.parts],
            "overall": {
                "comparable": self.overall_comparable,
                "reasons": list(self.overall_reasons),
            },
        }


def _text_changes(
    kind: str,
    item: str,
    name: str,
    old: Mapping[str, str] | None,
    new: Mapping[str, str] | None,
) -> Iterator[Change]:
    """One change per language whose text differs (added or dropped languages too)."""
    old, new = old or {}, new or {}
    for language in dict.fromkeys([*old, *new]):
        if old.get(language) != new.get(language):
            yield Change(kind, item, name, language, old.get(language), new.get(language))


def _option_key(value: float | None) -> str:
    return "n/a" if value is None else _fmt(value)


def _scale_changes(scale_id: str, old: Scale, new: Scale) -> Iterator[Change]:
    kind = "scale-changed"
    old_values = [_number(value) for value in old.values]
    new_values = [_number(value) for value in new.values]
    if old_values != new_values:
        yield Change(kind, scale_id, "values", old=old_values, new=new_values)
    old_na, new_na = old.not_applicable_option, new.not_applicable_option
    if (old_na is None) != (new_na is None):
        yield Change(
            kind, scale_id, "not_applicable", old=old_na is not None, new=new_na is not None
        )
    old_order = [_option_key(option.value) for option in old.options]
    new_order = [_option_key(option.value) for option in new.options]
    if old_values == new_values and (old_na is None) == (new_na is None) and old_order != new_order:
        # The same values in the same order: the "don't know" option moved.
        yield Change(kind, scale_id, "order", old=old_order, new=new_order)
    old_labels = {_option_key(option.value): option.label for option in old.options}
    new_labels = {_option_key(option.value): option.label for option in new.options}
    for key in dict.fromkeys([*new_labels, *old_labels]):
        if key in old_labels and key in new_labels:
            yield from _text_changes(
                kind, scale_id, f"label[{key}]", old_labels[key], new_labels[key]
            )
        elif key in new_labels:
            yield Change(kind, scale_id, f"label[{key}]", new=dict(new_labels[key]))
        else:
            yield Change(kind, scale_id, f"label[{key}]", old=dict(old_labels[key]))


def _lead_time(level: Level) -> dict[str, int] | None:
    lead = level.lead_time_months
    return None if lead is None else {"min": lead.min, "max": lead.max}


def _level_json(level: Level) -> dict[str, Any]:
    return {"name": dict(level.name), "lead_time_months": _lead_time(level)}


def _level_changes(old: Level, new: Level) -> Iterator[Change]:
    item = str(new.level)
    yield from _text_changes("level-changed", item, "name", old.name, new.name)
    yield from _text_changes("level-changed", item, "description", old.description, new.description)
    if _lead_time(old) != _lead_time(new):
        yield Change(
            "level-changed", item, "lead_time_months", old=_lead_time(old), new=_lead_time(new)
        )


def _scoring_changes(old: MaturityModel, new: MaturityModel) -> Iterator[Change]:
    kind = "scoring-changed"
    if old.scoring.method != new.scoring.method:
        yield Change(kind, "", "method", old=old.scoring.method, new=new.scoring.method)
    if old.scoring.pass_from != new.scoring.pass_from:
        old_pass, new_pass = old.scoring.pass_from, new.scoring.pass_from
        yield Change(
            kind,
            "",
            "pass_from",
            old=None if old_pass is None else _number(old_pass),
            new=None if new_pass is None else _number(new_pass),
        )
    old_bands = [(band.level, band.from_) for band in old.scoring.bands or ()]
    new_bands = [(band.level, band.from_) for band in new.scoring.bands or ()]
    if old_bands == new_bands:
        return
    old_from, new_from = dict(old_bands), dict(new_bands)
    if len(old_from) != len(old_bands) or len(new_from) != len(new_bands):
        # Not in a valid model (a band per level, once each); kept complete regardless.
        yield Change(kind, "", "bands", old=old_bands, new=new_bands)
        return
    for level in sorted(old_from.keys() | new_from.keys()):
        before, after = old_from.get(level), new_from.get(level)
        if before != after:
            yield Change(
                kind,
                str(level),
                "band",
                old=None if before is None else _number(before),
                new=None if after is None else _number(after),
            )
    if [level for level, _ in old_bands] != [level for level, _ in new_bands] and sorted(
        old_bands
    ) == sorted(new_bands):
        yield Change(kind, "", "bands", old=old_bands, new=new_bands)


def _advice_json(advice: Advice) -> dict[str, Any]:
    return {
        "text": dict(advice.text),
        "links": [{"title": dict(link.title), "url": link.url} for link in advice.links],
    }


def _node_changes(old: Node, new: Node) -> Iterator[Change]:
    kind, item = "node-changed", new.id
    yield from _text_changes("node-renamed", item, "title", old.title, new.title)
    yield from _text_changes(kind, item, "description", old.description, new.description)
    if old.is_part != new.is_part:
        yield Change(kind, item, "kind", old=_node_kind(old), new=_node_kind(new))
    if old.weight != new.weight:
        yield Change(kind, item, "weight", old=_number(old.weight), new=_number(new.weight))
    for level in sorted(old.advice.keys() | new.advice.keys()):
        before, after = old.advice.get(level), new.advice.get(level)
        name = f"advice[{level}]"
        if before is None or after is None:
            yield Change(
                kind,
                item,
                name,
                old=None if before is None else _advice_json(before),
                new=None if after is None else _advice_json(after),
            )
            continue
        yield from _text_changes(kind, item, f"{name}.text", before.text, after.text)
        if before.links != after.links:
            yield Change(
                kind,
                item,
                f"{name}.links",
                old=_advice_json(before)["links"],
                new=_advice_json(after)["links"],
            )


def _node_kind(node: Node) -> str:
    return "part" if node.is_part else "group"


def _scale_values(model: MaturityModel, statement: Statement) -> list[float] | None:
    scale = model.scales.get(statement.scale)
    return None if scale is None else sorted(scale.values)


def _statement_changes(old: Statement, new: Statement) -> Iterator[Change]:
    item = new.id
    yield from _text_changes("statement-reworded", item, "text", old.text, new.text)
    yield from _text_changes("statement-reworded", item, "info", old.info, new.info)
    if old.scale != new.scale:
        yield Change("statement-scale-changed", item, "scale", old=old.scale, new=new.scale)
    if old.weight != new.weight:
        yield Change(
            "statement-changed", item, "weight", old=_number(old.weight), new=_number(new.weight)
        )
    if old.level != new.level:
        yield Change("statement-changed", item, "level", old=old.level, new=new.level)


def _parent_id(model: MaturityModel, item_id: str) -> str | None:
    parent = model.parent_of(item_id)
    return None if parent is None else parent.id


def _children(node: Node) -> list[str]:
    if node.statements is not None:
        return [statement.id for statement in node.statements]
    return [child.id for child in node.children or []]


def _orders(model: MaturityModel) -> dict[str, list[str]]:
    """Per parent ("" for the top of the tree): the ids beneath it, in order."""
    orders = {"": [node.id for node in model.dimensions]}
    for node in model.nodes():
        orders[node.id] = _children(node)
    return orders


def _reorders(old: MaturityModel, new: MaturityModel) -> Iterator[Change]:
    old_orders, new_orders = _orders(old), _orders(new)
    for parent, new_ids in new_orders.items():
        old_ids = old_orders.get(parent)
        if old_ids is None:
            continue
        common = set(old_ids) & set(new_ids)
        before = [item for item in old_ids if item in common]
        after = [item for item in new_ids if item in common]
        if before != after:
            yield Change("reordered", parent, "children", old=before, new=after)


class _Differ:
    def __init__(self, old: MaturityModel, new: MaturityModel) -> None:
        self.old, self.new = old, new
        self.old_nodes = {node.id: node for node in old.nodes()}
        self.new_nodes = {node.id: node for node in new.nodes()}
        self.old_statements = old.statement_ids
        self.new_statements = new.statement_ids

    def changes(self) -> list[Change]:
        changes = [
            *self.model_changes(),
            *self.scale_changes(),
            *self.level_changes(),
            *_scoring_changes(self.old, self.new),
            *self.node_changes(),
            *self.statement_changes(),
            *_reorders(self.old, self.new),
        ]
        order = {kind: index for index, kind in enumerate(KINDS)}
        # Stable: within a kind, the order of the model.
        return sorted(changes, key=lambda change: order[change.kind])

    def model_changes(self) -> Iterator[Change]:
        old, new = self.old, self.new
        for name in ("id", "version"):
            if getattr(old, name) != getattr(new, name):
                yield Change(
                    "model-changed", "", name, old=getattr(old, name), new=getattr(new, name)
                )
        if old.languages != new.languages:
            yield Change("model-changed", "", "languages", old=old.languages, new=new.languages)
        yield from _text_changes("model-changed", "", "title", old.title, new.title)
        yield from _text_changes(
            "model-changed", "", "description", old.description, new.description
        )

    def scale_changes(self) -> Iterator[Change]:
        old, new = self.old.scales, self.new.scales
        for scale_id in new:
            if scale_id not in old:
                yield Change(
                    "scale-added", scale_id, new=[_number(v) for v in new[scale_id].values]
                )
            elif old[scale_id] != new[scale_id]:
                yield from _scale_changes(scale_id, old[scale_id], new[scale_id])
        for scale_id in old:
            if scale_id not in new:
                yield Change(
                    "scale-removed", scale_id, old=[_number(v) for v in old[scale_id].values]
                )

    def level_changes(self) -> Iterator[Change]:
        old = {level.level: level for level in self.old.levels}
        new = {level.level: level for level in self.new.levels}
        for number, level in new.items():
            if number not in old:
                yield Change("level-added", str(number), new=_level_json(level))
            else:
                yield from _level_changes(old[number], level)
        for number, level in old.items():
            if number not in new:
                yield Change("level-removed", str(number), old=_level_json(level))

    def node_changes(self) -> Iterator[Change]:
        for node_id, node in self.new_nodes.items():
            parent = _parent_id(self.new, node_id)
            if node_id not in self.old_nodes:
                yield Change("node-added", node_id, _node_kind(node), new=parent)
                continue
            old_parent = _parent_id(self.old, node_id)
            if old_parent != parent:
                yield Change("node-moved", node_id, "parent", old=old_parent, new=parent)
            yield from _node_changes(self.old_nodes[node_id], node)
        for node_id, node in self.old_nodes.items():
            if node_id not in self.new_nodes:
                yield Change(
                    "node-removed", node_id, _node_kind(node), old=_parent_id(self.old, node_id)
                )

    def statement_changes(self) -> Iterator[Change]:
        for statement_id, statement in self.new_statements.items():
            part = _parent_id(self.new, statement_id)
            if statement_id not in self.old_statements:
                yield Change("statement-added", statement_id, "part", new=part)
                continue
            old_part = _parent_id(self.old, statement_id)
            if old_part != part:
                yield Change("statement-moved", statement_id, "part", old=old_part, new=part)
            yield from _statement_changes(self.old_statements[statement_id], statement)
        for statement_id in self.old_statements:
            if statement_id not in self.new_statements:
                yield Change(
                    "statement-removed",
                    statement_id,
                    "part",
                    old=_parent_id(self.old, statement_id),
                )

    # Comparability

    def scoring_reasons(self) -> list[str]:
        old, new = self.old, self.new
        reasons = []
        if old.scoring.method != new.scoring.method:
            reasons.append(
                f"the scoring method changed from {old.scoring.method} to {new.scoring.method}"
            )
        elif old.scoring != new.scoring:
            reasons.append("the scoring changed (bands or pass_from)")
        if old.level_count != new.level_count:
            reasons.append(
                f"the number of levels changed from {old.level_count} to {new.level_count}"
            )
        return reasons

    def part_verdict(self, part_id: str, scoring: Sequence[str]) -> PartVerdict:
        old, new = self.old_nodes.get(part_id), self.new_nodes.get(part_id)
        if old is None or new is None:
            where = "new" if old is None else "old"
            return PartVerdict(part_id, False, (f"only in the {where} version",))
        if not (old.is_part and new.is_part):
            return PartVerdict(part_id, False, ("a part in one version, a group in the other",))
        reasons: list[str] = list(scoring)
        notes: list[str] = []
        old_ids = [statement.id for statement in old.statements or []]
        new_ids = [statement.id for statement in new.statements or []]
        for statement_id in new_ids:
            if statement_id not in old_ids:
                came_from = self._part_in(self.old, statement_id)
                reasons.append(
                    f"statement {statement_id} was added"
                    if came_from is None
                    else f"statement {statement_id} moved here from {came_from}"
                )
        for statement_id in old_ids:
            if statement_id not in new_ids:
                went_to = self._part_in(self.new, statement_id)
                reasons.append(
                    f"statement {statement_id} was removed"
                    if went_to is None
                    else f"statement {statement_id} moved to {went_to}"
                )
        for statement_id in new_ids:
            if statement_id in old_ids:
                self._compare_statement(statement_id, reasons, notes)
        if old.title != new.title:
            notes.append("the part was renamed")
        return PartVerdict(part_id, not reasons, tuple(reasons), tuple(notes))

    def _part_in(self, model: MaturityModel, statement_id: str) -> str | None:
        if statement_id not in model.statement_ids:
            return None
        return _parent_id(model, statement_id)

    def _compare_statement(self, statement_id: str, reasons: list[str], notes: list[str]) -> None:
        before, after = self.old_statements[statement_id], self.new_statements[statement_id]
        if _scale_values(self.old, before) != _scale_values(self.new, after):
            reasons.append(f"the answer values of statement {statement_id} changed")
        elif self._labels(self.old, before) != self._labels(self.new, after):
            notes.append(f"the answer labels of statement {statement_id} changed")
        if before.weight != after.weight:
            reasons.append(
                f"the weight of statement {statement_id} changed from "
                f"{_fmt(before.weight)} to {_fmt(after.weight)}"
            )
        if before.level != after.level:
            reasons.append(
                f"statement {statement_id} is a criterion for level {after.level}, "
                f"was {before.level}"
            )
        languages = [
            change.language for change in _text_changes("", "", "", before.text, after.text)
        ]
        if languages:
            notes.append(f"statement {statement_id} was reworded ({', '.join(languages)})")

    @staticmethod
    def _labels(model: MaturityModel, statement: Statement) -> dict[float | None, dict[str, str]]:
        scale = model.scales.get(statement.scale)
        options = scale.options if scale is not None else []
        return {option.value: dict(option.label) for option in options}

    def verdicts(self) -> tuple[list[PartVerdict], list[str]]:
        scoring = self.scoring_reasons()
        part_ids = [part.id for part in self.new.parts()]
        part_ids += [part.id for part in self.old.parts() if part.id not in set(part_ids)]
        verdicts = [self.part_verdict(part_id, scoring) for part_id in part_ids]
        reasons = list(scoring)
        # Parts held back by more than the scoring (which is listed once, above).
        blocked = [
            verdict.part
            for verdict in verdicts
            if any(reason not in scoring for reason in verdict.reasons)
        ]
        if blocked:
            reasons.append(f"parts not comparable: {', '.join(blocked)}")
        reasons.extend(self.tree_reasons())
        return verdicts, reasons

    def tree_reasons(self) -> list[str]:
        """Changes above the parts that change how part scores add up to the whole."""
        reasons = []
        for node_id, node in self.new_nodes.items():
            old = self.old_nodes.get(node_id)
            if old is None:
                if not node.is_part:
                    reasons.append(f"group {node_id} was added")
                continue
            if _parent_id(self.old, node_id) != _parent_id(self.new, node_id):
                reasons.append(f"{_node_kind(node)} {node_id} moved")
            if old.weight != node.weight:
                reasons.append(
                    f"the weight of {_node_kind(node)} {node_id} changed from "
                    f"{_fmt(old.weight)} to {_fmt(node.weight)}"
                )
        for node_id, node in self.old_nodes.items():
            if node_id not in self.new_nodes and not node.is_part:
                reasons.append(f"group {node_id} was removed")
        return reasons


def diff_models(old: MaturityModel, new: MaturityModel) -> ModelDiff:
    """Every difference between two versions of a model, with comparability verdicts."""
    differ = _Differ(old, new)
    changes = differ.changes()
    verdicts, reasons = differ.verdicts()
    return ModelDiff(
        old_id=old.id,
        old_version=old.version,
        new_id=new.id,
        new_version=new.version,
        changes=tuple(changes),
        parts=tuple(verdicts),
        overall_comparable=not reasons,
        overall_reasons=tuple(reasons),
    )


# The readable report of `imscan diff`.

_SECTIONS = (
    ("Model", ("model-changed",)),
    ("Answer scales", ("scale-added", "scale-removed", "scale-changed")),
    ("Levels", ("level-added", "level-removed", "level-changed")),
    ("Scoring", ("scoring-changed",)),
    (
        "Parts and groups",
        ("node-added", "node-removed", "node-renamed", "node-moved", "node-changed"),
    ),
    (
        "Statements",
        (
            "statement-added",
            "statement-removed",
            "statement-reworded",
            "statement-moved",
            "statement-scale-changed",
            "statement-changed",
        ),
    ),
    ("Order", ("reordered",)),
)
_SHORT = 60  # texts up to this length fit on the line of their change
_WIDTH = 100


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dict) and set(value) == {"min", "max"}:
        return f"{value['min']}-{value['max']} months"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return _fmt(float(value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return ", ".join(_show(item) if not isinstance(item, str) else item for item in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _where(change: Change) -> str:
    language = f" [{change.language}]" if change.language else ""
    return f"{change.field}{language}"


def _old_new(change: Change) -> list[str]:
    """`old -> new` on one line, or on two lines below it for long texts."""
    old, new = _show(change.old), _show(change.new)
    long_text = any(
        isinstance(value, str) and (len(value) > _SHORT or "\n" in value)
        for value in (change.old, change.new)
    )
    if not long_text:
        return [f"{old} -> {new}"]
    return ["", f"    - {old}", f"    + {new}"]


def _lines(change: Change) -> list[str]:
    kind, item = change.kind, change.item
    verb = kind.rsplit("-", 1)[-1]
    if kind in ("node-added", "node-removed"):
        where = change.new if kind == "node-added" else change.old
        place = f"in {where}" if where else "at the top"
        return [f"{verb:<9} {change.field} {item} ({place})"]
    if kind in ("statement-added", "statement-removed"):
        where = change.new if kind == "statement-added" else change.old
        return [f"{verb:<9} {item} ({'in' if kind == 'statement-added' else 'from'} {where})"]
    if kind in ("scale-added", "scale-removed"):
        return [f"{verb:<9} {item}: values {_show(change.new or change.old)}"]
    if kind in ("level-added", "level-removed"):
        value = change.new or change.old
        return [f"{verb:<9} level {item} ({_show(value['name'])})"]
    if kind in ("node-moved", "statement-moved"):
        old = change.old or "the top"
        new = change.new or "the top"
        return [f"{'moved':<9} {item} from {old} to {new}"]
    if kind == "reordered":
        where = f"beneath {item}" if item else "at the top"
        return [
            f"{'reordered':<9} {where}:",
            f"    - {_show(change.old)}",
            f"    + {_show(change.new)}",
        ]
    if kind == "model-changed":
        first, *rest = _old_new(change)
        return [f"{_where(change)}: {first}".rstrip(), *rest]
    if kind == "scoring-changed" and change.field == "band":
        first, *rest = _old_new(change)
        return [f"band for level {item} from: {first}", *rest]
    if kind == "scoring-changed":
        first, *rest = _old_new(change)
        return [f"{change.field}: {first}", *rest]
    label = {"statement-scale-changed": "scale", "level-changed": "changed"}.get(kind, verb)
    subject = f"level {item}" if kind == "level-changed" else item
    first, *rest = _old_new(change)
    return [f"{label:<9} {subject} {_where(change)}: {first}".rstrip(), *rest]


def format_report(diff: ModelDiff) -> str:
    """The diff as text for people: the changes by section, then what stays comparable."""
    old = f"{diff.old_id} {diff.old_version}"
    new = f"{diff.new_id} {diff.new_version}"
    if diff.identical:
        return f"{old} and {new} are identical: every score is comparable.\n"
    count = len(diff.changes)
    lines = [f"{old} -> {new}: {count} change{'s' if count != 1 else ''}"]
    for title, kinds in _SECTIONS:
        changes = diff.of_kind(*kinds)
        if changes:
            lines += ["", title]
            lines += [f"  {line}" for change in changes for line in _lines(change)]
    lines += ["", "Comparability"]
    comparable = [verdict for verdict in diff.parts if verdict.comparable]
    others = [verdict for verdict in diff.parts if not verdict.comparable]
    if comparable:
        names = ", ".join(verdict.part for verdict in comparable)
        lines += textwrap.wrap(
            f"comparable ({len(comparable)} of {len(diff.parts)} parts): {names}",
            width=_WIDTH,
            initial_indent="  ",
            subsequent_indent="    ",
            break_on_hyphens=False,
        )
    if others:
        lines.append(f"  not comparable ({len(others)} of {len(diff.parts)} parts):")
        lines += [f"    {v.part}: {'; '.join(v.reasons)}" for v in others]
    notes = [verdict for verdict in diff.parts if verdict.notes]
    if notes:
        lines.append("  notes:")
        lines += [f"    {v.part}: {'; '.join(v.notes)}" for v in notes]
    if diff.overall_comparable:
        lines.append("  overall score: comparable")
    else:
        lines.append(f"  overall score: not comparable: {'; '.join(diff.overall_reasons)}")
    return "\n".join(lines) + "\n"

"""From the rows of a workbook to a model file's YAML.

The Builder first checks how rows refer to each other (ids, parents, parts, order,
advice and links), then writes the YAML with a YamlWriter, so that the validator's
problems can be reported at the cells they came from.
"""

from __future__ import annotations

import math
from typing import Any

from imscan.authoring.reading import Reader, Row
from imscan.authoring.yamlwriter import Origin, YamlWriter

MAX_DEPTH = 45  # tree levels: the YAML validator stops at 100 nesting levels, 2 per level


class Builder:
    """Check how the rows refer to each other, then write the model file."""

    def __init__(self, tables: dict[str, list[Row]], reader: Reader) -> None:
        self.tables = tables
        self.reader = reader
        self.writer = YamlWriter()
        self.nodes: dict[str, Row] = {}
        self.children: dict[str | None, list[Row]] = {}
        self.statements: dict[str, list[Row]] = {}
        self.advice: dict[tuple[str, int], Row] = {}
        self.links: dict[tuple[str, int], list[Row]] = {}

    def duplicate(self, row: Row, column: str, what: str, first: Row) -> None:
        place = f"row {first.number}"
        if first.sheet != row.sheet:
            place = f"sheet '{first.sheet}', {place}"
        self.reader.problem(f"duplicate {what} (first at {place})", row.sheet, row.number, column)

    def unknown(self, row: Row, column: str, what: str) -> None:
        message = f"unknown {column} '{what}': no row of the dimensions sheet has that id"
        self.reader.problem(message, row.sheet, row.number, column)

    def check(self) -> None:
        ids: dict[str, Row] = {}
        for sheet in ("dimensions", "statements"):
            for row in self.tables[sheet]:
                item_id = row.get("id")
                if item_id is None:
                    continue
                if item_id in ids:
                    self.duplicate(row, "id", f"id '{item_id}'", ids[item_id])
                    continue
                ids[item_id] = row
                if sheet == "dimensions":
                    self.nodes[item_id] = row
        for row in self.nodes.values():
            parent = row.get("parent")
            if parent is not None and parent not in self.nodes:
                self.unknown(row, "parent", parent)
            else:
                self.children.setdefault(parent, []).append(row)
        for row in self.tables["statements"]:
            part = row.get("part")
            if part is None or ids.get(row.get("id")) is not row:
                continue
            if part not in self.nodes:
                self.unknown(row, "part", part)
            else:
                self.statements.setdefault(part, []).append(row)
        for rows in [*self.children.values(), *self.statements.values()]:
            self.check_order(rows)
        self.check_tree()
        self.check_advice()

    def check_advice(self) -> None:
        for row in self.tables["advice"]:
            part, level = row.get("part"), row.get("level")
            if part is None or level is None:
                continue
            if part not in self.nodes:
                self.unknown(row, "part", part)
            elif (part, level) in self.advice:
                what = f"advice for '{part}' at level {level}"
                self.duplicate(row, "level", what, self.advice[(part, level)])
            else:
                self.advice[(part, level)] = row
        for row in self.tables["links"]:
            part, level = row.get("part"), row.get("level")
            if part is None or level is None:
                continue
            if (part, level) not in self.advice:
                message = f"a link for '{part}' at level {level}, but no advice for it"
                self.reader.problem(
                    message + " on the advice sheet", row.sheet, row.number, "level"
                )
            else:
                self.links.setdefault((part, level), []).append(row)

    def check_order(self, rows: list[Row]) -> None:
        seen: dict[object, Row] = {}
        for row in rows:
            order = row.get("order")
            if order in seen:
                self.duplicate(row, "order", f"order {order} under the same parent", seen[order])
            elif order is not None:
                seen[order] = row
        rows.sort(key=lambda row: (_order_key(row.get("order")), row.number))

    def check_tree(self) -> None:
        reached: set[str] = set()
        todo = [(row, 1) for row in self.children.get(None, [])]
        while todo:
            row, depth = todo.pop()
            if depth > MAX_DEPTH:
                message = f"the tree is more than {MAX_DEPTH} levels deep"
                self.reader.problem(message, row.sheet, row.number, "parent")
                return
            reached.add(row.get("id"))
            todo += [(child, depth + 1) for child in self.children.get(row.get("id"), [])]
        reported: set[str] = set()
        for node_id in self.nodes:
            if node_id in reached or node_id in reported:
                continue
            chain = [node_id]
            while True:
                parent = self.nodes[chain[-1]].get("parent")
                if parent is None or parent not in self.nodes:
                    break  # under an unknown parent: reported as such
                if parent in chain:
                    cycle = [*chain[chain.index(parent) :], parent]
                    if not reported & set(cycle):
                        first = self.nodes[cycle[0]]
                        message = f"'{cycle[0]}' is its own ancestor: {' > '.join(cycle)}"
                        self.reader.problem(message, first.sheet, first.number, "parent")
                    reported.update(cycle)
                    break
                chain.append(parent)

    # Writing

    def write(self) -> YamlWriter:
        w = self.writer
        model = self.tables["model"][0]
        w.comment("A maturity model (see docs/model-format.md), made from a spreadsheet.")
        for name in ("id", "version", "languages"):
            if model.get(name) is not None:
                w.value(0, name, model.get(name), model.origin(name))
        for name in ("title", "description"):
            if model.get(name) is not None:
                w.text(0, name, model.get(name), model.origin(name))
        self.write_scales()
        self.write_levels()
        w.block(0, "scoring", model.origin("method"))
        for name in ("method", "pass_from"):
            if model.get(name) is not None:
                w.value(2, name, model.get(name), model.origin(name))
        bands = [row for row in self.tables["levels"] if row.get("band_from") is not None]
        if bands:
            w.block(2, "bands", Origin("levels", None, "band_from"))
            for row in bands:
                w.value(2, "level", row.get("level"), row.origin("level"), dash=True)
                w.value(4, "from", row.get("band_from"), row.origin("band_from"))
        w.block(0, "dimensions", Origin("dimensions"))
        self.write_nodes(self.children.get(None, []), 0)
        return w

    def write_scales(self) -> None:
        w = self.writer
        scales: dict[str, list[Row]] = {}
        for row in self.tables["scales"]:
            scales.setdefault(row.get("scale"), []).append(row)
        w.block(0, "scales", Origin("scales"))
        for scale_id, rows in scales.items():
            w.block(2, scale_id, rows[0].origin("scale"))
            w.block(4, "options", rows[0].origin("scale"))
            for row in rows:
                keys: list[tuple[str, Any]] = []
                if row.get("value") is not None:
                    keys.append(("value", row.get("value")))
                if row.get("not_applicable"):
                    keys.append(("not_applicable", True))
                if row.get("label") is not None:
                    keys.append(("label", row.get("label")))
                if not keys:  # an option with nothing: the validator says what it lacks
                    keys.append(("label", None))
                for number, (key, value) in enumerate(keys):
                    indent, dash = (4, True) if number == 0 else (6, False)
                    if isinstance(value, dict):
                        w.text(indent, key, value, row.origin(key), dash=dash)
                    else:
                        w.value(indent, key, value, row.origin(key), dash=dash)

    def write_levels(self) -> None:
        w = self.writer
        w.block(0, "levels", Origin("levels"))
        for row in self.tables["levels"]:
            w.value(0, "level", row.get("level"), row.origin("level"), dash=True)
            for name in ("name", "description"):
                if row.get(name) is not None:
                    w.text(2, name, row.get(name), row.origin(name))
            low, high = row.get("lead_time_min"), row.get("lead_time_max")
            if low is None and high is None:
                continue
            column = "lead_time_min" if low is not None else "lead_time_max"
            w.block(2, "lead_time_months", row.origin(column))
            if low is not None:
                w.value(4, "min", low, row.origin("lead_time_min"))
            if high is not None:
                w.value(4, "max", high, row.origin("lead_time_max"))

    def write_nodes(self, rows: list[Row], indent: int) -> None:
        w = self.writer
        for row in rows:
            node_id = row.get("id")
            w.value(indent, "id", node_id, row.origin("id"), dash=True)
            inner = indent + 2
            for name in ("title", "description"):
                if row.get(name) is not None:
                    w.text(inner, name, row.get(name), row.origin(name))
            if row.get("weight") is not None:
                w.value(inner, "weight", row.get("weight"), row.origin("weight"))
            self.write_advice(node_id, inner)
            children = self.children.get(node_id, [])
            if children:
                w.block(inner, "children", row.origin("id"))
                self.write_nodes(children, inner)
            statements = self.statements.get(node_id, [])
            if statements:
                w.block(inner, "statements", row.origin("id"))
                for statement in statements:
                    self.write_statement(statement, inner)

    def write_advice(self, node_id: str, indent: int) -> None:
        w = self.writer
        advice = sorted(
            (level, row) for (part, level), row in self.advice.items() if part == node_id
        )
        if not advice:
            return
        w.block(indent, "advice", advice[0][1].origin("level"))
        for level, row in advice:
            w.block(indent + 2, level, row.origin("level"))
            if row.get("text") is not None:
                w.text(indent + 4, "text", row.get("text"), row.origin("text"))
            links = self.links.get((node_id, level), [])
            if links:
                w.block(indent + 4, "links", links[0].origin("url"))
            for link in links:
                w.value(indent + 4, "url", link.get("url"), link.origin("url"), dash=True)
                if link.get("title") is not None:
                    w.text(indent + 6, "title", link.get("title"), link.origin("title"))

    def write_statement(self, row: Row, indent: int) -> None:
        w = self.writer
        w.value(indent, "id", row.get("id"), row.origin("id"), dash=True)
        for name in ("scale", "level", "weight"):
            if row.get(name) is not None:
                w.value(indent + 2, name, row.get(name), row.origin(name))
        for name in ("text", "info"):
            if row.get(name) is not None:
                w.text(indent + 2, name, row.get(name), row.origin(name))


def _order_key(order: object) -> float:
    return float(order) if isinstance(order, int | float) else math.inf

"""Model texts built in code, for tests that need a model of a given size or shape."""

from __future__ import annotations

import random

LEVELS = """\
levels:
  - {level: 1, name: {en: One}, description: {en: One.}, lead_time_months: {min: 3, max: 9}}
  - {level: 2, name: {en: Two}, description: {en: Two.}, lead_time_months: {min: 6, max: 12}}
  - {level: 3, name: {en: Three}, description: {en: Three.}, lead_time_months: {min: 12, max: 36}}
  - {level: 4, name: {en: Four}, description: {en: Four.}, lead_time_months: {min: 24, max: 48}}
  - {level: 5, name: {en: Five}, description: {en: Five.}}
"""


def ims_like_model(clusters: int = 5, parts: int = 12, statements: int = 5) -> str:
    """A mean-bands model shaped like the IMS scan: 12 parts of 5 statements in 5 clusters."""
    lines = [
        "id: ims-like",
        'version: "1"',
        "languages: [en]",
        "title: {en: IMS-like}",
        "scales:",
        "  agree5:",
        "    options:",
        *[f"      - {{value: {value}, label: {{en: v{value}}}}}" for value in range(1, 6)],
        "      - {not_applicable: true, label: {en: Don't know}}",
        LEVELS.rstrip("\n"),
        "scoring:",
        "  method: mean-bands",
        "  bands: [{level: 1, from: 1}, {level: 2, from: 1.8}, {level: 3, from: 2.6},"
        " {level: 4, from: 3.4}, {level: 5, from: 4.2}]",
        "dimensions:",
    ]
    for cluster in range(clusters):
        lines += [f"  - id: c{cluster}", f"    title: {{en: Cluster {cluster}}}", "    children:"]
        for part in range(cluster, parts, clusters):
            lines += [
                f"      - id: p{part}",
                f"        title: {{en: Part {part}}}",
                "        advice: {"
                + ", ".join(f"{n}: {{text: {{en: Advice {n}}}}}" for n in range(1, 5))
                + "}",
                "        statements:",
            ]
            lines += [
                f"          - {{id: p{part}-s{n}, scale: agree5, text: {{en: S}}, info: {{en: I}}}}"
                for n in range(statements)
            ]
    return "\n".join(lines) + "\n"


def random_answers(statement_ids: list[str], seed: int) -> dict[str, float | None]:
    rng = random.Random(seed)
    return {sid: rng.choice([1, 2, 3, 4, 5, None]) for sid in statement_ids}

"""The shape of the roadmap content: the roadmap, its canvases and its handouts.

As in the engine, pydantic checks the shape only; rules that relate one value to another
(translations, text lengths, unique ids, the layout, references between files) are in
rules.py and validate.py. Build content with `load_content`: constructing these classes
directly skips those rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from imscan.engine.schema import ID_PATTERN as ID_PATTERN
from imscan.engine.schema import LANGUAGE_PATTERN as LANGUAGE_PATTERN
from imscan.engine.schema import tr as tr

from .layout import Area as Area
from .layout import areas

# A block id names a CSS grid area, and a CSS identifier cannot start with a digit.
BLOCK_ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
# The most a team may write in one block of a canvas, in characters.
MAX_BLOCK_TEXT = 20_000
MAX_COLUMNS = 12
MAX_ROWS = 12

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
BlockId = Annotated[str, StringConstraints(pattern=BLOCK_ID_PATTERN)]
Language = Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)]
# A text: language code -> the text in that language.
Text = dict[str, str]
Version = Annotated[str, StringConstraints(min_length=1)]
TextLimit = Annotated[int, Field(ge=1, le=MAX_BLOCK_TEXT)]
Minutes = Annotated[int, Field(ge=5, le=480)]


class _Schema(BaseModel):
    # Strict and closed, like the model format: a slip in a hand-edited file is reported,
    # not coerced or ignored. Frozen: loaded content is shared by every request.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


# -- The roadmap ---------------------------------------------------------------------------


class Principle(_Schema):
    id: Id
    title: Text
    text: Text


class GateQuestion(_Schema):
    """One question of a phase gate: answered before the project moves on."""

    id: Id
    question: Text


class Phase(_Schema):
    id: Id
    title: Text
    purpose: Text
    outcome: Text
    gate: Annotated[list[GateQuestion], Field(min_length=1)]
    canvases: Annotated[list[Id], Field(min_length=1)]


class Roadmap(_Schema):
    id: Id
    version: Version
    languages: Annotated[list[Language], Field(min_length=1)]
    title: Text
    description: Text
    principles: list[Principle] = []
    phases: Annotated[list[Phase], Field(min_length=1)]

    @cached_property
    def _phase_by_id(self) -> dict[str, Phase]:
        return {phase.id: phase for phase in self.phases}

    @property
    def phase_ids(self) -> list[str]:
        return [phase.id for phase in self.phases]

    def phase(self, phase_id: str) -> Phase:
        """The phase with this id; KeyError if there is none."""
        return self._phase_by_id[phase_id]

    def phases_of(self, canvas_id: str) -> list[Phase]:
        """The phases that use a canvas, in roadmap order."""
        return [phase for phase in self.phases if canvas_id in phase.canvases]


# -- Canvases ------------------------------------------------------------------------------


class Duration(_Schema):
    """How long a workshop with the canvas usually takes, in minutes."""

    min: Minutes
    max: Minutes


class Block(_Schema):
    id: BlockId
    title: Text
    questions: Annotated[list[Text], Field(min_length=1)]
    placeholder: Text | None = None
    example: Text | None = None
    max_length: TextLimit | None = None


class Layout(_Schema):
    """The canvas on paper, as CSS grid areas: each row lists the block in each column."""

    columns: Annotated[int, Field(ge=1, le=MAX_COLUMNS)]
    rows: Annotated[list[list[str]], Field(min_length=1, max_length=MAX_ROWS)]

    @cached_property
    def areas(self) -> dict[str, Area]:
        """Each block's rectangle (1-based row and column, and spans), in reading order."""
        return areas(self.rows)

    def template_areas(self) -> str:
        """The rows as a CSS `grid-template-areas` value."""
        return " ".join('"' + " ".join(row) + '"' for row in self.rows)


class Canvas(_Schema):
    id: Id
    version: Version
    title: Text
    purpose: Text
    phases: Annotated[list[Id], Field(min_length=1)]
    duration_minutes: Duration
    invite: Annotated[list[Text], Field(min_length=1)]
    max_length: TextLimit = MAX_BLOCK_TEXT
    blocks: Annotated[list[Block], Field(min_length=1)]
    layout: Layout

    @cached_property
    def _block_by_id(self) -> dict[str, Block]:
        return {block.id: block for block in self.blocks}

    @property
    def block_ids(self) -> list[str]:
        return [block.id for block in self.blocks]

    def block(self, block_id: str) -> Block:
        """The block with this id; KeyError if there is none."""
        return self._block_by_id[block_id]

    def limit(self, block_id: str) -> int:
        """The most characters a team may write in this block."""
        block = self.block(block_id)
        return block.max_length if block.max_length is not None else self.max_length


# -- Handouts ------------------------------------------------------------------------------


class Handout(_Schema):
    """A page of the knowledge base; `body` is Markdown in the subset of markdown.py."""

    id: Id
    title: Text
    summary: Text
    body: Text


# -- Everything together -------------------------------------------------------------------

ROADMAP_URL = "/roadmap/"


@dataclass(frozen=True)
class RoadmapContent:
    """The roadmap with its canvases and handouts, checked against each other."""

    roadmap: Roadmap
    # In the order in which the phases first use them.
    canvases: Mapping[str, Canvas]
    phase_handouts: Mapping[str, Handout]
    canvas_handouts: Mapping[str, Handout]
    # By id, sorted.
    resources: Mapping[str, Handout]
    _targets: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "_targets",
            link_targets(self.roadmap.phase_ids, list(self.canvases), list(self.resources)),
        )

    @property
    def languages(self) -> list[str]:
        return list(self.roadmap.languages)

    def canvas(self, canvas_id: str) -> Canvas:
        """The canvas with this id; KeyError if there is none."""
        return self.canvases[canvas_id]

    def canvases_for(self, phase_id: str) -> list[Canvas]:
        """The canvases of a phase, in the order the roadmap suggests them."""
        return [self.canvases[canvas_id] for canvas_id in self.roadmap.phase(phase_id).canvases]

    def is_target(self, url: str) -> bool:
        """Whether a site path under /roadmap/ names a page of this content."""
        return url.split("#", 1)[0] in self._targets


def link_targets(
    phases: Sequence[str], canvases: Sequence[str], resources: Sequence[str]
) -> frozenset[str]:
    """The pages of the roadmap that links may point at (see docs/roadmap-content.md)."""
    return frozenset(
        [
            ROADMAP_URL,
            *(f"{ROADMAP_URL}phases/{phase}/" for phase in phases),
            *(f"{ROADMAP_URL}canvases/{canvas}/" for canvas in canvases),
            *(f"{ROADMAP_URL}resources/{resource}/" for resource in resources),
        ]
    )

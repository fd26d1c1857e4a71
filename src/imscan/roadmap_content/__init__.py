"""The Innovation Project Roadmap as data: phases, canvases and handouts (nl + en).

Pure Python, like the engine: no Django here. `load_content()` reads and checks the
shipped content (src/imscan/content/roadmap, canvases and handouts); problems come as
`file:line:column: message`. The formats are described in docs/roadmap-content.md.
"""

from functools import cache

from imscan.roadmap_content.cli import validate_roadmap_main
from imscan.roadmap_content.layout import Area, LayoutIssue, areas, check_layout
from imscan.roadmap_content.markdown import Markdown, parse, render_html
from imscan.roadmap_content.schema import (
    MAX_BLOCK_TEXT,
    ROADMAP_URL,
    Block,
    Canvas,
    Duration,
    GateQuestion,
    Handout,
    Layout,
    Phase,
    Principle,
    Roadmap,
    RoadmapContent,
    link_targets,
    tr,
)
from imscan.roadmap_content.validate import (
    CONTENT_DIR,
    ContentValidationError,
    load_content,
    missing_target,
    validate_content,
)


@cache
def shipped_content() -> RoadmapContent:
    """The shipped content, loaded once per process (it never changes while running)."""
    return load_content(CONTENT_DIR)


__all__ = [
    "CONTENT_DIR",
    "MAX_BLOCK_TEXT",
    "ROADMAP_URL",
    "Area",
    "Block",
    "Canvas",
    "ContentValidationError",
    "Duration",
    "GateQuestion",
    "Handout",
    "Layout",
    "LayoutIssue",
    "Markdown",
    "Phase",
    "Principle",
    "Roadmap",
    "RoadmapContent",
    "areas",
    "check_layout",
    "link_targets",
    "load_content",
    "missing_target",
    "parse",
    "render_html",
    "shipped_content",
    "tr",
    "validate_content",
    "validate_roadmap_main",
]

"""The Markdown subset of the handouts: parsed, checked, rendered with escaping."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from imscan.roadmap_content import parse, render_html
from imscan.roadmap_content.markdown import (
    Emphasis,
    Heading,
    Link,
    ListBlock,
    Markdown,
    Paragraph,
    Span,
    Strong,
    markup_problems,
)

TEXT = """## Voorbereiding

Een alinea die
over twee regels loopt, met *nadruk*, **sterke nadruk** en [een link](/roadmap/).

- eerste punt
  loopt door
- tweede punt met 2 * 3 = 6 en een \\*ster\\*

1. stap een
2. stap twee
"""


def test_the_subset_parses_into_blocks() -> None:
    markdown = parse(TEXT)
    assert markdown.problems == ()
    assert markdown.blocks == (
        Heading(2, (Span("Voorbereiding"),)),
        Paragraph(
            (
                Span("Een alinea die over twee regels loopt, met "),
                Emphasis((Span("nadruk"),)),
                Span(", "),
                Strong((Span("sterke nadruk"),)),
                Span(" en "),
                Link("een link", "/roadmap/"),
                Span("."),
            )
        ),
        ListBlock(
            False,
            (
                (Span("eerste punt loopt door"),),
                (Span("tweede punt met 2 * 3 = 6 en een *ster*"),),
            ),
        ),
        ListBlock(True, ((Span("stap een"),), (Span("stap twee"),))),
    )
    assert [(link.url, link.line, link.column) for link in markdown.links] == [("/roadmap/", 4, 71)]


def test_rendering_escapes_and_keeps_only_the_subset() -> None:
    html = render_html(TEXT)
    assert html.splitlines() == [
        "<h2>Voorbereiding</h2>",
        "<p>Een alinea die over twee regels loopt, met <em>nadruk</em>, "
        '<strong>sterke nadruk</strong> en <a href="/roadmap/">een link</a>.</p>',
        "<ul><li>eerste punt loopt door</li><li>tweede punt met 2 * 3 = 6 en een *ster*</li></ul>",
        "<ol><li>stap een</li><li>stap twee</li></ol>",
    ]


def test_html_in_text_is_shown_as_text() -> None:
    text = 'Hallo <script>alert("x")</script> & [klik](/a?b=1&c="2")'
    assert render_html(text) == (
        "<p>Hallo &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
        '<a href="/a?b=1&amp;c=&quot;2&quot;">klik</a></p>'
    )
    assert [p.message for p in markup_problems(text)] == [
        "raw HTML ('<script') is not allowed: texts are shown as written",
        "raw HTML ('</script') is not allowed: texts are shown as written",
    ]


def test_an_unsafe_link_is_rendered_as_text() -> None:
    markdown = Markdown((Paragraph((Link("klik", "javascript:alert(1)"),)),), (), ())
    assert render_html(markdown) == "<p>klik</p>"
    [problem] = parse("[klik](javascript:alert(1))").problems
    assert problem.message.startswith("link target 'javascript:alert(1)' must start with")


def test_unclosed_emphasis_stays_literal() -> None:
    markdown = parse("een **half gesloten zin")
    assert markdown.blocks == (Paragraph((Span("een **half gesloten zin"),)),)
    assert [(p.line, p.column) for p in markdown.problems] == [(1, 5)]


ALLOWED_TAGS = {"h2", "h3", "h4", "p", "ul", "ol", "li", "em", "strong", "a"}


@given(st.text(alphabet=st.sampled_from(list("ab <>&\"'*#-1.[]()/\\:\n`!|=_")), max_size=200))
def test_any_text_renders_to_the_subset_only(text: str) -> None:
    html = render_html(text)
    tags = re.findall(r"<(/?)([^\s>]+)([^>]*)>", html)
    assert {name for _, name, _ in tags} <= ALLOWED_TAGS
    for _, name, attributes in tags:
        assert attributes == "" or (name == "a" and re.fullmatch(r' href="[^"<>]*"', attributes))

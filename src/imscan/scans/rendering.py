"""The question page's statements, rendered once per model version, language and page.

Rendering a page of statements with their scales through the template engine takes
milliseconds, yet the HTML differs per respondent only in the private link's token and in
which radio buttons are checked. So it is rendered once, with a placeholder token and no
answers, kept in memory (a model version never changes), and personalised with plain
string replacements. Both replaced values are safe in HTML: tokens match the URL
converter's `[A-Za-z0-9_-]` and field names and values come from validated model ids and
numbers.
"""

from __future__ import annotations

import threading

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from imscan.engine import MaturityModel
from imscan.scans import presenters
from imscan.scans.forms import field_name, field_value
from imscan.scans.selectors import Page

# Any string the token converter accepts and no text will contain.
TOKEN_PLACEHOLDER = "tokenPlaceholder-0000000000000000000000000"  # noqa: S105 (not a secret)

_rendered: dict[tuple[str, str, str, int], str] = {}
_lock = threading.Lock()


def statements_html(
    model: MaturityModel,
    lang: str,
    pages: list[Page],
    number: int,
    token: str,
    answers: presenters.Answers,
) -> SafeString:
    key = (model.id, model.version, lang, number)
    html = _rendered.get(key)
    if html is None:
        context = presenters.page_statements(model, lang, pages, number)
        context["token"] = TOKEN_PLACEHOLDER
        with translation.override(lang):
            html = render_to_string("scans/_page_statements.html", context)
        with _lock:
            _rendered[key] = html
    html = html.replace(TOKEN_PLACEHOLDER, token)
    for statement_id in pages[number - 1].statement_ids:
        if statement_id in answers:
            radio = (
                f'name="{field_name(statement_id)}" value="{field_value(answers[statement_id])}"'
            )
            html = html.replace(radio, radio + " checked", 1)
    return mark_safe(html)  # noqa: S308 (see the module's docstring)

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


def languages(request: HttpRequest) -> dict[str, Any]:
    """Links to the current page in every language, for the switch on every page."""
    current = request.get_full_path()
    return {
        "language_links": [
            {"code": code, "name": name, "url": translate_url(current, code)}
            for code, name in settings.LANGUAGES
        ]
    }

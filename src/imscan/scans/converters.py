from django.urls import register_converter


class TokenConverter:
    """A private link token in a URL: URL-safe base64, never a path separator."""

    regex = "[A-Za-z0-9_-]{16,128}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered on import, once: every URL module that uses <token:...> imports this module.
register_converter(TokenConverter, "token")

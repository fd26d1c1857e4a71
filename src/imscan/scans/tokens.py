"""Private link tokens: 256 random bits handed out once, only their SHA-256 stored.

A database leak therefore reveals no working link. A plain hash (no salt, no stretching)
is enough because the token itself is random and long, not a password a person chose.
"""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

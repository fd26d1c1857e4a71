"""The JSON API under /api/v1/ (django-ninja): personal API tokens, the operations, their
errors, pagination and rate limits. See docs/api.md."""

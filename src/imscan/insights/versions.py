"""Which model version a scan is compared as: the one place that decides who its peers are.

Today a scan is compared with the scans of its own exact version. Derived local variants
of a model (issue 5) keep a standard score that is comparable with their parent's: point
`benchmarked_as` at the parent then, and run `imscan record_results --rebuild` so that the
stored measurements follow.
"""

from __future__ import annotations

from imscan.catalog.models import ModelVersion


def benchmarked_as(version: ModelVersion) -> ModelVersion:
    """The model version whose peers a scan taken with `version` is compared with."""
    return version

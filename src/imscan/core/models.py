from django.db import models


class BenchRow(models.Model):
    """One row per request of the benchmark's durable-write ceiling view (bench only)."""

    value = models.IntegerField()

    def __str__(self) -> str:
        return f"bench row {self.pk}"

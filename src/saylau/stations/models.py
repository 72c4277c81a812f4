"""A paper member's station: the member votes at that polling station, not online.

Beneath the elections and voting apps (decision 0020): the election is named by its model's
label, not imported.
"""

from __future__ import annotations

from django.db import models


class PaperAssignment(models.Model):
    """Member `member_id` of the election's roll votes on paper at station `station`."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    member_id = models.BigIntegerField()
    station = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "member_id"], name="stations_paper_member")
        ]

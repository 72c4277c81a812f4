"""``saylau manage election_tick``: open and close elections on schedule (cron, every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from saylau.elections import services


class Command(BaseCommand):
    help = "Open and close the elections whose scheduled time has come (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for change in services.tick():
            mark = "ok" if change.done else "refused"
            line = f"{change.election}: {change.action} {mark} {change.problem}".rstrip()
            self.stdout.write(line)

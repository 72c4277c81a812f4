"""The benchmark's voters read their one-time codes from the development SMS outbox (the
app's `notify_outboxmessage` table): one thread polls for new messages while someone waits,
and keeps each phone's latest 6-digit code. Benchmark and tests only."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import psycopg

CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
GAP_PATIENCE = 2.0  # seconds before an id the sequence skipped is given up on


class OtpInbox:
    def __init__(self, conninfo: str, after_id: int, interval: float = 0.005) -> None:
        self.conninfo = conninfo
        self.cursor = after_id  # every message id ≤ cursor has been read
        self.interval = interval
        self._above: set[int] = set()  # ids read above the cursor (a gap below them)
        self._gap_since: float | None = None
        self._codes: dict[str, tuple[int, str]] = {}  # phone → (message id, code)
        self._cond = threading.Condition()
        self._waiting = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="otp-inbox", daemon=True)
        self.polls = 0

    def __enter__(self) -> OtpInbox:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        self._thread.join(timeout=5)

    def latest_id(self, phone: str) -> int:
        with self._cond:
            return self._codes.get(phone, (0, ""))[0]

    def wait(self, phone: str, newer_than: int, timeout: float) -> str:
        """The code of the first message to `phone` with an id above `newer_than`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._waiting += 1
            self._cond.notify_all()
            try:
                while True:
                    found = self._codes.get(phone)
                    if found is not None and found[0] > newer_than:
                        return found[1]
                    left = deadline - time.monotonic()
                    if left <= 0 or self._stop.is_set():
                        raise TimeoutError(f"no SMS within {timeout:.0f} s")
                    self._cond.wait(left)
            finally:
                self._waiting -= 1

    def _run(self) -> None:
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            while not self._stop.is_set():
                with self._cond:
                    while not self._waiting and not self._stop.is_set():
                        self._cond.wait(0.5)
                rows = conn.execute(
                    'SELECT id, "to", body FROM notify_outboxmessage WHERE id > %s ORDER BY id',
                    [self.cursor],
                ).fetchall()
                self.polls += 1
                if self._take(rows):
                    with self._cond:
                        self._cond.notify_all()
                else:
                    time.sleep(self.interval)

    def _take(self, rows: list[Any]) -> bool:
        """Record new messages; move the cursor over every id read without a gap below it
        (ids commit out of order: a gap is waited for, GAP_PATIENCE seconds at most)."""
        new = False
        for message_id, phone, body in rows:
            if message_id in self._above:
                continue
            self._above.add(message_id)
            match = CODE_RE.search(body)
            if match:
                with self._cond:
                    if message_id > self._codes.get(phone, (0, ""))[0]:
                        self._codes[phone] = (message_id, match.group(1))
                new = True
        while self.cursor + 1 in self._above:
            self.cursor += 1
            self._above.discard(self.cursor)
        if self._above:
            now = time.monotonic()
            if self._gap_since is None:
                self._gap_since = now
            elif now - self._gap_since > GAP_PATIENCE:
                self.cursor = min(self._above) - 1
                while self.cursor + 1 in self._above:
                    self.cursor += 1
                    self._above.discard(self.cursor)
                self._gap_since = None
        else:
            self._gap_since = None
        return new

"""An SMS provider on loopback in the shape of saylau.notify.backends.http: one JSON POST per
message with a bearer token. Both the server (sign-in codes) and the credential authority
(voting codes) send to it; the test reads the codes from what arrived."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: A sign-in code: 6 digits. A credential code: 20 base58 characters, maybe in groups of 5.
SIGN_IN_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
_B58 = "[1-9A-HJ-NP-Za-km-z]"
CREDENTIAL_CODE = re.compile(
    rf"(?<![0-9A-Za-z-])({_B58}{{5}}(?:-?{_B58}{{5}}){{3}})(?![0-9A-Za-z])"
)


@dataclass(frozen=True)
class Sms:
    to: str = field(repr=False)  # personal data and secret codes stay out of tracebacks
    text: str = field(repr=False)
    sender: str
    reference: str


def digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


class SmsGateway:
    """`with SmsGateway(token) as gw:` serves on 127.0.0.1:<free port> until the block ends."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.messages: list[Sms] = []
        self.refused = 0  # requests without the token or with a malformed body
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}/sms"

    def __enter__(self) -> SmsGateway:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.headers.get("Authorization") != f"Bearer {gateway.token}":
                    gateway._refuse()
                    self._answer(401, {"error": "unauthorized"})
                    return
                try:
                    data = json.loads(body)
                    sms = Sms(
                        str(data["to"]),
                        str(data["text"]),
                        str(data["sender"]),
                        str(data["reference"]),
                    )
                except (ValueError, KeyError, TypeError):
                    gateway._refuse()
                    self._answer(400, {"error": "bad request"})
                    return
                gateway._add(sms)
                self._answer(200, {"id": f"e2e-{sms.reference}"})

            def _answer(self, status: int, body: dict[str, str]) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:  # the phone numbers stay out of logs
                return None

        return Handler

    def _add(self, sms: Sms) -> None:
        with self._changed:
            self.messages.append(sms)
            self._changed.notify_all()

    def _refuse(self) -> None:
        with self._changed:
            self.refused += 1

    def to(self, phone: str) -> list[Sms]:
        with self._changed:
            return [m for m in self.messages if digits(m.to) == digits(phone)]

    def wait_for_code(
        self,
        phone: str,
        pattern: re.Pattern[str],
        *,
        seen: int,
        timeout: float,
        still_waiting: Callable[[], bool] = lambda: True,
    ) -> str:
        """The code in the first message to `phone` after its first `seen` ones that matches
        `pattern`; TimeoutError if none arrives in `timeout` s or `still_waiting()` turns
        false (the process that waits for it ended)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                mine = [m for m in self.messages if digits(m.to) == digits(phone)][seen:]
                for sms in mine:
                    found = pattern.search(sms.text)
                    if found:
                        return found.group(1)
                left = deadline - time.monotonic()
                if left <= 0 or not still_waiting():
                    raise TimeoutError("no SMS with a code arrived for this voter")
                self._changed.wait(min(left, 0.2))

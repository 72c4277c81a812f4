"""A voter's client for the saylau voting API: sign in, encrypt locally, cast, check the receipt.

    client = VotingClient("https://primaries.example.kz", "primaries-2020")
    client.sign_in("900101300007", "+77011234567")      # a code arrives by SMS
    client.verify("123456")
    cast = client.vote("ABCDE-FGHJK-LMNPQ-RSTUV", {"KZ-75-mazhilis": [0, 1, 0, 0]})
    cast.receipt.tracking_code

The ballot is encrypted here, with the secret credential code, under the election's joint key;
neither the code nor the choices leave this process. Every receipt is checked before it is
returned (the board's signature on the head and the inclusion proof of the leaf rebuilt from
the ballot), so a server that drops or alters the ballot is caught at once. No Django here.

HTTP goes through `saylau.client.http` (the standard library's http.client, one kept-alive
connection). A client is not thread-safe: use one per thread.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from saylau.client.http import Connection, Params, Response, TransportError
from saylau.crypto.encoding import element_hex
from saylau.crypto.errors import SaylauCryptoError
from saylau.crypto.group import Element
from saylau.crypto.rand import Rng, SystemRng
from saylau.protocol import board, events
from saylau.protocol.ballot import Ballot, ElectionContext, encrypt_ballot
from saylau.protocol.canonical import canonical_json
from saylau.protocol.credentials import SecretCredential, derive
from saylau.protocol.manifest import Manifest, manifest_from_json
from saylau.protocol.receipt import Receipt, check_receipt, receipt_from_json


class ClientError(Exception):
    """The server refused (`status`, `code`, its translated `message`) or could not be reached
    (status 0)."""

    def __init__(
        self, status: int, code: str, message: str, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.retry_after = status, code, message, retry_after


class LocalError(ClientError):
    """A problem this client found itself (not the server's answer): `code` names it, `message`
    says it in English for a program, `detail` is its technical cause (may be "")."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        detail: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(status, code, f"{message}: {detail}" if detail else message, retry_after)
        self.detail = detail


class ReceiptInvalid(LocalError):
    """The server's receipt or board does not prove the ballot is on the board: keep it as
    evidence. Codes: receipt.other_tracking_code, receipt.other_leaf, receipt.unverified,
    board.unverified, board.forked, board.inconsistent."""

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(0, code, message, detail)


@dataclass(frozen=True, slots=True)
class Challenge:
    challenge: str
    expires_in: int
    resend_after: int
    message: str


@dataclass(frozen=True, slots=True)
class ElectionInfo:
    slug: str
    status: str
    manifest: Manifest
    context: ElectionContext
    board_public_key: bytes
    raw: dict[str, Any]

    @property
    def fingerprint(self) -> bytes:
        return self.context.fingerprint


@dataclass(frozen=True, slots=True)
class CastReceipt:
    receipt: Receipt
    leaf_index: int
    kind: str
    time: int
    replaces: str | None
    repeat: bool
    leaf: bytes  # the leaf rebuilt from the ballot: what the inclusion proof is checked for
    raw: dict[str, Any]


def _retry_after(response: Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _server_timing(value: str | None) -> dict[str, float]:
    """`app;dur=9.8, verify;dur=6.9` → {"app": 9.8, "verify": 6.9} (malformed parts left out)."""
    out: dict[str, float] = {}
    for metric in (value or "").split(","):
        name, _, params = metric.strip().partition(";")
        for param in params.split(";"):
            key, _, number = param.strip().partition("=")
            if key == "dur" and name:
                try:
                    out[name] = float(number)
                except ValueError:
                    pass
    return out


class VotingClient:
    """The voting API of one election at `base_url` (http or https).

    `language`: of the server's messages (Accept-Language). `timeout`: seconds, per connect,
    read or write. `retries`: how many times an idempotent request is tried again after a 503
    or a lost connection. `ssl_context`: for https, the system's CAs unless given.

    Not thread-safe (one kept-alive connection): use one client per thread.
    """

    def __init__(
        self,
        base_url: str,
        election: str,
        *,
        language: str = "en",
        timeout: float = 30.0,
        retries: int = 3,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.election = election
        self.retries = retries
        self.http = Connection(
            base_url,
            timeout=timeout,
            ssl_context=ssl_context,
            headers={"Accept-Language": language},
        )
        self.token: str | None = None
        #: The last answer's Server-Timing metrics (name → milliseconds), if the server
        #: sends them (a saylau server does with SAYLAU_SERVER_TIMING=1).
        self.server_timing: dict[str, float] = {}
        self.challenge: str | None = None
        self._info: ElectionInfo | None = None

    # --- plumbing -----------------------------------------------------------------------

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> VotingClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _url(self, path: str) -> str:
        return f"/api/voting/{self.election}{path}"

    def _request(
        self,
        method: str,
        path: str,
        *,
        retry: bool = False,
        params: Params = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """One request; with `retry` (idempotent requests), 503s and lost connections are
        tried again after Retry-After, up to `retries` times."""
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        attempts = self.retries + 1 if retry else 1
        for attempt in range(attempts):
            try:
                response = self.http.request(
                    method,
                    self._url(path),
                    params=params,
                    json=json,
                    content=content,
                    headers=headers,
                )
            except TransportError as error:
                if attempt + 1 < attempts:
                    time.sleep(min(2**attempt, 10))
                    continue
                raise LocalError(
                    0, "unreachable", "the server cannot be reached", str(error)
                ) from None
            self.server_timing = _server_timing(response.headers.get("Server-Timing"))
            if response.status_code == 503 and attempt + 1 < attempts:
                time.sleep(min(_retry_after(response) or 2**attempt, 30))
                continue
            if response.status_code >= 400:
                raise self._error(response)
            return response
        raise LocalError(503, "unavailable", "the server stayed busy")  # pragma: no cover

    @staticmethod
    def _error(response: Response) -> ClientError:
        try:
            error = response.json()["error"]
            code, message = str(error["code"]), str(error["message"])
            for field in error.get("fields", []):
                message += f" [{field.get('field')}: {field.get('message')}]"
        except (ValueError, KeyError, TypeError):
            status = response.status_code
            return LocalError(status, "http", "HTTP", str(status), _retry_after(response))
        return ClientError(response.status_code, code, message, _retry_after(response))

    # --- the election -------------------------------------------------------------------

    def election_info(self, *, refresh: bool = False) -> ElectionInfo:
        """The election's manifest and keys; the fingerprint is recomputed here and must
        match the server's."""
        if self._info is None or refresh:
            raw = self._request("GET", "", retry=True).json()
            if not raw.get("joint_public_key"):
                raise LocalError(409, "voting.not_open", "the election has no joint key yet")
            try:
                manifest = manifest_from_json(raw["manifest"])
                key = Element(bytes.fromhex(raw["joint_public_key"]))
                context = ElectionContext.make(manifest, key)
                board_key = bytes.fromhex(raw["board_public_key"])
            except (SaylauCryptoError, ValueError, KeyError, TypeError) as error:
                raise LocalError(
                    0, "election.invalid", "bad election parameters", str(error)
                ) from None
            if context.fingerprint.hex() != raw.get("fingerprint"):
                raise LocalError(0, "election.fingerprint", "the server's fingerprint is wrong")
            self._info = ElectionInfo(raw["slug"], raw["status"], manifest, context, board_key, raw)
        return self._info

    # --- signing in ---------------------------------------------------------------------

    def sign_in(self, iin: str, phone: str) -> Challenge:
        """Ask for a code by SMS (sent only if the IIN and phone match the roll)."""
        body = self._request("POST", "/sign-in", json={"iin": iin, "phone": phone}).json()
        self.challenge = body["challenge"]
        return Challenge(
            body["challenge"], body["expires_in"], body["resend_after"], body["message"]
        )

    def verify(self, code: str, challenge: str | None = None) -> str:
        """Send the SMS code; keep and return the voter session token."""
        challenge = challenge or self.challenge
        if not challenge:
            raise LocalError(0, "signin.no_challenge", "ask for a code first (sign_in)")
        body = self._request(
            "POST", "/sign-in/verify", json={"challenge": challenge, "code": code}
        ).json()
        self.token = str(body["token"])
        return self.token

    def sign_out(self) -> None:
        if self.token:
            self._request("POST", "/sign-out")
            self.token = None

    def me(self) -> dict[str, Any]:
        """The signed-in voter's credential, district and latest ballot on the board."""
        result: dict[str, Any] = self._request("GET", "/me", retry=True).json()
        return result

    # --- voting -------------------------------------------------------------------------

    def credential(self, code: str) -> SecretCredential:
        """Derive the secret credential from its code (raises InvalidCredential on a typo)."""
        return derive(self.election_info().manifest.election_id, code)

    def encrypt(
        self,
        credential_code: str,
        selections: Mapping[str, list[int]],
        *,
        district: str | None = None,
        rng: Rng | None = None,
    ) -> Ballot:
        """Encrypt and sign a ballot here (district: the voter's, asked of the server)."""
        info = self.election_info()
        credential = self.credential(credential_code)
        if district is None:
            status = self.me()
            if status.get("credential") and status["credential"] != element_hex(credential.public):
                raise LocalError(
                    403, "ballot.not_your_credential", "this credential code is not yours"
                )
            district = status.get("district")
            if not district:
                raise LocalError(403, "ballot.no_credential", "you have no credential here")
        return encrypt_ballot(info.context, district, selections, credential, rng or SystemRng())

    def cast(self, ballot: Ballot) -> CastReceipt:
        """Cast an encrypted ballot; retried on 503 or a lost connection (the same ballot
        gets the same receipt). The receipt is checked before it is returned."""
        return self.check_cast(ballot, self.cast_prepared(canonical_json(ballot.raw)))

    def cast_prepared(self, body: bytes) -> dict[str, Any]:
        """Cast a ballot already serialised (`canonical_json(ballot.raw)`), with the same
        retries as `cast`, and return the server's answer UNCHECKED: the caller must call
        `check_cast(ballot, answer)` itself before trusting it (the load benchmark does,
        after its timed phases)."""
        response = self._request(
            "POST",
            "/ballots",
            retry=True,
            content=body,
            headers={"Content-Type": "application/json"},
        )
        answer: dict[str, Any] = response.json()
        return answer

    def check_cast(self, ballot: Ballot, body: dict[str, Any]) -> CastReceipt:
        """Check the server's answer to a cast of `ballot`: the receipt's tracking code and
        leaf index, the board's signature on its head, and the inclusion proof of the leaf
        rebuilt here from the ballot (ReceiptInvalid if any of it is wrong)."""
        info = self.election_info()
        try:
            receipt = receipt_from_json(body["receipt"])
            leaf = events.ballot_leaf_bytes(
                canonical_json(ballot.raw), int(body["time"]), body.get("replaces")
            )
            if receipt.tracking_code != ballot.tracking_code:
                raise ReceiptInvalid(
                    "receipt.other_tracking_code", "the receipt names another tracking code"
                )
            if receipt.inclusion.leaf_index != body["leaf_index"]:
                raise ReceiptInvalid("receipt.other_leaf", "the receipt names another leaf index")
            check_receipt(receipt, leaf, info.board_public_key, info.fingerprint)
        except ReceiptInvalid:
            raise
        except (SaylauCryptoError, KeyError, TypeError, ValueError) as error:
            raise ReceiptInvalid(
                "receipt.unverified", "the receipt does not verify", str(error)
            ) from None
        return CastReceipt(
            receipt,
            int(body["leaf_index"]),
            str(body["kind"]),
            int(body["time"]),
            body.get("replaces"),
            bool(body.get("repeat")),
            leaf,
            body,
        )

    def vote(
        self,
        credential_code: str,
        selections: Mapping[str, list[int]],
        *,
        rng: Rng | None = None,
    ) -> CastReceipt:
        return self.cast(self.encrypt(credential_code, selections, rng=rng))

    # --- the public board ---------------------------------------------------------------

    def board_head(self) -> board.TreeHead | None:
        """The board's head now, its signature checked."""
        body = self._request("GET", "/board", retry=True).json()
        if body["tree_head"] is None:
            return None
        head = board.tree_head_from_json(body["tree_head"])
        info = self.election_info()
        board.verify_tree_head(head, info.board_public_key, info.fingerprint)
        return head

    def find(self, tracking_code: str) -> dict[str, Any]:
        """Look a ballot up on the board; its inclusion in the signed head now is checked."""
        body: dict[str, Any] = self._request(
            "GET", f"/board/ballots/{tracking_code}", retry=True
        ).json()
        info = self.election_info()
        try:
            head = board.tree_head_from_json(body["tree_head"])
            proof = board.inclusion_proof_from_json(body["inclusion_proof"])
            board.verify_tree_head(head, info.board_public_key, info.fingerprint)
            leaf = body["leaf"]["data"].encode("utf-8")
            board.verify_inclusion(
                board.leaf_hash(leaf),
                proof.leaf_index,
                proof.tree_size,
                list(proof.path),
                head.root_hash,
            )
        except (SaylauCryptoError, KeyError, TypeError, ValueError) as error:
            raise ReceiptInvalid(
                "board.unverified", "the board's answer does not verify", str(error)
            ) from None
        return body

    def check_consistency(self, old: board.TreeHead, new: board.TreeHead) -> None:
        """Check that the board of `old` is a prefix of the board of `new` (both verified)."""
        if old.tree_size == new.tree_size:
            if old.root_hash != new.root_hash:
                raise ReceiptInvalid("board.forked", "two different roots for the same board size")
            return
        body = self._request(
            "GET",
            "/board/consistency",
            retry=True,
            params={"old": old.tree_size, "new": new.tree_size},
        ).json()
        try:
            path = [bytes.fromhex(h) for h in body["path"]]
            board.verify_consistency(
                old.tree_size, new.tree_size, old.root_hash, new.root_hash, path
            )
        except (SaylauCryptoError, KeyError, TypeError, ValueError) as error:
            raise ReceiptInvalid(
                "board.inconsistent", "the board is not consistent", str(error)
            ) from None

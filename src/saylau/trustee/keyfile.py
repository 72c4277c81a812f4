"""A trustee's key file and its first step, on the trustee's own machine.

Everything secret stays in the key file (JSON, mode 0600): the transport key, the dealt
polynomials, the shares received, and finally the key share x_j. The server sees only
public messages. No Django here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from saylau.client.private_file import write_private_json
from saylau.client.seat import SeatClient
from saylau.crypto import dkg, dkg_json
from saylau.crypto.dkg import DealerSecret, ReceivedShare, TransportSecret
from saylau.crypto.encoding import scalar_from_hex, scalar_hex
from saylau.crypto.errors import SaylauCryptoError
from saylau.crypto.group import base_mul
from saylau.crypto.hashing import Item
from saylau.crypto.rand import Rng
from saylau.i18n import _
from saylau.protocol.keyceremony import dkg_context

KEYFILE_SCHEMA = "saylau-trustee-keyfile/1"


class TrusteeError(Exception):
    """Something the trustee must know about; the message is translated."""


class BoardCheckFailed(TrusteeError):
    """The board or the offered sums fail the check before decryption: no share was computed
    or sent. `problem` is the protocol's named error (protocol.errors.BoardNotClosed,
    BoardMismatch, InvalidBoard, SumsMismatch; crypto.errors.InvalidTreeHead; or another
    SaylauCryptoError for a board that cannot be read)."""

    def __init__(self, message: str, problem: SaylauCryptoError) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass
class KeyFile:
    server: str
    election: str
    index: int
    token: str
    n: int
    t: int
    transport_secret: str  # scalar hex
    transport_key: dict[str, Any]  # the public message
    dealer_secret: dict[str, list[str]] | None = None
    deal: dict[str, Any] | None = None
    received: dict[str, list[str]] = field(default_factory=dict)  # dealer → [s, s']
    complaints: list[dict[str, Any]] | None = None
    extraction: dict[str, Any] | None = None
    secret_share: str | None = None  # x_j
    verification_key: str | None = None  # X_j
    joint_public_key: str | None = None
    decrypted: bool = False
    schema: str = KEYFILE_SCHEMA

    # --- persistence ---------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise TrusteeError(
                _("The key file %(path)s cannot be read.") % {"path": path}
            ) from None
        if not isinstance(data, dict) or data.get("schema") != KEYFILE_SCHEMA:
            raise TrusteeError(_("%(path)s is not a trustee key file.") % {"path": path})
        return cls(**data)

    def save(self, path: Path) -> None:
        """Write atomically, readable by the owner only."""
        write_private_json(path, asdict(self), prefix=".keyfile-", indent=1, sort_keys=True)

    # --- typed views ---------------------------------------------------------------------

    def context(self) -> list[Item]:
        return dkg_context(self.election, self.n, self.t)

    def transport(self) -> TransportSecret:
        secret = scalar_from_hex(self.transport_secret, "transport_secret")
        return TransportSecret(self.index, secret, base_mul(secret))

    def own_dealer_secret(self) -> DealerSecret | None:
        if self.dealer_secret is None:
            return None
        return DealerSecret(
            self.index,
            tuple(scalar_from_hex(a) for a in self.dealer_secret["coefficients"]),
            tuple(scalar_from_hex(b) for b in self.dealer_secret["blinding"]),
        )

    def received_shares(self) -> dict[int, ReceivedShare]:
        return {
            int(i): ReceivedShare(int(i), self.index, scalar_from_hex(s), scalar_from_hex(b))
            for i, (s, b) in self.received.items()
        }


def init_keyfile(client: SeatClient, server: str, index: int, token: str, rng: Rng) -> KeyFile:
    """Make the transport key for seat `index` (checking the token opens it)."""
    state = client.get("/ceremony")
    if state.get("you") != index:
        raise TrusteeError(
            _("This token opens the seat of trustee %(seat)s, not %(index)d.")
            % {"seat": state.get("you"), "index": index}
        )
    n, t = int(state["trustees"]), int(state["threshold"])
    if state.get("context") != ["saylau-v1/dkg", client.election, n, t]:
        raise TrusteeError(_("The server's ceremony has other parameters than the key file."))
    secret, key = dkg.make_transport_key(index, dkg_context(client.election, n, t), rng)
    return KeyFile(
        server=server,
        election=client.election,
        index=index,
        token=token,
        n=n,
        t=t,
        transport_secret=scalar_hex(secret.secret),
        transport_key=dkg_json.transport_key_to_json(key),
    )

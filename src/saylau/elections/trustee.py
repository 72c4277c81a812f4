"""A trustee's side of the key ceremony and the decryption, on the trustee's own machine.

Everything secret stays in the trustee's key file (JSON, mode 0600): the transport key, the
dealt polynomials, the shares received, and finally the key share x_j. The server sees only
public messages. Each step saves the key file *before* sending, so a step interrupted by a
network failure sends the same message again when re-run. No Django here.

Before computing any decryption share, `decrypt` downloads the public board and checks that
the sums the server asks it to decrypt are exactly the sums of the ballots that count on the
closed, signed board (protocol.tally_check; docs/protocol.md §10.6): a server that offers one
voter's ballot as "the sum" gets a refusal, and nothing is sent.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from saylau.crypto import dkg, dkg_json, threshold
from saylau.crypto.dkg import DealerSecret, ReceivedShare, TransportSecret
from saylau.crypto.encoding import bytes_from_hex, element_from_hex, scalar_from_hex, scalar_hex
from saylau.crypto.errors import InvalidDkg, InvalidShare, InvalidTreeHead, SaylauCryptoError
from saylau.crypto.group import Element, base_mul
from saylau.crypto.hashing import Item
from saylau.crypto.rand import Rng
from saylau.elections.client import Client
from saylau.elections.private_file import write_private_json
from saylau.i18n import _
from saylau.protocol import board, tally_check
from saylau.protocol.ballot import ElectionContext
from saylau.protocol.errors import (
    BoardForked,
    BoardMismatch,
    BoardNotClosed,
    InvalidBoard,
    SumsMismatch,
)
from saylau.protocol.keyceremony import dkg_context
from saylau.protocol.manifest import Manifest, fingerprint, manifest_from_json
from saylau.protocol.record import credential_list_from_document
from saylau.protocol.tally import share_context, share_to_json
from saylau.protocol.tally_check import CheckedBoard
from saylau.protocol.verify_ballots import ProgressFn

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


def init_keyfile(client: Client, server: str, index: int, token: str, rng: Rng) -> KeyFile:
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


#: How a dealer deals; tests replace it to play a dealer that cheats.
MakeDeal = Callable[..., tuple[DealerSecret, dkg.Deal]]
make_deal: MakeDeal = dkg.deal


def _parse(state: dict[str, Any]) -> dict[str, Any]:
    return {
        "keys": [dkg_json.transport_key_from_json(k) for k in state["transport_keys"]],
        "deals": {d.dealer: d for d in (dkg_json.deal_from_json(x) for x in state["deals"])},
        "complaints": [dkg_json.disclosure_from_json(c) for c in state["complaints"]],
        "extractions": [dkg_json.extraction_from_json(e) for e in state["extractions"]],
        "disclosures": [dkg_json.disclosure_from_json(c) for c in state["disclosures"]],
    }


def _post(client: Client, kind: str, payload: dict[str, Any]) -> None:
    client.post("/ceremony/messages", {"kind": kind, "payload": payload})


def _step(client: Client, kf: KeyFile, path: Path, state: dict[str, Any], rng: Rng) -> str | None:
    """Do what this trustee can do in the current phase; return what was done (or None)."""
    me, phase, ctx = kf.index, state["phase"], kf.context()
    if phase == "keys":
        if any(k["trustee"] == me for k in state["transport_keys"]):
            return None
        _post(client, "transport_key", kf.transport_key)
        return _("transport key sent")
    board = _parse(state)
    if phase == "deals":
        if me in board["deals"]:
            return None
        if kf.deal is None:
            secret, deal = make_deal(kf.transport(), kf.n, kf.t, board["keys"], ctx, rng)
            kf.dealer_secret = {
                "coefficients": [scalar_hex(a) for a in secret.coefficients],
                "blinding": [scalar_hex(b) for b in secret.blinding],
            }
            kf.deal = dkg_json.deal_to_json(deal)
            kf.save(path)
        _post(client, "deal", kf.deal)
        return _("deal sent")
    if phase == "complaints":
        if me in state["complaints_from"]:
            return None
        if kf.complaints is None:
            kf.complaints = _open_shares(kf, board, rng)
            kf.save(path)
        _post(client, "complaint", {"disclosures": kf.complaints})
        return _("shares opened; complaints sent: %(n)d") % {"n": len(kf.complaints)}
    if phase == "extractions":
        if me not in state["qual"] or any(e.dealer == me for e in board["extractions"]):
            return None
        if kf.extraction is None:
            own = kf.own_dealer_secret()
            if own is None:
                raise TrusteeError(_("This key file has no dealt secret to extract from."))
            kf.extraction = dkg_json.extraction_to_json(dkg.extract(kf.transport(), own, ctx, rng))
            kf.save(path)
        _post(client, "extraction", kf.extraction)
        return _("extraction sent")
    if phase == "disclosures":
        owed = _owed_disclosures(kf, board, state, rng)
        if not owed and me in state["disclosures_from"]:
            return None
        _post(client, "disclosure", {"disclosures": owed})
        return _("disclosures sent: %(n)d") % {"n": len(owed)}
    if phase == "complete" and kf.secret_share is None:
        _finish(kf, state)
        kf.save(path)
        return _("ceremony complete: key share stored")
    return None


def _open_shares(kf: KeyFile, board: dict[str, Any], rng: Rng) -> list[dict[str, Any]]:
    """Decrypt the share of every deal; return the complaints (disclosures of bad shares)."""
    transport, ctx = kf.transport(), kf.context()
    keys = dkg.check_transport_keys(board["keys"], kf.n, ctx)
    complaints = []
    for dealer, deal in sorted(board["deals"].items()):
        if dealer == kf.index:
            continue
        dkg.check_deal(deal, kf.n, kf.t, keys, ctx)
        try:
            share = dkg.open_share(transport, deal, ctx)
        except InvalidShare:
            complaints.append(dkg_json.disclosure_to_json(dkg.disclose(transport, deal, ctx, rng)))
            continue
        kf.received[str(dealer)] = [scalar_hex(share.value), scalar_hex(share.blinding)]
    return complaints


def _owed_disclosures(
    kf: KeyFile, board: dict[str, Any], state: dict[str, Any], rng: Rng
) -> list[dict[str, Any]]:
    """My shares that fail their dealer's Feldman check, and my shares of every dealer to be
    rebuilt, that are not disclosed yet."""
    me, ctx, received = kf.index, kf.context(), kf.received_shares()
    owed: set[int] = set()
    for extraction in board["extractions"]:
        share = received.get(extraction.dealer)
        if share is not None:
            try:
                dkg.check_feldman(share, extraction)
            except InvalidShare:
                owed.add(extraction.dealer)
    owed |= {i for i in state["to_reconstruct"] if i != me}
    done = {c.dealer for c in (*board["complaints"], *board["disclosures"]) if c.recipient == me}
    return [
        dkg_json.disclosure_to_json(dkg.disclose(kf.transport(), board["deals"][i], ctx, rng))
        for i in sorted(owed - done)
        if i in board["deals"]
    ]


def _finish(kf: KeyFile, state: dict[str, Any]) -> None:
    """Verify the transcript independently and compute the key share x_j."""
    transcript = dkg_json.transcript_from_json(state["transcript"])
    try:
        result = dkg.verify_transcript(transcript, kf.context())
        x = dkg.secret_share(kf.index, result, kf.own_dealer_secret(), kf.received_shares())
    except InvalidDkg as error:
        raise TrusteeError(
            _("The ceremony's transcript does not check out on this machine: %(problem)s")
            % {"problem": error}
        ) from None
    kf.secret_share = scalar_hex(x)
    kf.verification_key = result.verification_keys[kf.index].hex()
    kf.joint_public_key = transcript.joint_public_key.hex()


def ceremony(client: Client, kf: KeyFile, path: Path, rng: Rng) -> tuple[str, list[str]]:
    """Advance the ceremony as far as this trustee can; returns (phase, what was done)."""
    done: list[str] = []
    for _round in range(12):
        state = client.get("/ceremony")
        if (state["trustees"], state["threshold"]) != (kf.n, kf.t):
            raise TrusteeError(_("The server's ceremony has other parameters than the key file."))
        if state["phase"] == "failed":
            raise TrusteeError(_("The ceremony failed: %(note)s") % {"note": state["note"]})
        action = _step(client, kf, path, state, rng)
        if action is None:
            return state["phase"], done
        done.append(action)
    return state["phase"], done


#: Leaves asked for per request when downloading the board.
LEAF_PAGE = 10_000


@dataclass(frozen=True)
class Decrypted:
    shares: int  # decryption shares sent
    board: CheckedBoard  # the board they were checked against


def _refusal(error: SaylauCryptoError) -> BoardCheckFailed:
    """The translated message for a failed board check."""
    problem = {"problem": str(error)}
    if isinstance(error, BoardNotClosed):
        message = _("Voting is not over: the board is not closed (%(problem)s).") % problem
    elif isinstance(error, InvalidTreeHead):
        message = (
            _(
                "The board's signed tree head does not verify with the election's board key: "
                "%(problem)s."
            )
            % problem
        )
    elif isinstance(error, BoardForked):
        message = (
            _(
                "The board the server shows you is not the board of a signed head seen "
                "elsewhere (a fork): %(problem)s."
            )
            % problem
        )
    elif isinstance(error, BoardMismatch):
        message = (
            _("The board's leaves are not the tree its signed head commits to: %(problem)s.")
            % problem
        )
    elif isinstance(error, InvalidBoard):
        message = _("The board breaks the protocol: %(problem)s.") % problem
    elif isinstance(error, SumsMismatch):
        message = (
            _(
                "The server asks to decrypt something other than the sums of the ballots that "
                "count on the board: %(problem)s."
            )
            % problem
        )
    else:
        message = _("The board cannot be read: %(problem)s.") % problem
    return BoardCheckFailed(message + " " + _("Nothing was decrypted and nothing was sent."), error)


def _download_leaves(
    client: Client, size: int, dest: Path, progress: ProgressFn
) -> tuple[list[tuple[int, int]], list[bytes]]:
    """Stream the board's first `size` leaves into `dest` (JSON Lines, as in the record);
    return each line's (offset, length) and leaf hash."""
    spans: list[tuple[int, int]] = []
    hashes: list[bytes] = []
    offset = 0
    progress("board", 0, size)
    with dest.open("wb") as out:
        while len(spans) < size:
            before = len(spans)
            limit = min(LEAF_PAGE, size - before)
            for line in client.lines("/board/leaves.jsonl", start=before, limit=limit):
                if len(spans) - before >= limit:
                    raise BoardMismatch(f"the server sent more than the {limit} leaves asked for")
                out.write(line + b"\n")
                spans.append((offset, len(line)))
                hashes.append(board.leaf_hash(line))
                offset += len(line) + 1
            if len(spans) == before:
                break  # the server has no more leaves: check_tree names the shortfall
            progress("board", len(spans), size)
    return spans, hashes


def check_board(
    client: Client,
    manifest: Manifest,
    joint: Element,
    *,
    workers: int = 1,
    progress: ProgressFn | None = None,
    workdir: Path | None = None,
    seen: Mapping[int, bytes] | None = None,
) -> CheckedBoard:
    """Download the public board and check it (protocol.tally_check): closed, its signed
    head verifies with the board key, the leaves form that tree, it extends every head in
    `seen` (size → root, seen elsewhere), every ballot and rule holds; return the sums of
    the ballots that count. BoardCheckFailed otherwise."""
    report = progress or (lambda stage, done, total: None)
    try:
        ctx = ElectionContext.make(manifest, joint)
        state = client.public("/board")
        if not isinstance(state, dict) or state.get("closed") is not True:
            raise BoardNotClosed("the server reports the board open")
        head = board.tree_head_from_json(state.get("tree_head"), "tree_head")
        board_key = bytes_from_hex(state.get("board_public_key"), 32, "board_public_key")
        tally_check.check_head(head, board_key, ctx.fingerprint)
        creds = credential_list_from_document(client.public("/credentials"))
        with tempfile.TemporaryDirectory(prefix="saylau-board-", dir=workdir) as tmp:
            leaves = Path(tmp) / "leaves.jsonl"
            spans, hashes = _download_leaves(client, head.tree_size, leaves, report)
            tally_check.check_tree(head, hashes)
            tally_check.check_extends(hashes, seen or {})
            del hashes
            return tally_check.check_counted(
                leaves, spans, head, ctx, creds, workers=workers, progress=report
            )
    except SaylauCryptoError as error:
        raise _refusal(error) from None


def decrypt(
    client: Client,
    kf: KeyFile,
    path: Path,
    manifest_raw: Any,
    rng: Rng,
    *,
    workers: int = 1,
    progress: ProgressFn | None = None,
    workdir: Path | None = None,
    seen: Mapping[int, bytes] | None = None,
) -> Decrypted:
    """Check the board and the offered sums (check_board, then the sums must be exactly the
    board's), then compute and send decryption shares of those sums."""
    if kf.secret_share is None or kf.joint_public_key is None or kf.verification_key is None:
        raise TrusteeError(_("This key file holds no key share: finish the ceremony first."))
    sums = client.get("/tally/sums")
    joint = element_from_hex(kf.joint_public_key, "joint_public_key")
    manifest = manifest_from_json(manifest_raw)
    fp = fingerprint(manifest, joint)
    if sums["fingerprint"] != fp.hex():
        raise TrusteeError(
            _("The server's election fingerprint differs from the one computed here.")
        )
    checked = check_board(
        client, manifest, joint, workers=workers, progress=progress, workdir=workdir, seen=seen
    )
    try:
        tally_check.check_offered_sums(manifest, checked.sums, checked.counts, sums)
    except SumsMismatch as error:
        raise _refusal(error) from None
    x = scalar_from_hex(kf.secret_share, "secret_share")
    vk = Element(bytes.fromhex(kf.verification_key))
    out: dict[str, dict[str, list[Any]]] = {}
    count = 0
    for district in manifest.districts:
        for contest in manifest.contests_for(district.id):
            shares = []
            for j, ct in enumerate(checked.sums[district.id][contest.id]):
                ctx = share_context(fp, district.id, contest.id, j)
                share = threshold.decryption_share(
                    kf.index, x, ct.alpha, ctx, rng, verification_key=vk
                )
                shares.append(share_to_json(share))
                count += 1
            out.setdefault(district.id, {})[contest.id] = shares
    client.post("/tally/shares", {"districts": out})
    kf.decrypted = True
    kf.save(path)
    return Decrypted(count, checked)

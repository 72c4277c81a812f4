"""A trustee's side of the key ceremony: one step per phase, relayed by the server.

Each step saves the key file *before* sending, so a step interrupted by a network failure
sends the same message again when re-run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from saylau.client.seat import SeatClient
from saylau.crypto import dkg, dkg_json
from saylau.crypto.dkg import DealerSecret
from saylau.crypto.encoding import scalar_hex
from saylau.crypto.errors import InvalidDkg, InvalidShare
from saylau.crypto.rand import Rng
from saylau.i18n import _
from saylau.trustee.keyfile import KeyFile, TrusteeError

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


def _post(client: SeatClient, kind: str, payload: dict[str, Any]) -> None:
    client.post("/ceremony/messages", {"kind": kind, "payload": payload})


def _step(
    client: SeatClient, kf: KeyFile, path: Path, state: dict[str, Any], rng: Rng
) -> str | None:
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


def ceremony(client: SeatClient, kf: KeyFile, path: Path, rng: Rng) -> tuple[str, list[str]]:
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

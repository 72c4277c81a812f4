"""The tally on the server: encrypted sums of the counted ballots, trustees' decryption
shares (each checked on arrival), and the decrypted counts once t trustees have posted.

The server sums ciphertexts, which needs no secret; each trustee computes its decryption
shares on its own machine (`saylau trustee decrypt`) and posts them; the server checks every
share's Chaum–Pedersen proof against the trustee's verification key X_j from the ceremony,
and combines the shares of the t lowest-numbered trustees who posted (the same set for every
option, as tally.json requires). The tally document has the shape of
protocol.tally.decrypt_tally's.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from saylau.crypto import threshold
from saylau.crypto.encoding import element_from_hex
from saylau.crypto.errors import InvalidEncoding, InvalidShare, SaylauCryptoError
from saylau.elections.audit import audit
from saylau.elections.board import board_source
from saylau.elections.errors import MessageConflict, MessageRejected, NotReady, TransitionRefused
from saylau.elections.models import Ceremony, Election, RelayedMessage, Status, Tally
from saylau.protocol.errors import InvalidRecord
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.tally import (
    Aggregator,
    results_from_tally,
    share_context,
    share_from_json,
    sums_from_json,
    sums_to_json,
    tally_document,
)

SHARES = RelayedMessage.Kind.DECRYPTION_SHARES


def prepare(election: Election, *, actor: str) -> Tally:
    """Sum the counted ballots of a closed election (once; later calls return the sums)."""
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        existing = Tally.objects.filter(election=election).first()
        if existing is not None:
            return existing
        if election.status != Status.CLOSED:
            raise NotReady(_("The ballots can be summed only once voting is closed."))
        aggregator = Aggregator(manifest_from_json(election.manifest))
        for ballot in board_source().counted_ballots(election):
            aggregator.add(ballot)
        tally = Tally.objects.create(
            election=election, sums=sums_to_json(aggregator.sums), counts=aggregator.counts
        )
        audit(election, actor, "tally.prepared", ballots_counted=aggregator.counts)
        return tally


def _tally(election: Election) -> Tally:
    tally = Tally.objects.filter(election=election).first()
    if tally is None:
        raise NotReady(_("The encrypted sums are not ready yet."))
    return tally


def sums_document(election: Election) -> dict[str, Any]:
    """What a trustee needs to decrypt: every encrypted option sum, in manifest order."""
    tally = _tally(election)
    manifest = manifest_from_json(election.manifest)
    districts = []
    for d in manifest.districts:
        contests = []
        for contest in manifest.contests_for(d.id):
            cts = tally.sums[d.id][contest.id]
            options = [
                {"id": option.id, "alpha": alpha, "beta": beta}
                for option, (alpha, beta) in zip(contest.options, cts, strict=True)
            ]
            contests.append({"id": contest.id, "options": options})
        districts.append({"id": d.id, "ballots_counted": tally.counts[d.id], "contests": contests})
    return {
        "election": election.slug,
        "fingerprint": election.fingerprint,
        "threshold": election.threshold,
        "districts": districts,
        "posted_by": posted_by(election),
    }


def _verification_key(election: Election, trustee: int) -> Any:
    keys = Ceremony.objects.get(election=election).verification_keys
    return element_from_hex(keys[str(trustee)], f"X_{trustee}")


class _Refused(Exception):
    pass


def _check_shares(election: Election, tally: Tally, sender: int, payload: Any) -> None:
    if not isinstance(payload, dict) or set(payload) != {"districts"}:
        raise _Refused('expected {"districts": {district: {contest: [share, ...]}}}')
    given = payload["districts"]
    sums = sums_from_json(tally.sums)
    if not isinstance(given, dict) or set(given) != set(sums):
        raise _Refused("shares are needed for exactly the election's districts")
    fp = bytes.fromhex(election.fingerprint)
    key = _verification_key(election, sender)
    for district, contests in sums.items():
        if not isinstance(given[district], dict) or set(given[district]) != set(contests):
            raise _Refused(f"{district}: shares are needed for exactly its contests")
        for contest, cts in contests.items():
            shares = given[district][contest]
            if not isinstance(shares, list) or len(shares) != len(cts):
                raise _Refused(f"{district}/{contest}: one share per option is needed")
            for j, (ct, raw) in enumerate(zip(cts, shares, strict=True)):
                where = f"{district}/{contest}[{j}]"
                try:
                    share = share_from_json(raw, where)
                    if share.trustee != sender:
                        raise _Refused(f"{where}: the share names trustee {share.trustee}")
                    threshold.verify_decryption_share(
                        share, key, ct.alpha, share_context(fp, district, contest, j)
                    )
                except (InvalidRecord, InvalidEncoding, InvalidShare) as error:
                    raise _Refused(str(error)) from None


def submit_shares(election: Election, sender: int, payload: Any) -> RelayedMessage:
    """Check and store one trustee's decryption shares for every option sum."""
    try:
        with transaction.atomic():
            election = Election.objects.select_for_update().get(pk=election.pk)
            if election.status != Status.CLOSED:
                raise NotReady(_("Decryption shares are accepted once voting is closed."))
            tally = _tally(election)
            if sender in posted_by(election):
                raise MessageConflict(_("You have already sent your decryption shares."))
            _check_shares(election, tally, sender, payload)
            message = RelayedMessage.objects.create(
                election=election, kind=SHARES, sender=sender, payload=payload
            )
            audit(election, f"trustee:{sender}", "tally.shares_accepted")
            return message
    except _Refused as refused:
        audit(election, f"trustee:{sender}", "tally.shares_rejected", reason=str(refused))
        raise MessageRejected(
            _("The server refused the decryption shares: %(problem)s") % {"problem": refused}
        ) from None


def posted_by(election: Election) -> list[int]:
    senders = RelayedMessage.objects.filter(election=election, kind=SHARES)
    return sorted(senders.values_list("sender", flat=True))


def check_enough_shares(election: Election) -> None:
    have = posted_by(election)
    if not Tally.objects.filter(election=election).exists():
        raise TransitionRefused(_("The encrypted sums are not ready yet."))
    if len(have) < election.threshold:
        raise TransitionRefused(
            _("%(have)d trustees have sent valid decryption shares; %(need)d are needed.")
            % {"have": len(have), "need": election.threshold}
        )


def decrypt(election: Election) -> Tally:
    """Combine the shares of the t lowest-numbered trustees who posted; store the tally
    document and the results (the effect of entering `tallied`)."""
    tally = _tally(election)
    use = posted_by(election)[: election.threshold]
    payloads = dict(
        RelayedMessage.objects.filter(election=election, kind=SHARES, sender__in=use).values_list(
            "sender", "payload"
        )
    )

    def stored_shares(district: str, contest: str, j: int, _ct: Any) -> list[Any]:
        return [
            share_from_json(payloads[t]["districts"][district][contest][j], "share") for t in use
        ]

    try:
        tally.document = tally_document(
            manifest_from_json(election.manifest),
            sums_from_json(tally.sums),
            tally.counts,
            use,
            election.threshold,
            stored_shares,
        )
    except SaylauCryptoError as error:
        raise TransitionRefused(
            _("The tally could not be decrypted: %(problem)s") % {"problem": error}
        ) from None
    tally.results = results_from_tally(tally.document)
    tally.save(update_fields=["document", "results"])
    return tally

"""The booth's words: each contest's rule in plain words, and the strings the page script
shows (handed to it in the page's data island, so every one is in the .po catalogues).

The script's strings use Python's `%(name)s` / `%(name)d` placeholders; booth.js fills them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from saylau.protocol.manifest import Contest


def rule_text(contest: Contest, against_all_name: str | None) -> str:
    """How many marks a contest takes, and what "against all" excludes, in plain words."""
    low, high = contest.min_marks, contest.max_marks
    if low == high == 1:
        rule = _("Choose one.")
    elif low == 0 and high == 1:
        rule = _("Choose one, or leave this contest blank.")
    elif low == high:
        rule = _("Choose exactly %(max)d.") % {"max": high}
    elif low == 0:
        rule = _("Choose up to %(max)d, or leave this contest blank.") % {"max": high}
    else:
        rule = _("Choose from %(min)d to %(max)d.") % {"min": low, "max": high}
    if against_all_name:
        rule += " " + _("“%(name)s” excludes every other choice.") % {"name": against_all_name}
    return rule


#: key → msgid: what booth.js says (errors, counters, progress, the cast's outcome).
STRINGS = {
    "code.empty": gettext_noop("Enter your credential code."),
    "code.typo": gettext_noop(
        "This code has a typo: a credential code is 20 letters and digits, and its last "
        "character checks the others. Compare it with the SMS."
    ),
    "code.not_yours": gettext_noop(
        "This is not your credential code: it does not match the credential issued to you "
        "for this election. Use the code from the SMS you received."
    ),
    "ballot.count": gettext_noop("Marked: %(n)d of %(max)d allowed."),
    "ballot.count_full": gettext_noop(
        "Marked: %(n)d of %(max)d allowed. To mark another option, first remove a mark."
    ),
    "ballot.against_all_marked": gettext_noop(
        "“%(name)s” is marked, so no other option can be marked."
    ),
    "ballot.too_few": gettext_noop("%(contest)s: mark at least %(min)d."),
    "ballot.broken_rule": gettext_noop(
        "Your marks in “%(contest)s” break its rule, so they were not accepted. Check that "
        "contest again."
    ),
    "review.blank": gettext_noop("No mark: a blank vote in this contest."),
    "encrypt.progress": gettext_noop("Encrypting and proving: %(done)d of %(total)d options."),
    "encrypt.done": gettext_noop("Encrypted, proved and signed on this device in %(ms)d ms."),
    "encrypt.failed": gettext_noop(
        "Your ballot could not be encrypted on this device (%(code)s). Nothing was sent. "
        "Reload the page and try again."
    ),
    "encrypt.no_worker": gettext_noop(
        "This browser cannot run the booth's encryption (Web Workers are unavailable). Use "
        "another browser, or the saylau voting program."
    ),
    "challenge.match": gettext_noop(
        "Checked: the opened encryption holds exactly your marks. This device encrypted your "
        "ballot honestly."
    ),
    "challenge.mismatch": gettext_noop(
        "Warning: the opened encryption does NOT hold your marks. Do not vote on this "
        "device, and report it to the party's control committee."
    ),
    "challenge.failed": gettext_noop(
        "The encryption could not be opened and checked (%(code)s). Do not vote on this "
        "device, and report it to the party's control committee."
    ),
    "challenge.copied": gettext_noop("Copied."),
    "challenge.copy_failed": gettext_noop(
        "This browser does not allow copying here: select the text and copy it yourself."
    ),
    "cast.sending": gettext_noop("Sending your encrypted ballot…"),
    "cast.asking": gettext_noop(
        "The answer to your cast did not arrive. Asking the public board whether your ballot "
        "was recorded…"
    ),
    "cast.recorded_anyway": gettext_noop(
        "Your ballot was recorded on the board, although the answer to the cast was lost. It "
        "was cast once; do not cast it again."
    ),
    "cast.not_recorded": gettext_noop(
        "Your ballot is not on the board: it was not recorded. You can send it again; the "
        "board never records the same ballot twice."
    ),
    "cast.board_unreachable": gettext_noop(
        "The public board could not be reached, so it is not known yet whether your ballot "
        "was recorded. Check your connection, then ask the board again."
    ),
    "cast.refused": gettext_noop("Your ballot was not recorded."),
    "cast.session_expired": gettext_noop(
        "Your session has expired, so your ballot was not recorded. Sign in again, then vote."
    ),
    "receipt.verified": gettext_noop(
        "Checked in this browser: the board's signature on the tree head, and that your "
        "ballot is in that tree."
    ),
    "receipt.unverified": gettext_noop(
        "Warning: this receipt does not verify (%(code)s). Save it and report it to the "
        "party's control committee."
    ),
    "receipt.first": gettext_noop("Your first ballot in this election."),
    "receipt.revote": gettext_noop(
        "A new ballot: it replaces your earlier ballot, tracking code %(code)s."
    ),
    "receipt.qr_alt": gettext_noop("QR code of the page that checks this ballot: %(url)s"),
    "state.discarded": gettext_noop(
        "The booth's saved state on this page was not valid, so it was discarded. Please "
        "start again."
    ),
}


def strings() -> dict[str, str]:
    """The script's strings in the active language."""
    return {key: _(text) for key, text in STRINGS.items()}

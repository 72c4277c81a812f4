"""Each test's name and its plain caveat (a signal, not proof), for the reports and pages;
translated with the site's catalogues."""

from __future__ import annotations

from saylau.i18n import gettext_noop

NAMES: dict[str, str] = {
    "kobak_integer_turnout": gettext_noop("Integer percentages of turnout"),
    "kobak_integer_share": gettext_noop("Integer percentages of the leader's share"),
    "second_digit": gettext_noop("Second digits of the vote counts (2BL)"),
    "last_digit": gettext_noop("Last digits of the vote counts"),
    "klimek_fingerprint": gettext_noop("Election fingerprint (Klimek et al. fraud model)"),
    "shpilkin": gettext_noop("Anomalous votes by turnout (Shpilkin)"),
    "control_relations": gettext_noop("Control relations of the protocols"),
}

STATISTICS: dict[str, str] = {
    "kobak_integer_turnout": gettext_noop("stations above the expected number at integer %"),
    "kobak_integer_share": gettext_noop("stations above the expected number at integer %"),
    "second_digit": gettext_noop("chi-square against the binomial null; interval: mean digit"),
    "last_digit": gettext_noop("chi-square against the binomial null; interval: share of 0 and 5"),
    "klimek_fingerprint": gettext_noop("fitted share of stations with fraud (f_i + f_e)"),
    "shpilkin": gettext_noop("votes for the leader beyond the low-turnout ratio"),
    "control_relations": gettext_noop("stations that fail a control relation"),
}

CAVEATS: dict[str, str] = {
    "kobak_integer_turnout": gettext_noop(
        "A signal, not proof: an excess of round turnout figures suggests numbers written to "
        "a target, but it cannot say which station or who did it."
    ),
    "kobak_integer_share": gettext_noop(
        "A signal, not proof: an excess of round shares suggests numbers written to a target; "
        "it says nothing about the stations that are not round."
    ),
    "second_digit": gettext_noop(
        "A signal, not proof: honest counts need not follow Benford's law, and the digit "
        "tests have flagged clean elections and missed fraudulent ones (Mebane)."
    ),
    "last_digit": gettext_noop(
        "A signal, not proof: invented numbers often end in 0 or 5, but small or rounded "
        "counts do too for honest reasons."
    ),
    "klimek_fingerprint": gettext_noop(
        "A signal, not proof: the model reads a real link between turnout and support (for "
        "example between regions) as fraud; the fractions are a model's, not a count."
    ),
    "shpilkin": gettext_noop(
        "A signal, not proof: it assumes the leader's share would not rise with turnout in "
        "an honest count; where it does for other reasons the estimate is too high."
    ),
    "control_relations": gettext_noop(
        "A signal, not proof: a broken relation may be a clerk's slip as well as an altered "
        "protocol; the recount or the scan decides."
    ),
}

SIGNAL = gettext_noop(
    "These are statistical signals, not proof of fraud: each says how unusual the numbers "
    "are under a model of an honest count."
)

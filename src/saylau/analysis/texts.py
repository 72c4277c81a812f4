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
    "online_bursts": gettext_noop("Bursts of online sign-ins and ballots per minute"),
    "online_networks": gettext_noop("Members signing in from one network"),
    "online_revotes": gettext_noop("Re-vote patterns"),
    "online_geography": gettext_noop("Online ballots by district and minute"),
}

STATISTICS: dict[str, str] = {
    "kobak_integer_turnout": gettext_noop("stations above the expected number at integer %"),
    "kobak_integer_share": gettext_noop("stations above the expected number at integer %"),
    "second_digit": gettext_noop("chi-square against the binomial null; interval: mean digit"),
    "last_digit": gettext_noop("chi-square against the binomial null; interval: share of 0 and 5"),
    "klimek_fingerprint": gettext_noop("fitted share of stations with fraud (f_i + f_e)"),
    "shpilkin": gettext_noop("votes for the leader beyond the low-turnout ratio"),
    "control_relations": gettext_noop("stations that fail a control relation"),
    "online_bursts": gettext_noop("minutes above the rate of the hour around them"),
    "online_networks": gettext_noop("networks with more members than the others allow"),
    "online_revotes": gettext_noop(
        "minutes with a burst of re-votes plus credentials re-voting far more than the others"
    ),
    "online_geography": gettext_noop("district-minutes above the district's share of the ballots"),
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
    "online_bursts": gettext_noop(
        "A signal, not proof: a call to vote on television, a reminder SMS or the opening "
        "hour bring honest bursts as well as a script does."
    ),
    "online_networks": gettext_noop(
        "A signal, not proof: a family, an office or a mobile operator's shared address puts "
        "many honest voters behind one network."
    ),
    "online_revotes": gettext_noop(
        "A signal, not proof: a re-vote is every voter's right (it protects against "
        "coercion); a storm of them may be a reminder as well as stolen credentials."
    ),
    "online_geography": gettext_noop(
        "A signal, not proof: a local event or a district's own reminder honestly brings its "
        "voters at one time; each minute is compared with the district's share of the whole vote."
    ),
}

SIGNAL = gettext_noop(
    "These are statistical signals, not proof of fraud: each says how unusual the numbers "
    "are under a model of an honest count."
)

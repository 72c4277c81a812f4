"""The report on an election's own results, computed once per set of inputs (decision 0043).

The key is a digest of what the report reads, taken with a few cheap queries (as
paper.results_cache does for the consolidation): the election's status and manifest, the
decrypted results, the accepted protocols' ids and revisions, the board's size and last
leaf, the sign-ins' count and last id, the credentials' count, the roll's districts and the
test settings. A changed input is a new key: nothing is invalidated, nothing stale is shown.
The report.json lives in Django's cache and on disk under VAR_DIR/analysis/<slug>/<key>/
with the figures (SVG, PNG), report.html and report.pdf written for kk, ru and en at once,
so every process finds them and a request only reads files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import translation

from saylau.analysis.run import SCHEMA, Settings
from saylau.board.models import Leaf
from saylau.elections import services as elections
from saylau.elections.models import Election, PublicCredential
from saylau.paper.models import Protocol
from saylau.paper.results_cache import PROTOCOL_VERSION
from saylau.registry.models import RollDistrictCount
from saylau.voting.models import SignInEvent

PREFIX = "saylau:analysis:"
TIMEOUT = 24 * 3600
VERSION = 1  # bumped when the report's code changes what it computes
LANGUAGES = ("kk", "ru", "en")
SETTINGS = Settings()


def inputs(election: Election, s: Settings = SETTINGS) -> list[Any]:
    """Everything the report of `election` depends on, as JSON-able values."""
    accepted = Protocol.objects.filter(election=election, status=Protocol.Status.ACCEPTED)
    board = Leaf.objects.filter(election=election).aggregate(n=Count("pk"), last=Max("index"))
    signins = SignInEvent.objects.filter(election=election).aggregate(n=Count("pk"), last=Max("pk"))
    roll = RollDistrictCount.objects.filter(snapshot__election=election.slug)
    return [
        SCHEMA,
        VERSION,
        election.pk,
        election.slug,
        election.status,
        election.manifest,
        elections.election_results(election),
        [list(row) for row in accepted.order_by("pk").values_list(*PROTOCOL_VERSION)],
        board,
        signins,
        PublicCredential.objects.filter(election=election).count(),
        sorted(roll.values_list("district_id", "count")),
        [s.seed, s.alpha, s.draws, s.digit_draws, s.boot, s.null_draws],
    ]


def key(election: Election) -> str:
    raw = json.dumps(inputs(election), sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def folder(election: Election, digest: str) -> Path:
    return Path(settings.VAR_DIR) / "analysis" / election.slug / digest[:32]


def compute(election: Election, out: Path) -> dict[str, Any]:
    """Run every test and write the files of every language into `out` (then the report)."""
    from saylau.analysis import election_report
    from saylau.analysis.report_files import write_figures, write_json

    built = election_report.build(election, SETTINGS)
    report = {**built.report, "language": None, "figures": []}
    for lang in LANGUAGES:
        with translation.override(lang):
            figs = built.figures(translation.gettext)
            report["figures"] = [name for name, _f in figs]
            write_figures(out / lang, figs, report, lang, translation.gettext)
    write_json(out, report)  # last: its presence says the folder is complete
    return report


def report_of(election: Election) -> tuple[dict[str, Any], Path]:
    """The report and its folder: from the cache, else from disk, else computed."""
    digest = key(election)
    out = folder(election, digest)
    found: dict[str, Any] | None = cache.get(PREFIX + digest)
    if found is None:
        path = out / "report.json"
        if path.exists():
            found = json.loads(path.read_text(encoding="utf-8"))
        else:
            found = compute(election, out)
        cache.set(PREFIX + digest, found, TIMEOUT)
    return found, out

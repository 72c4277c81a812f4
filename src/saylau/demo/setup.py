"""DEMO ONLY: a whole demo election in the local database, for `saylau demo` and the tests.

    info = setup(now=...)          migrate, synthetic members in 3 districts, import, roll
                                   opened and closed, election created, ceremony and CA
                                   played in process (saylau.demo.play), voting opened

The end of the demo (decrypt, tally, the protocols, publish, verify) is saylau.demo.finish.

The two named paper stations, their commissions and accounts are saylau.demo.paper; their
protocols saylau.demo.protocols; the observers and the complaints committee saylau.demo.civic.
The counting stations that give the statistics numbers (decision 0045): saylau.demo.counts
(their seeded protocols), .counting (stations and entry), .observers (at the PVT's draw) and
.exit_poll.

Every step looks at what is already done and does only the rest, so `setup` and `finish` may
be run again (after an interruption, or on a database that already has the demo). A real
election never plays its trustees and credential authority inside the server: see
saylau.demo.play and docs/decisions/0002-voting-service.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.ca.issue import SecretsFile
from saylau.crypto.rand import Rng, SystemRng
from saylau.demo import civic as demo_civic
from saylau.demo import counting as demo_counting
from saylau.demo import exit_poll as demo_exit_poll
from saylau.demo import observers as demo_observers
from saylau.demo import paper as demo_paper
from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.models import Election, RelayedMessage, Status
from saylau.registry import phone as phone_rules
from saylau.registry import services as registry
from saylau.registry import synth
from saylau.simulate.names import AGAINST_ALL, SURNAMES

SLUG = "demo-primaries"
DISTRICTS = ("KZ-71", "KZ-75", "KZ-79")  # Astana, Almaty, Shymkent (registry codes)
MEMBERS = 240
FREEZE = dt.date(2020, 9, 11)  # the synthetic roll's members joined before this day
ACTOR = "demo"
OPEN_DAYS = 3
TRUSTEES, THRESHOLD = 3, 2
PRESENT = (1, 3)  # the trustees who decrypt: trustee 2 stays away, 2 of 3 suffice

Say = Callable[[str], None]
Progress = Callable[[str, int, int], None]


def quiet(_message: str) -> None:
    return None


# --- the manifest ------------------------------------------------------------------------


#: The demo's (made-up) parties; a candidate with None is an independent.
PARTIES: tuple[dict[str, str] | None, ...] = (
    {"kk": "Жаңа жол партиясы", "ru": "Партия «Новый путь»", "en": "New Path Party"},
    {"kk": "Жасыл дала партиясы", "ru": "Партия «Зелёная степь»", "en": "Green Steppe Party"},
    {"kk": "Еңбек одағы", "ru": "Союз труда", "en": "Labour Union"},
    None,
)


def _people(prefix: str, count: int, offset: int) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = []
    for k in range(count):
        kk, ru, en = SURNAMES[(offset + k) % len(SURNAMES)]
        option = {"id": f"{prefix}-{k + 1:02d}", "name": {"kk": kk, "ru": ru, "en": en}}
        party = PARTIES[(offset + k) % len(PARTIES)]
        if party is not None:
            option["party"] = dict(party)
        options.append(option)
    options.append({"id": f"{prefix}-aa", "name": dict(AGAINST_ALL), "against_all": True})
    return options


def manifest(slug: str = SLUG, districts: tuple[str, ...] = DISTRICTS) -> dict[str, Any]:
    """Per district: a vote-for-1 Mazhilis contest (5 candidates and "against all") and a
    vote-for-up-to-3 maslikhat contest (6 candidates and "against all"); most candidates
    stand for a party, some as independents. District names come from the registry (the ids
    are its codes)."""
    contests, styles, rows = [], [], []
    for k, code in enumerate(districts):
        mazhilis, maslikhat = f"{code.lower()}-mazhilis", f"{code.lower()}-maslikhat"
        contests.append(
            {
                "id": mazhilis,
                "name": {
                    "kk": f"{code}: Мәжіліс",
                    "ru": f"{code}: Мажилис",
                    "en": f"{code}: Mazhilis",
                },
                "min_marks": 1,
                "max_marks": 1,
                "options": _people(mazhilis, 5, 3 * k),
            }
        )
        contests.append(
            {
                "id": maslikhat,
                "name": {
                    "kk": f"{code}: мәслихат",
                    "ru": f"{code}: маслихат",
                    "en": f"{code}: maslikhat",
                },
                "min_marks": 0,
                "max_marks": 3,
                "options": _people(maslikhat, 6, 3 * k + 7),
            }
        )
        styles.append({"id": f"{code.lower()}-style", "contests": [mazhilis, maslikhat]})
        rows.append({"id": code, "ballot_style": f"{code.lower()}-style"})
    return {
        "election_id": slug,
        "title": {
            "kk": "Праймериз (демо)",
            "ru": "Праймериз (демо)",
            "en": "Primaries (demo)",
        },
        "districts": rows,
        "ballot_styles": styles,
        "contests": contests,
    }


# --- members -----------------------------------------------------------------------------


def members(
    count: int = MEMBERS, districts: tuple[str, ...] = DISTRICTS, seed: int = 2026
) -> list[synth.SyntheticMember]:
    """`count` synthetic members living in `districts` (the generator's own mix of names,
    ages and phones, filtered by region), the same for the same seed."""
    wanted = set(districts)
    found: list[synth.SyntheticMember] = []
    for member in synth.generate(count * 40, seed=seed):
        if member.district in wanted:
            found.append(member)
            if len(found) == count:
                return found
    raise ValueError("the generator gave too few members in these districts")


def _csv(people: list[synth.SyntheticMember]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(synth.HEADER)
    writer.writerows(p.row() for p in people)
    return buffer.getvalue().encode("utf-8")


# --- what the demo hands out -------------------------------------------------------------


@dataclass(frozen=True)
class DemoVoter:
    number: int
    iin: str
    phone: str
    district: str
    credential: str  # the secret credential code the demo CA sent by SMS
    choices: Path  # a valid ballot for this voter's district (JSON for `saylau vote cast`)


@dataclass
class DemoElection:
    slug: str
    status: str
    closes_at: dt.datetime | None
    districts: dict[str, int]  # roll counts
    voters: list[DemoVoter]
    directory: Path
    tokens: dict[str, str] = field(default_factory=dict)  # seat → token (only when created)

    @property
    def members(self) -> int:
        return sum(self.districts.values())


def choices_for(election: Election, district: str, number: int) -> dict[str, list[int]]:
    """A valid ballot: candidate `number` for a vote-for-1 contest, candidates `number` and
    `number + 1` where up to 2 or more marks are allowed."""
    ctx = services.election_context(election)
    selections: dict[str, list[int]] = {}
    for contest in ctx.manifest.contests_for(district):
        people = [k for k, o in enumerate(contest.options) if not o.against_all]
        marks = [0] * len(contest.options)
        for j in range(min(2, contest.max_marks, len(people))):
            marks[people[(number - 1 + j) % len(people)]] = 1
        contest.check_selection(marks)
        selections[contest.id] = marks
    return selections


def demo_voters(election: Election, people: list[synth.SyntheticMember]) -> list[DemoVoter]:
    """The first credential holder of each district, with their IIN, phone and code."""
    secrets_path = demo.demo_dir(election) / "ca-secrets.json"
    if not secrets_path.is_file():
        return []
    by_phone = {phone_rules.normalize(p.phone): p for p in people}
    first: dict[str, dict[str, Any]] = {}
    for row in sorted(SecretsFile.load(secrets_path).credentials, key=lambda r: r["member"]):
        first.setdefault(row["district"], row)
    voters = []
    for number, district in enumerate(sorted(first), 1):
        row = first[district]
        person = by_phone.get(phone_rules.normalize(row["phone"]))
        if person is None:
            continue
        path = demo.demo_dir(election) / f"choices-{number}.json"
        path.write_text(json.dumps(choices_for(election, district, number)) + "\n", "utf-8")
        voters.append(DemoVoter(number, person.iin, person.phone, district, row["code"], path))
    return voters


def describe(slug: str = SLUG, people: list[synth.SyntheticMember] | None = None) -> DemoElection:
    election = services.get_election(slug)
    try:
        counts = registry.published_counts(slug).districts
        districts = {c.code: c.count for c in counts if c.count}
    except registry.RegistryError:
        districts = {}
    return DemoElection(
        slug=slug,
        status=election.status,
        closes_at=election.closes_at,
        districts=districts,
        voters=demo_voters(election, people if people is not None else members()),
        directory=demo.demo_dir(election),
    )


# --- setup -------------------------------------------------------------------------------


def migrate() -> None:
    call_command("migrate", interactive=False, verbosity=0)


def ended(slug: str = SLUG) -> bool:
    election = Election.objects.filter(slug=slug).first()
    return election is not None and election.status in (
        Status.CLOSED,
        Status.TALLIED,
        Status.PUBLISHED,
    )


def setup(
    *,
    slug: str = SLUG,
    count: int = MEMBERS,
    now: dt.datetime | None = None,
    rng: Rng | None = None,
    say: Say = quiet,
    run_migrations: bool = True,
) -> DemoElection:
    """Bring the demo election to `open` (doing only what is not done yet)."""
    rng = rng or SystemRng()
    now = now or timezone.now()
    if run_migrations:
        say(_("migrating the database"))
        migrate()
    people = members(count)
    _roll(slug, people, say)
    election, tokens = _election(slug, now, say)
    _to_open(election, now, rng, say)
    demo_paper.setup_stations(election, say)
    demo_counting.setup_counting(election, say)
    demo_civic.setup_civic(election, say, now)
    demo_observers.setup_sample_observers(election, say, now)
    demo_exit_poll.setup_poll(services.get_election(slug), say, now)
    info = describe(slug, people)
    info.tokens = tokens
    return info


def _roll(slug: str, people: list[synth.SyntheticMember], say: Say) -> None:
    """The synthetic members imported, the roll opened and closed."""
    try:
        registry.get_roll(slug)
    except registry.RollNotFound:
        report = registry.import_members(_csv(people), source_name="demo-members.csv")
        say(
            _("imported %(accepted)s synthetic members (%(rejected)s rejected)")
            % {"accepted": report.accepted, "rejected": report.rejected_count}
        )
        registry.open_roll(slug, FREEZE)
    if not registry.get_roll(slug).is_closed:
        registry.close_roll(slug)
        say(_("roll opened and closed"))


def _election(slug: str, now: dt.datetime, say: Say) -> tuple[Election, dict[str, str]]:
    """The demo election, created if missing; the seats' tokens when it was just created."""
    tokens: dict[str, str] = {}
    election = Election.objects.filter(slug=slug).first()
    if election is None:
        election = services.create_election(
            manifest(slug),
            actor=ACTOR,
            trustees=TRUSTEES,
            threshold=THRESHOLD,
            closes_at=now + dt.timedelta(days=OPEN_DAYS),
            ip_policy="flag",  # every demo voter signs in from 127.0.0.1
            trustee_names=["Trustee 1 (demo)", "Trustee 2 (demo)", "Trustee 3 (demo)"],
        )
        tokens = {
            ("ca" if t.role == "ca" else f"trustee-{t.index}"): t.token
            for t in election.issued_tokens
        }
        say(
            _("election %(slug)s created: %(trustees)s trustees, threshold %(threshold)s")
            % {"slug": slug, "trustees": TRUSTEES, "threshold": THRESHOLD}
        )
    return election, tokens


def _to_open(election: Election, now: dt.datetime, rng: Rng, say: Say) -> Election:
    """The key ceremony and the credentials played here, then voting opened."""
    if election.status == Status.DRAFT:
        election = services.transition(election, Status.ROLL_CLOSED, actor=ACTOR, now=now)
    if election.status == Status.ROLL_CLOSED:
        if RelayedMessage.objects.filter(election=election).exists():
            services.reset_ceremony(election, actor=ACTOR)  # an interrupted demo ceremony
        say(demo.warning())
        demo.run_ceremony_in_process(election, rng)
        election = services.transition(election, Status.KEYS_READY, actor=ACTOR, now=now)
        say(
            _("key ceremony done (%(trustees)s demo trustees in this process)")
            % {"trustees": TRUSTEES}
        )
    if election.status == Status.KEYS_READY:
        issued = demo.issue_credentials_in_process(election, rng)
        election = services.transition(election, Status.CREDENTIALS_ISSUED, actor=ACTOR, now=now)
        say(
            _("%(count)s credentials issued by the demo CA, sent to the outbox")
            % {"count": len(issued.credentials)}
        )
    if election.status == Status.CREDENTIALS_ISSUED:
        if election.closes_at is not None and election.closes_at <= now:
            election = services.set_schedule(
                election, None, now + dt.timedelta(days=OPEN_DAYS), actor=ACTOR
            )
        election = services.transition(election, Status.OPEN, actor=ACTOR, now=now)
        until = f"{timezone.localtime(election.closes_at):%Y-%m-%d %H:%M}"
        say(_("voting is open until %(time)s") % {"time": until})
    return election

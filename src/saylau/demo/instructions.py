"""How to try the DEMO election: the printed instructions (also in how-to-vote.txt)."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from saylau.i18n import _

if TYPE_CHECKING:
    from saylau.demo.setup import DemoElection

HOST, PORT = "127.0.0.1", 8000


def shown(path: Path) -> str:
    """A path as the user can type it: relative to the current directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def saylau_command(database: bool = True) -> str:
    """How to run this command again: .venv/bin/saylau when that is what runs now, with
    SAYLAU_VAR_DIR when it is set (commands that use the database)."""
    exe = Path(sys.argv[0])
    command = shown(exe) if exe.name == "saylau" and exe.exists() else "saylau"
    var_dir = os.environ.get("SAYLAU_VAR_DIR")
    if database and var_dir:
        return f"SAYLAU_VAR_DIR={shlex.quote(shown(Path(var_dir)))} {command}"
    return command


# --- the instructions --------------------------------------------------------------------


def vote_command(info: DemoElection, url: str, number: int = 1, lang: str = "en") -> str:
    voter = info.voters[number - 1]
    receipt = info.directory / f"receipt-{voter.number}.json"
    args = [
        saylau_command(database=False),
        "vote",
        "cast",
        url,
        info.slug,
        "--iin",
        voter.iin,
        "--phone",
        voter.phone,
        "--credential",
        voter.credential,
        "--choices",
        shown(voter.choices),
        "--receipt",
        shown(receipt),
        "--language",
        lang,
    ]
    return " ".join([args[0], shlex.join(args[1:])])


def local_time(moment: dt.datetime | None) -> str:
    from django.utils import timezone

    if moment is None:
        return "—"
    try:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")
    except OverflowError:  # a time stored before such times were refused
        return moment.isoformat()


def _steps(saylau: str, slug: str, record: str) -> list[str]:
    steps = [
        (f'election schedule {slug} --closes "$(date -Iseconds)"', _("close early: now")),
        (f"election advance {slug}", _("→ closed")),
        (f"election sum {slug}", _("the encrypted sums")),
        ("demo decrypt", _("DEMO trustees 1 and 3 (2 of 3) send decryption shares")),
        (f"election advance {slug}", _("→ tallied")),
        (f"election advance {slug}", _("→ published (verified before publication)")),
        (f"verify {record}", _("anyone, with the record only")),
    ]
    width = max(len(command) for command, _note in steps)
    return [f"      {saylau} {command.ljust(width)}  # {note}" for command, note in steps]


def banner() -> str:
    return "=" * 25 + " " + _("DEMO — not a real election") + " " + "=" * 25


def instructions(info: DemoElection, url: str = f"http://{HOST}:{PORT}", lang: str = "en") -> str:
    """What a person needs to try the demo: where to sign in, with what, and what next."""

    from saylau.elections.models import Status
    from saylau.elections.publication import record_zip
    from saylau.elections.services import get_election

    saylau = saylau_command()
    slug = info.slug
    top = banner()
    lines = [top]
    if not info.voters:
        lines.append(
            _("The demo election %(slug)s has no demo voters (the CA's file is missing).")
            % {"slug": slug}
        )
        return "\n".join([*lines, "=" * len(top)])
    voter = info.voters[0]
    districts = ", ".join(f"{code}: {n}" for code, n in sorted(info.districts.items()))
    values: dict[str, str | int] = {
        "slug": slug,
        "status": str(Status(info.status).label),
        "members": info.members,
        "count": len(info.districts),
        "districts": districts,
        "closes": local_time(info.closes_at),
        "saylau": saylau,
        "saylau_vote": saylau_command(database=False),
        "url": url,
        "lang": lang,
        "iin": voter.iin,
        "phone": voter.phone,
        "credential": voter.credential,
        "how_to": shown(info.directory / "how-to-vote.txt"),
    }
    record = shown(record_zip(get_election(slug)))
    vote = vote_command(info, url, 1, lang)
    values["vote"] = vote
    lines += [(indent + line % values).rstrip() for indent, line in _text()]
    values["record"] = record
    lines += [
        *_steps(saylau, slug, record),
        *paper_lines(values),
        *civic_lines(values),
        *statistics_lines(values),
        "",
        _("Other demo voters (IIN, phone, district, credential code):"),
    ]
    for other in info.voters[1:]:
        lines.append(f"   {other.iin}  {other.phone}  {other.district}  {other.credential}")
        lines.append(f"      {vote_command(info, url, other.number, lang)}")
    lines.append("=" * len(top))
    return "\n".join(lines)


def write_instructions(info: DemoElection, url: str, lang: str) -> Path:
    path = info.directory / "how-to-vote.txt"
    path.write_text(instructions(info, url, lang) + "\n", encoding="utf-8")
    return path


def _text() -> list[tuple[str, str]]:
    """The instructions' lines: (indent, message with %(…)s values)."""
    return [*_intro(), *_voting(), *_board_and_end()]


def _intro() -> list[tuple[str, str]]:
    return [
        (
            "",
            _(
                "Every trustee (3, threshold 2) and the credential authority were played by "
                "one process on this machine. A real election never does this."
            ),
        ),
        ("", ""),
        (
            "",
            _(
                "Election %(slug)s (%(status)s): %(members)s members in %(count)s districts "
                "(%(districts)s); voting closes %(closes)s."
            ),
        ),
        ("", ""),
        ("1. ", _("Start the site: %(saylau)s demo serve  (make demo does it; Ctrl-C stops it)")),
        (
            "2. ",
            _(
                "Open %(url)s/%(lang)s/vote/%(slug)s/  "
                "(Kazakh: /kk/…, Russian: /ru/…, English: /en/…)"
            ),
        ),
        ("   ", _("and sign in with the DEMO voter")),
        ("      ", _("IIN: %(iin)s")),
        ("      ", _("phone: %(phone)s")),
    ]


def _voting() -> list[tuple[str, str]]:
    return [
        (
            "   ",
            _(
                "The 6-digit sign-in code is an SMS: it appears at %(url)s/dev/outbox and in "
                "the terminal that runs `%(saylau)s demo serve`."
            ),
        ),
        ("3. ", _("The voter's credential code (the CA's SMS at setup): %(credential)s")),
        ("   ", _("It is in the outbox (%(url)s/dev/outbox) and in %(how_to)s.")),
        (
            "4. ",
            _(
                "Vote in the browser: on the signed-in page open the voting booth, enter the "
                "credential code and mark the ballot; the browser encrypts and signs it, lets "
                "you challenge it, casts it and shows the receipt."
            ),
        ),
        (
            "   ",
            _(
                "Or vote from a terminal: it encrypts and signs the ballot here, casts it, and "
                "checks the receipt; it asks for the SMS code:"
            ),
        ),
        ("      ", "%(vote)s"),
        (
            "   ",
            _(
                "Leave out --choices to pick candidates on screen. A new code can be asked for "
                "once a minute per IIN: after a browser sign-in wait a minute, or use another "
                "voter below."
            ),
        ),
    ]


def _board_and_end() -> list[tuple[str, str]]:
    return [
        (
            "5. ",
            _(
                "Public board: %(url)s/%(lang)s/board/%(slug)s/  "
                "(counts …/counts/, results …/results/)"
            ),
        ),
        ("   ", _("API: %(url)s/api/voting/%(slug)s/board   OpenAPI: %(url)s/api/docs")),
        ("   ", _("`%(saylau_vote)s vote board %(url)s %(slug)s` checks the board's signed head.")),
        ("6. ", _("End the election, count and check the record:")),
        ("      ", "%(saylau)s demo finish"),
        ("   ", _("which is, step by step (the organiser's commands and the demo trustees):")),
    ]


def _paper_text() -> list[tuple[str, str]]:
    """The paper stations' part: where the commission's pages, lists and results are."""
    return [
        (
            "7. ",
            _("Paper voting (DEMO): members on these stations' lists vote on paper, not online:"),
        ),
        ("   ", _("The commissions' pages: %(url)s/%(lang)s/paper/  (sign in first at")),
        ("      ", "%(url)s/%(lang)s/paper/login/ )"),
        (
            "   ",
            _(
                "`%(saylau)s demo paper` marks, before the close, who voted on paper; one of "
                "them had voted online first, so a paper_override leaf on the board takes that "
                "ballot out of the tally. `demo finish` does it too, then enters each "
                "protocol twice (the supervisor settles one line typed differently), uploads "
                "the scans, and recounts one protocol (revision 2 with its reason)."
            ),
        ),
        (
            "   ",
            _(
                "Afterwards: the consolidated results (online + paper, winners) at "
                "%(url)s/%(lang)s/results/%(slug)s/ (a district's and a station's pages are "
                "linked from there), and `%(saylau_vote)s verify %(record)s` prints online, "
                "paper, total and the winners."
            ),
        ),
    ]


def paper_lines(values: dict[str, str | int]) -> list[str]:
    """The paper stations, their voter lists and the DEMO accounts, as printed."""
    from saylau.demo.paper import STATIONS, accounts, paper_list
    from saylau.elections.services import get_election

    lines = [(indent + line % values).rstrip() for indent, line in _paper_text()]
    listed = paper_list(get_election(str(values["slug"])), STATIONS[0])
    if listed:
        lines.append(
            "   "
            + _(
                "Try signing in online with IIN %(iin)s (on the list of %(code)s): the site "
                "refuses and names the member's station."
            )
            % {"iin": listed[0][1], "code": STATIONS[0].code}
        )
    labels = {"op1": _("operator 1"), "op2": _("operator 2"), "sup": _("supervisor")}
    for station in STATIONS:
        lines.append(
            "   "
            + _("Station %(code)s (No. %(number)s, %(district)s): %(address)s")
            % {
                "code": station.code,
                "number": station.number,
                "district": station.district,
                "address": station.address,
            }
        )
        pdf = f"{values['url']}/stations/{values['slug']}/{station.code}/voters"
        lines.append(
            "      " + _("voter list (PDF, signed in): %(pdf)s") % {"pdf": f"{pdf}.kk.pdf"}
        )
        lines.append(f"         {pdf}.ru.pdf")
    lines.append("   " + _("DEMO credentials (user / password), for this demo only:"))
    for a in accounts():
        who = labels[a.username.rsplit("-", 1)[1]] if a.station else _("organiser")
        where = a.station or _("every station; opens recounts")
        lines.append(f"      {a.username} / {a.password}   {who} ({where})")
    return lines


def civic_lines(values: dict[str, str | int]) -> list[str]:
    """The observers' and the committee's pages and their DEMO accounts, as printed."""
    from saylau.demo.civic import accounts

    url, lang, slug = values["url"], values["lang"], values["slug"]
    lines = [
        "8. " + _("Observers and complaints (DEMO):"),
        "   "
        + _(
            "The observers' phone pages: %(url)s/%(lang)s/observe/  (check in, checklists, "
            "incidents, protocol copies; they are queued while offline)"
        )
        % {"url": url, "lang": lang},
        "   "
        + _("Join as an observer (application, SMS code, training quiz): %(page)s")
        % {"page": f"{url}/{lang}/observe/join/demo-observers/"},
        "   "
        + _("The observers' HQ (map, incidents, copies, exports): %(page)s")
        % {"page": f"{url}/{lang}/hq/{slug}/"},
        "   "
        + _("The public complaint form: %(page)s")
        % {"page": f"{url}/{lang}/complaints/{slug}/new/"},
        "   " + _("The control committee's cases: %(page)s") % {"page": f"{url}/{lang}/committee/"},
        "   " + _("DEMO credentials (user / password), for this demo only:"),
    ]
    for a in accounts():
        where = f" ({a.station})" if a.station else ""
        lines.append(f"      {a.username} / {a.password}   {a.role}{where}")
    return lines


def statistics_lines(values: dict[str, str | int]) -> list[str]:
    """The pages that need many stations (analysis, PVT, exit poll) and the poll's accounts."""
    from saylau.demo import counts, exit_poll, observers
    from saylau.elections.services import get_election

    url, lang, slug = values["url"], values["lang"], values["slug"]
    election = get_election(str(slug))
    poll = exit_poll.the_poll(election)
    lines = [
        "9. " + _("Statistics over many stations (DEMO numbers, seeded):"),
        "   "
        + _(
            "The analysis report (after `demo finish`): %(page)s; PLANTED anomalies at "
            "%(stuffed)s (turnout 96 %%, one candidate near 90 %%) and %(round)s (turnout "
            "exactly 70 %%, every count ending in 0)"
        )
        % {
            "page": f"{url}/{lang}/analysis/{slug}/",
            "stuffed": counts.ANOMALY_STUFFED,
            "round": counts.ANOMALY_ROUND,
        },
        "   "
        + _("The PVT from the observers' copies (as demo-hq): %(page)s")
        % {"page": f"{url}/{lang}/hq/{slug}/pvt/?seed={observers.SEED}&margin={observers.MARGIN}"},
        "   "
        + _(
            "The discrepancy list: %(page)s (PLANTED at %(code)s: the official protocol "
            "moves %(moved)s votes from the runner-up to the leader)"
        )
        % {
            "page": f"{url}/{lang}/hq/{slug}/discrepancies/",
            "code": observers.altered_station(election),
            "moved": observers.MOVED,
        },
    ]
    if poll is not None:
        lines.append(
            "   "
            + _("The exit poll (estimates and the WPE after the close): %(page)s")
            % {"page": f"{url}/{lang}/exitpoll/{poll.slug}/"}
        )
    lines.append("   " + _("DEMO credentials (user / password), for this demo only:"))
    for a in exit_poll.accounts():
        lines.append(f"      {a.username} / {a.password}   {a.role}")
    return lines

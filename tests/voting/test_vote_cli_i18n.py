"""`saylau vote` speaks kk, ru and en: what it prints, its prompts, and the Python client's
own (English) errors, mapped to translated messages by code in the CLI."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import saylau.client.voting as client_module
from saylau.cli import vote as cli
from saylau.client import ClientError, LocalError, ReceiptInvalid
from saylau.i18n import activate
from saylau.protocol.errors import InvalidBallot, InvalidCredential
from tests.voting.helpers import last_code

runner = CliRunner()
CLIENT_SOURCE = Path(client_module.__file__)


def flat(text: str) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(text.split())


@pytest.fixture
def english_after():
    yield
    activate("en")


# --- the mapping of the client's own errors (no server) -------------------------------------


def raised_by_the_client() -> set[str]:
    """The code of every error the client raises itself (LocalError, ReceiptInvalid), in the
    client's source and in the CLI's."""
    found = set()
    for source in (CLIENT_SOURCE, Path(cli.__file__)):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name == "LocalError" and len(node.args) >= 3:
                code = node.args[1]
            elif name == "ReceiptInvalid" and node.args:
                code = node.args[0]
            else:
                continue
            assert isinstance(code, ast.Constant), ast.dump(node)
            found.add(code.value)
    return found


def test_every_error_the_client_raises_itself_has_a_translated_message(english_after):
    raised = raised_by_the_client()
    assert len(raised) >= 15  # the scan sees the client
    assert {"unreachable", "receipt.unverified", "election.fingerprint", "http"} <= raised
    assert raised - set(cli.LOCAL_ERRORS) == set(), "add these to saylau.cli.vote.LOCAL_ERRORS"
    assert set(cli.LOCAL_ERRORS) - raised == set(), "LOCAL_ERRORS names codes nobody raises"
    for code in raised:
        error = LocalError(0, code, "in English", "some cause")
        activate("en")
        in_english = cli.client_error_message(error)
        assert in_english != error.message, code
        for lang in ("kk", "ru"):
            activate(lang)
            message = cli.client_error_message(error)
            assert message not in (in_english, error.message), (lang, code)
            assert ("some cause" in message) == ("some cause" in in_english), (lang, message)


def test_the_servers_message_is_shown_as_it_came():
    """A server's refusal came translated; a code the client also uses is not re-translated."""
    error = ClientError(409, "voting.not_open", "Дауыс беру әлі басталмады (сервер).")
    assert cli.client_error_message(error) == error.message


def test_client_errors_keep_their_technical_cause(english_after):
    activate("ru")
    down = LocalError(0, "unreachable", "the server cannot be reached", "[Errno 111] refused")
    assert cli.client_error_message(down) == "Не удаётся связаться с сервером: [Errno 111] refused"
    bad = ReceiptInvalid(
        "receipt.unverified", "the receipt does not verify", "InvalidInclusion: root mismatch"
    )
    assert cli.client_error_message(bad) == (
        "Квитанция не доказывает, что ваш бюллетень на доске (InvalidInclusion: root "
        "mismatch). Сохраните её как доказательство."
    )
    assert cli.client_error_message(LocalError(502, "http", "HTTP", "502")) == (
        "Сервер ответил ошибкой: HTTP 502."
    )
    activate("kk")
    assert cli.client_error_message(down) == "Серверге қосылу мүмкін емес: [Errno 111] refused"
    activate("en")
    assert cli.client_error_message(down) == "The server cannot be reached: [Errno 111] refused"


def test_server_errors_pass_through_as_the_server_translated_them(english_after):
    activate("kk")
    # the same code as a local error, but the server's (Russian, Accept-Language) text
    from_server = ClientError(403, "ballot.no_credential", "У вас нет кода для голосования.")
    assert cli.client_error_message(from_server) == from_server.message
    assert cli.client_error_message(ClientError(422, "signin.phone", "ИИН …")) == "ИИН …"


def test_protocol_problems_found_here_are_translated(english_after):
    activate("ru")
    typo = InvalidCredential("the credential's check character is wrong (a typo?)")
    assert "опечатка" in cli.error_message(typo)
    wrong = InvalidBallot("no selection for contest c1")
    assert cli.error_message(wrong) == "некорректный бюллетень: no selection for contest c1"


def test_an_unreachable_server_in_russian_and_kazakh(monkeypatch):
    monkeypatch.setattr(client_module.time, "sleep", lambda _seconds: None)  # no back-off
    url = "http://127.0.0.1:9"  # discard: nothing listens there
    result = runner.invoke(cli.app, ["board", url, "primaries", "--lang", "ru"])
    assert result.exit_code == 1, result.output
    assert "Не удаётся связаться с сервером:" in flat(result.output)
    result = runner.invoke(cli.app, ["find", url, "primaries", "ab" * 32, "-l", "kk"])
    assert result.exit_code == 1, result.output
    assert "Серверге қосылу мүмкін емес:" in flat(result.output)
    result = runner.invoke(
        cli.app, ["board", url, "primaries"], env={"SAYLAU_LANGUAGE": "en"}
    )  # no option: SAYLAU_LANGUAGE
    assert "The server cannot be reached:" in flat(result.output)


def test_an_unreadable_choices_file_in_russian(tmp_path):
    result = runner.invoke(
        cli.app,
        ["cast", "http://127.0.0.1:9", "e", "--iin", "1", "--phone", "2", "--lang", "ru",
         "--choices", str(tmp_path / "missing.json")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Не удаётся прочитать файл с выбором" in flat(result.output)


# --- against a live server -----------------------------------------------------------------

pytestmark_live = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def live_world(live_server, members, settings):
    from tests.voting.helpers import build_world

    settings.SAYLAU_OTP_RESEND = 0  # one voter signs in several times in a row here
    return build_world(members, slug="primaries-i18n")


def choices_file(world, voter, tmp_path: Path, choice: int = 0) -> Path:
    contest = world.ctx.manifest.contests_for(voter.district)[0]
    marks = [0] * len(contest.options)
    marks[choice] = 1
    path = tmp_path / f"choices-{choice}.json"
    path.write_text(json.dumps({contest.id: marks}))
    return path


def cast_args(url, world, voter, *extra: str) -> list[str]:
    return ["cast", url, world.election.slug, "--iin", voter.iin, "--phone", voter.phone, *extra]


@pytestmark_live
def test_vote_cast_in_russian_then_a_revote_in_kazakh(
    live_server, live_world, tmp_path, monkeypatch
):
    world, voter = live_world, live_world.voters[0]
    monkeypatch.setattr(cli, "ask_code", last_code)
    result = runner.invoke(
        cli.app,
        cast_args(live_server.url, world, voter, "--credential", voter.code, "--lang", "ru",
                  "--choices", str(choices_file(world, voter, tmp_path))),
    )  # fmt: skip
    out = flat(result.output)
    assert result.exit_code == 0, result.output
    assert "Если ИИН и номер телефона совпадают" in out  # the server's answer, in Russian too
    assert "Ваш бюллетень на доске: лист 1, это ваш первый бюллетень." in out
    assert "Код отслеживания:" in out
    assert "Подпись доски и доказательство включения проверены." in out
    assert "ballot" not in out.lower() and "board" not in out.lower()

    result = runner.invoke(
        cli.app,
        cast_args(live_server.url, world, voter, "--credential", voter.code, "-l", "kk",
                  "--choices", str(choices_file(world, voter, tmp_path, 1))),
    )  # fmt: skip
    out = flat(result.output)
    assert result.exit_code == 0, result.output
    assert "Бюллетеніңіз тақтада: 2-жапырақ; ол сіздің" in out and "алмастырады" in out
    assert "Бақылау коды:" in out
    tracking = out.split("Бақылау коды:")[1].split()[0]

    result = runner.invoke(cli.app, ["find", live_server.url, world.election.slug, tracking])
    out = flat(result.output)  # no option, no SAYLAU_LANGUAGE: Kazakh
    assert result.exit_code == 0, result.output
    assert "3 жапырақтың ішіндегі 2-жапырақ (жаңа бюллетень (қайта дауыс беру))" in out
    result = runner.invoke(cli.app, ["board", live_server.url, world.election.slug, "--lang", "ru"])
    assert result.exit_code == 0, result.output
    assert "размер дерева" in result.output and "корневой хеш" in result.output


@pytestmark_live
def test_vote_prompts_and_local_errors_in_kazakh_and_russian(live_server, live_world, monkeypatch):
    world, voter = live_world, live_world.voters[1]
    monkeypatch.setattr(cli, "ask_code", last_code)
    # prompts in Kazakh; "1 2" breaks the contest's rule, "9" is no option, "2" is accepted
    result = runner.invoke(
        cli.app,
        ["cast", live_server.url, world.election.slug, "--lang", "kk"],
        input=f"{voter.iin}\n{voter.phone}\n{voter.code}\n1 2\n99\n2\n",
    )
    out = flat(result.output)
    assert result.exit_code == 0, result.output
    for needed in ("ЖСН:", "Ұялы телефон нөмірі:", "Дауыс беру коды:", "Нұсқалардың нөмірлері"):
        assert needed in out, needed
    assert "Белгілер саны: ең кемі 1, ең көбі 1" in out
    assert "99 нөмірлі нұсқа жоқ." in out
    assert "Бюллетеніңіз тақтада" in out

    # another voter's credential code: refused here, before anything is cast (a local error)
    other = world.voters[2]
    result = runner.invoke(
        cli.app,
        cast_args(live_server.url, world, voter, "--credential", other.code, "--lang", "ru"),
        input="1\n",
    )
    assert result.exit_code == 2, result.output
    assert "Этот код для голосования не ваш" in flat(result.output)

    # a typo in the credential code
    typo = voter.code[:-1] + ("A" if voter.code[-1] != "A" else "B")
    result = runner.invoke(
        cli.app, cast_args(live_server.url, world, voter, "--credential", typo, "--lang", "ru")
    )
    assert result.exit_code == 1, result.output
    assert "Это недействительный код для голосования (опечатка?)" in flat(result.output)

    # an error the server sends comes in the chosen language through Accept-Language
    result = runner.invoke(
        cli.app,
        ["cast", live_server.url, world.election.slug, "--iin", voter.iin, "--phone", "+7 999",
         "--lang", "ru"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "казахстанский мобильный номер" in flat(result.output)

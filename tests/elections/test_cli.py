"""`saylau election …`: create from a file, status, advance (with refusals), schedule, tick,
tokens, sums, and the demo commands (labelled as such)."""

from __future__ import annotations

import re

import pytest
import yaml
from typer.testing import CliRunner

from saylau.cli import election as cli
from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.models import Election, Status
from tests.elections.conftest import SLUG, close_roll

pytestmark = pytest.mark.django_db
runner = CliRunner()


def run(*args, code=0):
    result = runner.invoke(cli.app, [*map(str, args), "--lang", "en"])
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def manifest_file(tmp_path):
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump(demo.sample_manifest(SLUG), allow_unicode=True))
    return path


def test_create_prints_the_tokens(manifest_file):
    out = run(
        "create",
        manifest_file,
        "--trustees",
        5,
        "--threshold",
        3,
        "--opens",
        "2030-01-01T08:00",
        "--closes",
        "2030-01-02T20:00",
        "--ip-policy",
        "flag",
        "--trustee-name",
        "Aigerim",
    )
    assert "primaries-2026 created" in out and out.count("sly_") == 6 and "Aigerim" in out
    election = Election.objects.get(slug=SLUG)
    assert (election.trustees, election.threshold, election.ip_policy) == (5, 3, "flag")
    assert election.opens_at.isoformat() == "2030-01-01T03:00:00+00:00"  # Almaty is UTC+5
    run("create", manifest_file, code=2)


def test_bad_options_and_files(tmp_path, manifest_file):
    bad = tmp_path / "bad.json"
    bad.write_text('{"election_id": "x"}')
    assert "The manifest is not valid" in run("create", bad, code=2)
    run("create", manifest_file, "--ip-policy", "loose", code=2)
    run("create", manifest_file, "--opens", "tomorrow", code=2)


def test_lifecycle_from_the_command_line(manifest_file, memory_board):
    run("create", manifest_file)
    assert "no roll for this election" in run("advance", SLUG, code=2)
    close_roll(SLUG, {"KZ-75": 2, "KZ-71": 1})
    assert "is now: roll_closed" in run("advance", SLUG)
    out = run("demo-keys", SLUG)
    assert "DEMO" in out
    assert "is now: keys_ready" in run("advance", SLUG, "--to", "keys_ready")
    assert "DEMO" in run("demo-credentials", SLUG)
    run("advance", SLUG)
    status = run("status", SLUG)
    assert "credentials issued" in status and "Public credentials: 3" in status
    assert "Key ceremony: complete" in status
    assert "primaries-2026" in run("list")
    run("schedule", SLUG, "--opens", "2020-01-01T00:00", "--closes", "2020-01-02T00:00")
    assert "open" not in run("tick")  # the voting period has passed: nothing to open
    run("schedule", SLUG, "--opens", "2020-01-01T00:00", "--closes", "2099-01-02T00:00")
    assert "✓ primaries-2026: open" in run("tick")
    assert Election.objects.get(slug=SLUG).status == Status.OPEN
    # a fresh token and nothing else (a random token may contain any letters, so match its shape)
    assert re.fullmatch(r"sly_[A-Za-z0-9_-]{20,}\n", run("token", SLUG, "--trustee", 2))
    run("token", SLUG, code=2)
    run("schedule", SLUG, "--opens", "2020-01-01T00:00", "--closes", "2020-01-03T00:00")
    out = run("tick")
    assert "close" in out and "sum" in out
    assert "KZ-75" in run("sum", SLUG)
    assert "Decryption shares from trustees: —" in run("status", SLUG)


def test_close_phase_from_the_command_line(manifest_file):
    run("create", manifest_file)
    assert "cannot be skipped" in run("close-phase", SLUG, code=2)
    assert services.get_election(SLUG).status == Status.DRAFT

"""`saylau bench http-client`: each client really POSTs the body to a loopback server in
another process and gets its answer back; the table gives each client's ratio to the
fastest, in the chosen language."""

from __future__ import annotations

import http.client
import io

import pytest
from rich.console import Console
from typer.testing import CliRunner

from saylau.bench import http_client
from saylau.cli.main import app
from saylau.i18n import activate


@pytest.fixture
def english_after():
    yield
    activate("en")


@pytest.mark.parametrize("close", [False, True])
def test_the_loopback_server_reads_the_body_and_answers_the_receipt(close: bool) -> None:
    with http_client.loopback_server(close) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", http_client.PATH, body=http_client.BODY, headers=http_client.HEADERS)
        response = conn.getresponse()
        assert response.status == 200
        assert response.read() == http_client.ANSWER
        assert (response.getheader("Connection") == "close") is close
        conn.close()
    assert len(http_client.BODY) == 9000 and 1400 < len(http_client.ANSWER) < 1600


def test_every_client_is_measured_against_the_same_server() -> None:
    results = http_client.measure(20)
    assert set(results) == {"httpx", "saylau.client.http.Connection", "urllib3"}
    assert all(0 < seconds < 0.05 for seconds in results.values()), results


def test_a_client_that_gets_a_wrong_answer_is_refused() -> None:
    with pytest.raises(http_client.WrongAnswer):
        http_client.cpu_per_request(lambda: {"receipt": None}, 10)


def test_the_table_in_russian_gives_each_ratio_to_the_fastest(english_after) -> None:
    activate("ru")
    out = io.StringIO()
    results = {"httpx": 0.0009, "saylau.client.http.Connection": 0.0003, "urllib3": 0.0006}
    http_client.print_table(Console(file=out, width=200), results, 500, False)
    text = out.getvalue()
    assert "CPU клиента на запрос" in text and "соединение держится" in text
    assert "÷ самый быстрый" in text
    lines = {line.split("│")[1].strip(): line for line in text.splitlines() if "×" in line}
    assert "0.300 ms" in lines["saylau.client.http.Connection"]
    assert "1.00×" in lines["saylau.client.http.Connection"]
    assert "2.00×" in next(v for k, v in lines.items() if k.startswith("urllib3"))
    assert "3.00×" in next(v for k, v in lines.items() if k.startswith("httpx"))
    assert "urllib3 не установлен" not in text


def test_too_few_requests_are_refused_in_kazakh() -> None:
    result = CliRunner().invoke(
        app, ["bench", "http-client", "--requests", "5", "--lang", "kk"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2
    assert "сұраулар саны кемінде 10" in " ".join(result.output.split())


def test_the_command_prints_the_table(english_after) -> None:
    result = CliRunner().invoke(
        app, ["bench", "http-client", "--requests", "20", "--lang", "en"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "saylau.client.http.Connection" in result.output and "httpx" in result.output
    assert "1.00×" in result.output

"""`saylau bench load` prints in the chosen language (its tables, progress, target, CPU and
Server-Timing lines) while its JSON stays the same in every language. The output helpers are
fed made-up figures: the real benchmark (PostgreSQL + granian) is not run here."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from rich.console import Console
from typer.testing import CliRunner

from saylau.bench import load_phase, load_report
from saylau.bench.stats import Tally
from saylau.cli.main import app
from saylau.i18n import activate

runner = CliRunner()


@pytest.fixture
def english_after():
    yield
    activate("en")


def console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=400, color_system=None), out


def made_up_phases() -> list[load_phase.Phase]:
    def tally(n: int, errors: dict[str, int]) -> Tally:
        t = Tally(started=0.0, ended=10.0)
        for k in range(n):
            t.done(k * 0.1)
            t.add("cast", 0.010 + k * 1e-4)
            t.add("arrival", 0.012 + k * 1e-4)
            t.server_timing("cast", {"app": 9.0, "verify": 6.0, "sql": 1.5, "lock": 0.5})
        for kind, count in errors.items():
            t.errors[kind] += count
        return t

    cpu = {"server": 1.0, "postgres": 0.2, "client": 0.3}
    return [
        load_phase.Phase(
            "cast",
            "casts (signed in before), %(concurrency)s at a time",
            {"concurrency": 8},
            tally(100, {}),
            cpu,
        ),
        load_phase.Phase(
            "open",
            "casts arriving at %(rate)s/s (80 %% of the cast rate)",
            {"rate": "8"},
            tally(50, {"cast: HTTP 503": 2}),
            cpu,
        ),
    ]


REPORT = SimpleNamespace(
    leaves=151, ballot_leaves=150, receipts=150, heads_checked=3, problems=[], ok=True
)


def test_a_phase_in_stretches_counts_their_time_and_their_floors():
    phase = made_up_phases()[0]
    phase.stretches = [(50, 60.0, 100.0), (50, 120.0, 200.0)]
    phase.seconds = 5.0
    assert phase.rate == pytest.approx(100 / (50 / 60 + 50 / 120))
    assert phase.ratio(1000.0) == pytest.approx(0.6)  # each against its own floor
    assert phase.wall == 5.0
    plain = made_up_phases()[0]
    assert plain.ratio(1000.0) == plain.rate / 1000.0 and plain.wall == 10.0


def test_the_cast_phase_runs_in_stretches_between_floor_samples(monkeypatch):
    """`in_stretches`: the voters split in CAST_STRETCHES parts, the floor sampled before,
    between and after them, each stretch compared with the samples on its two sides; the
    CPU and the time are the stretches' own."""
    from saylau.bench import cpu

    events: list[str] = []
    speeds = iter([0.010, 0.010, 0.005, 0.005, 0.010])  # verify seconds, batch by batch

    def measure_floor() -> list[float]:
        events.append("floor")
        return [next(speeds)] * 3

    clock = iter(range(100))

    def run(part):
        events.append(f"run {len(part)}")
        start = float(next(clock))
        t = Tally(started=start, ended=start + 1.0)
        for k in range(len(part)):
            t.done(start + k / len(part))
        return t

    class Meter:
        used = 0.0

        def read(self):
            self.used += 1.0
            return {"server": self.used, "postgres": 0.0, "client": 0.0}

    monkeypatch.setattr(load_phase, "CAST_STRETCHES", 4)
    monkeypatch.setattr(load_phase.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(cpu, "machine_busy_seconds", lambda: 0.0)
    phase = made_up_phases()[0]
    phase, samples = load_phase.in_stretches(phase, list(range(40)), run, Meter(), measure_floor)
    assert events == [
        "floor",
        "run 10",
        "floor",
        "run 10",
        "floor",
        "run 10",
        "floor",
        "run 10",
        "floor",
    ]
    assert len(samples) == 15 and phase.ok == 40 and phase.wall == 4.0
    floors = [f for _n, _r, f in phase.stretches]
    # 2 cores ÷ the median of the samples on both sides of each stretch (10|10, 10|5, 5|5,
    # 5|10 ms: the median of two equal batches of 10 and 5 ms is 7.5 ms)
    assert floors == pytest.approx([200.0, 2 / 0.0075, 400.0, 2 / 0.0075])
    assert phase.cpu["server"] == 4.0  # the meter read around each stretch only
    # nobody signed in: no stretch, the floor still sampled
    events.clear()
    speeds = iter([0.010])
    empty, samples = load_phase.in_stretches(made_up_phases()[0], [], run, Meter(), measure_floor)
    assert events == ["floor"] and empty.ok == 0 and empty.stretches == [] and len(samples) == 3


def test_the_tables_and_lines_in_russian(english_after):
    activate("ru")
    con, out = console()
    phases = made_up_phases()
    load_report.print_progress(con, phases[0])
    load_report.print_results(con, phases, 120.0, REPORT, 0.75, 0.4, {}, 0, 0)
    load_report.print_cpu(con, 0.005, 0.008, 0.62, 0.93)
    load_report.print_server_timing(con, phases[0])
    load_report.print_own_speed(con, 0.95, 0.64)
    load_report.heading(
        con,
        "сервер",
        load_report.server_line("gunicorn", ["http://127.0.0.1:1", "http://127.0.0.1:2"], 2, 60),
    )
    text = out.getvalue()
    for needed in (
        "cast: выполнено 100, сбоев 0, устойчиво 10.0/с",
        "saylau bench load: фазы",
        "отправка бюллетеней (вход выполнен заранее), по 8 одновременно",
        "бюллетени, поступающие с частотой 8/с (80 % от скорости cast)",
        "мс CPU на выполненное: приложение / PG / клиент",
        "задержки (мс; с учётом повторов шага)",
        "сбои по видам",
        "cast: HTTP 503",  # the failure kinds stay identifiers
        "пропускная способность cast ÷ нижняя граница (120/с): 0.75 (цель ≥ 0.6) ✔",
        "p99 отправки бюллетеня при 80 % этой скорости (от момента поступления): 400 мс",
        "ответов 500 и тайм-аутов: 0 ✔",
        "доска: листьев 151 = 1 открытие + бюллетеней 150",
        "по учёту CPU: проверка — 5.00 мс из 8.00 мс CPU на бюллетень",
        "ядра были заняты на 93%",
        "загрузка ядер 95% × доля проверки в CPU бюллетеня 0.64 = 0.61",
        "CPU сервера приложения на бюллетень 10.00 мс = проверка под нагрузкой 6.00",
        "остальная часть запроса Django: lock 0.50, sql 1.50, фреймворк и коммит 1.00 мс",
        "2 × gunicorn с одним воркером × потоков: 2 (http://127.0.0.1:1, http://127.0.0.1:2),"
        " потоки голосующих раздаются по очереди, CONN_MAX_AGE 60",
    ):
        assert needed in text, needed
    for english in ("done", "failures", "target", "latencies", "board:", "by CPU accounting"):
        assert english not in text, english


def test_no_failures_and_a_missed_target_in_kazakh(english_after):
    activate("kk")
    con, out = console()
    phases = made_up_phases()[:1]
    bad = SimpleNamespace(**{**vars(REPORT), "ok": False, "problems": ["leaf 7 is missing"]})
    load_report.print_results(con, phases, 120.0, bad, 0.5, 1.5, {"HTTP 500": 1}, 1, 2)
    text = out.getvalue()
    assert "сәтсіздіктер жоқ" in text
    assert "(мақсат ≥ 0.6) ✘" in text and "1500 мс (мақсат ≤ 1000 мс) ✘" in text
    assert "500 жауаптары мен күту уақытының асуы: 1 ✘ {'HTTP 500': 1}" in text
    assert "leaf 7 is missing" in text


def test_the_json_is_the_same_in_every_language(english_after):
    jsons = []
    for lang in ("kk", "ru", "en"):
        activate(lang)
        jsons.append([load_phase.phase_json(p) for p in made_up_phases()])
    assert jsons[0] == jsons[1] == jsons[2]
    assert jsons[0][1]["what"] == "casts arriving at 8/s (80 % of the cast rate)"
    assert jsons[0][0]["what"] == "casts (signed in before), 8 at a time"


def test_bad_options_are_refused_in_russian():
    """Refused before any database or server is touched."""
    result = runner.invoke(
        app, ["bench", "load", "--voters", "10", "--lang", "ru"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2
    assert "избирателей должно быть не меньше 50" in " ".join(result.output.split())
    result = runner.invoke(
        app,
        ["bench", "load", "--database-url", "postgres://u@127.0.0.1/x", "--lang", "kk"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 2
    assert "оның атауында 'bench' болуы керек" in " ".join(result.output.split())
    result = runner.invoke(
        app, ["bench", "load", "--server", "nginx", "--lang", "ru"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 2
    assert "одно из: granian, gunicorn" in " ".join(result.output.split())

"""The command line: DESIGN's contract, run in-process through `main()`."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from heartline.sessions import paths, store
from heartline.sessions.export import to_markdown
from heartline.sessions.rituals import load_rituals
from tests.records import CET, as_read, make_record
from heartline.tui import cli

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def saved(heartline_home):
    """Two good sessions and one damaged file."""
    store.save_record(make_record(), heartline_home)
    store.save_record(make_record(id="20261203-200000-zoe-jose", topic="Weekend 🌻 plans, the long version of it",
                                  started_at=datetime(2026, 12, 3, 20, tzinfo=CET),
                                  ended_at=datetime(2026, 12, 3, 20, 30, tzinfo=CET),
                                  status="ended-early"), heartline_home)
    bad = paths.sessions_dir(heartline_home) / "20261101-000000-broken.toml"
    bad.write_text("schema = 1\nid = ", encoding="utf-8")
    return bad


def test_version(capsys):
    assert run(capsys, "--version") == (0, "heartline 0.1.0\n", "")


def test_help_exits_zero(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "history" in out


def test_protocols_lists_rituals_and_warns_about_broken_ones(capsys, heartline_home):
    rituals = paths.rituals_dir(heartline_home)
    rituals.mkdir(parents=True)
    (rituals / "mine.toml").write_text("id = 'Not OK'\n", encoding="utf-8")
    code, out, err = run(capsys, "protocols")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("speaker-listener  ") and "reflects back" in lines[0]
    assert len({line.index(line.split()[1]) for line in lines}) == 1  # summaries line up
    assert err.startswith("warning: ") and "mine.toml" in err and len(err.splitlines()) == 1


def test_protocols_lists_the_nine_rituals_the_three_new_beside_the_six(capsys, heartline_home):
    code, out, err = run(capsys, "protocols")
    ids = [line.split()[0] for line in out.splitlines()]
    assert code == 0 and err == ""
    assert ids == ["speaker-listener", "imago-dialogue", "stress-reducing", "appreciation-round",
                   "temperature-reading", "state-of-the-union", "aftermath-of-a-fight", "dreams-within-conflict",
                   "problem-solving"]
    assert all(len(line) <= 120 for line in out.splitlines())


def test_history_empty(capsys):
    code, out, err = run(capsys, "history")
    assert code == 0 and out.startswith("no sessions yet") and err == ""
    assert run(capsys, "history", "--json") == (0, "[]\n", "")


def test_history_lists_good_sessions_newest_first_and_warns(capsys, saved):
    code, out, err = run(capsys, "history")
    assert code == 0
    rows = out.splitlines()[1:]
    assert [r.split()[2] for r in rows] == ["20261203-200000-zoe-jose", "20261126-190512-alex-sam"]
    assert "2026-12-03 20:00" in rows[0] and "ended-early" in rows[0] and "Alex & Sam" in rows[1]
    assert "Weekend 🌻 plans, the long vers…" in rows[0]  # 32 cells: 🌻 takes two
    assert err.splitlines() == [err.strip()] and err.startswith(f"warning: {saved}: ")


def test_history_json(capsys, saved):
    code, out, err = run(capsys, "history", "--json")
    assert code == 0 and "warning:" in err
    data = json.loads(out)
    assert [d["id"] for d in data] == ["20261203-200000-zoe-jose", "20261126-190512-alex-sam"]
    first = data[1]
    assert first["started_at"] == "2026-11-26T19:05:12+01:00"
    assert first["ended_at"] == "2026-11-26T19:31:40+01:00"
    assert first["duration_seconds"] == 1588.2 and first["status"] == "completed"
    assert first["protocol"] == "speaker-listener" and first["topic"] == "How we spend the holidays"
    assert [p["side"] for p in first["partners"]] == ["left", "right"]
    assert first["partners"][0]["name"] == "Alex" and first["partners"][0]["mood_after"] == 4


def test_data_dir_flag_overrides(capsys, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    store.save_record(make_record(), elsewhere)
    code, out, _ = run(capsys, "--data-dir", str(elsewhere), "history")
    assert code == 0 and "20261126-190512-alex-sam" in out
    assert run(capsys, "history")[1].startswith("no sessions yet")


def test_show_renders_a_session_by_prefix(capsys, saved):
    code, out, err = run(capsys, "show", "20261126")
    assert code == 0 and err == ""
    for text in ("Alex & Sam", "How we spend the holidays", "ask about the flights", "Speaker"):
        assert text in out


@pytest.mark.parametrize("fmt", ["md", "toml"])
def test_export_to_a_private_file(capsys, saved, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    code, out, err = run(capsys, "export", "20261126-190512-alex-sam", "--format", fmt, "-o", str(target))
    assert (code, out, err) == (0, "", "")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text(encoding="utf-8")
    record = as_read(make_record())
    if fmt == "toml":
        assert store.parse_record(text) == record
    else:
        assert text == to_markdown(record, load_rituals().get("speaker-listener").name)


def test_export_to_stdout_defaults_to_markdown(capsys, saved):
    code, out, _ = run(capsys, "export", "20261203")
    assert code == 0 and out.startswith("# Alex & Sam — Thursday 03 December 2026\n")
    assert "- **Topic:** Weekend 🌻 plans, the long version of it" in out


def test_damaged_session_is_one_line_not_a_traceback(capsys, saved):
    code, out, err = run(capsys, "show", "20261101")
    assert code == 1 and out == ""
    assert err.startswith(f"heartline: {saved}: ") and len(err.splitlines()) == 1


MISTAKES = [
    (["--frob"], "unrecognized arguments: --frob"),
    (["dance"], "unknown command 'dance'"),
    (["history", "--yaml"], "unrecognized arguments"),
    (["show"], "required: ID"),
    (["show", "nope"], "no session 'nope'"),
    (["export", "nope"], "no session 'nope'"),
    (["export", "2026"], "matches 3 sessions"),
    (["export", "20261126", "--format", "pdf"], "invalid choice: 'pdf'"),
    (["export", "20261126", "--format", "svg", "--all", "-o", "x"], "give a session id or --all, not both"),
    (["export", "--all", "--format", "svg", "-o", "x"], "writes md or toml"),
    (["export", "--all"], "needs a folder"),
    (["export"], "needs a session id"),
    (["trends", "--last", "none"], "not a number of sessions"),
    (["export", "20261126", "-o", "/nonexistent/dir/out.md"], "cannot write"),
    (["start", "--speak", "2h"], "--speak: '2h' is not a duration: use 90, 90s, 2m, 1m30s or 1:30"),
    (["start", "--reflect", "0"], "--reflect: '0' is too short"),
    (["start", "--speak", "61m"], "--speak: '61m' is too long"),
    (["start", "--rounds", "21"], "--rounds: '21' is not a number of rounds from 1 to 20"),
    (["start", "--rounds", "two"], "--rounds"),
    (["start", "--protocol", "nope"], "unknown ritual 'nope'; available: speaker-listener"),
    (["start", "--left", "   "], "--left: the name is empty"),
    (["start", "--right", "x" * 41], "--right: the name is longer than 40 characters"),
    (["start", "--left", "Al\x1bex"], "--left: the name has control characters"),
    (["start", "--left", "Sam", "--right", "sam"], "same name"),
    (["--theme", "nope"], "unknown theme 'nope'"),
    (["start", "--theme", "x"], "unknown theme 'x'"),
    (["history", "--theme", "warm"], "unrecognized arguments"),
]


@pytest.mark.parametrize(("argv", "problem"), MISTAKES, ids=[" ".join(m[0])[:30] for m in MISTAKES])
def test_every_mistake_is_one_line_and_exit_2(capsys, saved, argv, problem, monkeypatch):
    import heartline.tui.app as tui_app

    monkeypatch.setattr(tui_app, "run_session", lambda options: pytest.fail("should not start"))
    monkeypatch.setattr(tui_app, "run_home", lambda options: pytest.fail("should not start"))
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("heartline: ") and problem in err
    assert "Traceback" not in err


def test_start_passes_checked_options_to_the_app(capsys, monkeypatch, heartline_home):
    import heartline.tui.app as tui_app

    seen = []
    monkeypatch.setattr(tui_app, "run_session", lambda options: seen.append(options) or 0)
    code, _, err = run(capsys, "--theme", "high-contrast", "start", "--left", "  Zoë 🌻 ", "--right", "José",
                       "--protocol", "imago-dialogue", "--speak", "1m30s", "--reflect", "45",
                       "--rounds", "3", "--topic", "  the\nholidays ", "--no-checkin")
    assert (code, err) == (0, "")
    assert seen == [cli.StartOptions(
        data_dir=heartline_home, config_dir=heartline_home, theme="high-contrast", left="Zoë 🌻", right="José",
        protocol="imago-dialogue", speak=90, reflect=45, rounds=3, topic="the holidays", checkin=False,
    )]


@pytest.mark.parametrize("argv", [
    ["start", "--theme", "warm", "--left", "A", "--right", "B"],
    ["start", "--left", "A", "--theme", "warm", "--right", "B"],
    ["--theme", "high-contrast", "start", "--theme", "warm", "--left", "A", "--right", "B"],
])
def test_theme_belongs_to_start_too_after_its_name(capsys, monkeypatch, heartline_home, argv):
    import heartline.tui.app as tui_app

    seen = []
    monkeypatch.setattr(tui_app, "run_session", lambda options: seen.append(options) or 0)
    code, _, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    assert seen[0].theme == "warm"


def test_start_without_names_leaves_them_to_the_app(capsys, monkeypatch, heartline_home):
    import heartline.tui.app as tui_app

    seen = []
    monkeypatch.setattr(tui_app, "run_session", lambda options: seen.append(options) or 0)
    assert run(capsys, "start")[0] == 0
    (options,) = seen
    assert options.left is None and options.right is None
    assert options.protocol == "speaker-listener" and options.speak is None and options.checkin is True


def test_no_command_opens_home(capsys, monkeypatch, heartline_home, tmp_path):
    import heartline.tui.app as tui_app

    seen = []
    monkeypatch.setattr(tui_app, "run_home", lambda options: seen.append(options) or 0)
    assert run(capsys, "--data-dir", str(tmp_path / "d"))[0] == 0
    assert seen == [cli.StartOptions(data_dir=tmp_path / "d", config_dir=heartline_home)]


def test_python_dash_m_tui(heartline_home):
    env = {**os.environ, "HEARTLINE_HOME": str(heartline_home)}
    done = subprocess.run([sys.executable, "-m", "tui", "--version"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "heartline 0.1.0\n", "")
    bad = subprocess.run([sys.executable, "-m", "tui", "history", "--nope"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stdout == "" and "Traceback" not in bad.stderr
    assert bad.stderr.startswith("heartline: ") and len(bad.stderr.splitlines()) == 1


def test_export_to_a_toml_file_takes_toml_from_the_name(tmp_path, heartline_home, capsys):
    from heartline.sessions import store
    from tests.records import make_record
    from heartline.tui.cli import main

    store.save_record(make_record(), heartline_home)
    out = tmp_path / "mine.toml"
    assert main(["export", "20261126", "-o", str(out)]) == 0
    import tomllib

    assert tomllib.loads(out.read_text(encoding="utf-8"))["id"] == "20261126-190512-alex-sam"


def test_history_json_is_laid_out_as_json_itself_would(capsys, tmp_path, monkeypatch):
    """The template output equals json.dumps(indent=2) for awkward text (quotes, backslashes, tabs, emoji)."""
    from heartline.sessions import index

    monkeypatch.setenv("HEARTLINE_HOME", str(tmp_path))
    rec = make_record(topic='say "no" \\ then\ttab 🌻 é', id="20261126-190512-odd")
    rec["partners"][0]["name"] = 'A "quoted" name'
    rec["partners"][1]["feeling_before"] = "calm\\ish"
    store.save_record(rec, tmp_path)
    store.save_record(make_record(), tmp_path)
    code, out, _ = run(capsys, "history", "--json")
    keys = ("id", "started_at", "ended_at", "protocol", "topic", "status", "duration_seconds", "partners")
    want = [{k: e[k] for k in keys} for e in index.load(tmp_path).entries]
    assert code == 0 and out == json.dumps(want, indent=2, ensure_ascii=False) + "\n"
    assert json.loads(out)[0]["topic"] == 'say "no" \\ then\ttab 🌻 é'

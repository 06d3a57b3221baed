"""`heartline start --apart` and `heartline join` at the command line (issue 19).

Each mistake: one line on stderr, exit 2, no traceback. A wrong code is said
within 10 seconds, through the tests' own mailbox server on 127.0.0.1, by a
real `heartline join` in a pseudo-terminal; nothing is saved.
"""

from __future__ import annotations

import os
import re
import pty
import select
import subprocess
import sys
import time

import pytest

from heartline.tui import cli
from tests.apart_server import mailbox  # noqa: F401 - a fixture


def run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().err


@pytest.mark.parametrize("argv, words", [
    (["start", "--left", "A", "--right", "B", "--relay", "ws://127.0.0.1:1/v1"], "--relay is for a session apart"),
    (["start", "--apart"], "--apart needs --left"),
    (["start", "--apart", "--left", "A"], "--apart needs --left"),
    (["start", "--apart", "--left", "A", "--right", "B", "--relay", "http://example.org"], "not a relay address"),
    (["start", "--apart", "--left", "A", "--right", "B", "--relay", "ws://x\x1b]0;t\x07/v1"], "not a relay address"),
    (["join", "seven-guitarist"], "is not a code"),
    (["join", "7-guitarist-\x1b[31m"], "is not a code"),
    (["join", "7-a-b", "--relay", "ftp://relay"], "not a relay address"),
    (["history", "--relay", "ws://127.0.0.1:1/v1"], "unrecognized arguments"),
])
def test_mistakes_get_one_line_and_exit_2(capsys, heartline_home, argv, words):
    code, err = run(capsys, *argv)
    assert code == 2
    assert words in err
    assert len(err.strip().splitlines()) == 1
    assert "\x1b" not in err
    assert not (heartline_home / "sessions").exists() or not any((heartline_home / "sessions").iterdir())


def run_in_terminal(argv: list[str], env: dict, timeout: float) -> tuple[int, str, float]:
    """A real `heartline` in a pseudo-terminal: its exit status, everything it wrote, and how long it took."""
    main, child = pty.openpty()
    began = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "heartline.tui", *argv], stdin=child, stdout=child,
                               stderr=child, env=env, close_fds=True)
    os.close(child)
    out = b""
    while time.monotonic() - began < timeout:
        ready, _, _ = select.select([main], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        if process.poll() is not None and not ready:
            break
    try:
        status = process.wait(max(0.1, timeout - (time.monotonic() - began)))
    except subprocess.TimeoutExpired:
        process.kill()
        status = process.wait()
    os.close(main)
    text = re.sub(r"\x1b\[[0-9;?<>=]*[A-Za-z~]|\x1b[()][0-9A-Za-z]|\x1b[=>]", "", out.decode("utf-8", "replace"))
    return status, text.replace("\r\n", "\n"), time.monotonic() - began


def test_a_wrong_code_says_so_in_one_line_within_10_seconds(mailbox, tmp_path):
    env = {**os.environ, "HEARTLINE_HOME": str(tmp_path / "home"), "TERM": "xterm-256color", "COLUMNS": "100",
           "LINES": "30"}
    status, out, took = run_in_terminal(["join", "4-nobody-here", "--relay", mailbox.url], env, timeout=30)
    assert status == 2
    assert took < 10.0 + 3.0  # ten seconds from the code, plus Python and Textual starting in a shared machine
    last = re.findall(r"heartline: [^\n]*", out)  # after the screen is put away: the cursor moves, no newline
    assert last == ["heartline: Nobody is waiting with that code (mistyped, or used already): ask your "
                    "partner for a new one."]
    assert "Traceback" not in out
    sessions = tmp_path / "home" / "sessions"
    assert not sessions.exists() or not any(sessions.iterdir())


def test_an_unreachable_relay_says_so_in_one_line(tmp_path):
    from tests.apart_server import free_port

    env = {**os.environ, "HEARTLINE_HOME": str(tmp_path / "home"), "TERM": "xterm-256color"}
    status, out, took = run_in_terminal(["join", "4-nobody-here", "--relay", f"ws://127.0.0.1:{free_port()}/v1"],
                                        env, timeout=30)
    assert status == 2
    assert took < 13.0
    lines = re.findall(r"heartline: [^\n]*", out)
    assert len(lines) == 1 and "could not be reached" in lines[0]


def _relay_in_settings(home, relay: str):
    from heartline.sessions import paths

    settings = paths.settings_path(home)
    settings.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(settings.parent, 0o700)
    settings.write_text(f'relay = "{relay}"\n')
    os.chmod(settings, 0o600)
    return settings


@pytest.mark.parametrize("argv", [["start", "--apart", "--left", "A", "--right", "B"], ["join", "7-a-b"]])
def test_a_bad_relay_in_settings_is_blamed_on_the_settings_file_not_on_relay_flag(capsys, heartline_home, argv):
    """Nobody typed --relay: the line names settings.toml and its `relay` key, where the mistake is."""
    settings = _relay_in_settings(heartline_home, "http://relay.example.org")
    code, err = run(capsys, *argv)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "--relay" not in err
    assert f"{settings}: relay:" in err and "not a relay address" in err


def test_the_doctor_checks_the_relay_setting(capsys, heartline_home):
    settings = _relay_in_settings(heartline_home, "ws://127.0.0.1:4000/v1")
    code = cli.main(["doctor"])
    out = capsys.readouterr().out
    assert code == 0 and "relay" not in out.replace("ok: relay", "")  # a good one: nothing to say but ok
    _relay_in_settings(heartline_home, "ws://x\\u001b]0;t/v1")  # TOML's escape: an ESC in the address
    code = cli.main(["doctor"])
    out = capsys.readouterr().out
    assert code == 1 and "\x1b" not in out
    assert f"problem: {settings}: relay:" in out and "not a relay address" in out

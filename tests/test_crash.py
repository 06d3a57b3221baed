"""A real heartline in a real pseudo-terminal, killed with kill -9 mid-session (issue 10, item 1).

The next start offers the session, and recovering it keeps every completed
turn, note and event. Nothing here waits for a turn to pass: it waits for the
journal on disk to hold the inputs, then kills.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from heartline.sessions import paths, store
from heartline.sessions.engine.terms import SETTLE_SECONDS

HEARTLINE = str(Path(sys.executable).parent / "heartline")
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|.)")

pytestmark = pytest.mark.skipif(not os.path.exists(HEARTLINE), reason="the heartline script is not installed")


class Terminal:
    """One process on a pseudo-terminal of 100×32: keys in, screen text out."""

    def __init__(self, home: Path, *argv: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become heartline
            env = dict(os.environ, HEARTLINE_HOME=str(home), TERM="xterm-256color", COLUMNS="100", LINES="32")
            env.pop("NO_COLOR", None)
            os.execve(HEARTLINE, [HEARTLINE, *argv], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 100, 0, 0))
        self.seen = ""

    def read(self, timeout: float = 0.2) -> None:
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.seen += ANSI.sub("", chunk.decode("utf-8", "replace"))

    def wait_for(self, what: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while what not in self.seen.replace("\r", "").replace("\n", ""):
            if time.monotonic() > end:
                raise AssertionError(f"{what!r} did not appear; the screen showed: {self.seen[-2000:]!r}")
            self.read(0.2)

    def keys(self, *keys: str) -> None:
        for k in keys:
            os.write(self.fd, k.encode())
            self.read(0.15)  # one key at a time, as a person presses them

    def kill9(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass


def wait_until(check, timeout: float = 30, what: str = "") -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def journal_ops(home: Path) -> list[str]:
    found = list(paths.sessions_dir(home).glob("*.journal"))
    if not found:
        return []
    lines = found[0].read_text().splitlines()[1:]
    return [json.loads(line)["op"] for line in lines if line.endswith("}")]


def test_kill_9_mid_session_and_the_next_start_recovers_everything(tmp_path):
    home = tmp_path / "home"
    term = Terminal(home, "start", "--left", "Alex", "--right", "Sam", "--speak", "10m", "--reflect", "10m",
                    "--rounds", "1", "--no-checkin", "--topic", "the holidays")
    try:
        term.wait_for("is now a good time?")  # speaker-listener asks first (issue 18)
        term.wait_for("Is this right for us?")  # the first session opens with "Is this right for us?", once
        term.keys("\x1b")  # escape: the page closes, the question waits underneath
        for _ in range(12):  # Sam, who listens first: now (a key within the question's settle time is pressed again)
            term.keys("j")
            try:
                term.wait_for("ground rules", timeout=2.5)
                break
            except AssertionError:
                continue
        term.wait_for("ground rules")
        time.sleep(SETTLE_SECONDS + 0.2)  # a key sooner after the rules came is taken as meant for the question
        term.keys("f", "j")  # both agree: the floor opens
        term.wait_for("Has the floor")
        time.sleep(1.0)  # past any settle time for keys carried over from agreeing (not a turn)
        term.keys("j")  # Sam tries to take the floor: blocked
        term.keys("l")
        term.wait_for("parking lot")
        term.keys(*"flights", "\r")
        term.keys("f")  # Alex ends the first turn: complete
        wait_until(lambda: journal_ops(home).count("press") >= 5 and "note" in journal_ops(home), what="the journal")
        term.read(0.5)
        term.kill9()
    finally:
        term.close()

    assert store.list_sessions(home) == ([], [])  # nothing was saved: the process had no chance
    term = Terminal(home)
    try:
        term.wait_for("was not finished")
        term.wait_for("1 turn complete")
        term.keys("s")
        wait_until(lambda: store.list_sessions(home)[0], what="the recovered record")
        term.keys("\x11")  # ctrl+q
    finally:
        term.close()
    (record,), errors = store.list_sessions(home)
    assert errors == []
    assert record["status"] == "recovered" and record["topic"] == "the holidays"
    assert record["turns"][0]["by"] == "left" and record["turns"][0]["ended_by"] == "done"
    assert record["notes"] == []  # recovered: its shape, no note's text (issue 16)
    assert "interruption-blocked" not in [e["kind"] for e in record["events"]]  # never kept (issue 16)
    assert [p["name"] for p in record["partners"]] == ["Alex", "Sam"]
    assert list(paths.sessions_dir(home).glob("*.journal")) == []

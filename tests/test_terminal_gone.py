"""A terminal that goes away without a SIGHUP: heartline saves and exits, as when a terminal closes.

A closing terminal sends SIGHUP, and heartline saves what is in progress and
exits. A pseudo-terminal that is not the program's controlling terminal (a
test run's pty, killed by a timeout) just disappears: heartline used to spin
on its end-of-file at ~40% of a core for ever, the session neither saved nor
finished. Here the pty is closed mid-turn, without a signal; the session is
saved, as on a SIGHUP, and the process is gone within seconds.
"""

from __future__ import annotations

import os
import time

from heartline.sessions import paths, store
from tests.pty_screen import Terminal

SLOW = 60.0  # Python and Textual starting on a loaded two-core machine
GONE_WITHIN = 10.0  # seconds: heartline notices at once; room for a loaded machine to save and stop


def press_until(term: Terminal, words: str, *keys: str) -> None:
    """Press `keys` until `words` are on screen; a key the app took as carried over (a settle time) is pressed again."""
    deadline = time.monotonic() + SLOW
    while words not in term.flat():
        assert time.monotonic() < deadline, term.text()
        term.keys(*keys)
        until = time.monotonic() + 2.5
        while time.monotonic() < until and words not in term.flat():
            term.pump(0.1)


def test_a_terminal_gone_without_a_sighup_saves_the_session_and_heartline_exits(tmp_path):
    home = tmp_path / "home"
    term = Terminal(["start", "--left", "Alex", "--right", "Sam", "--protocol", "appreciation-round",
                     "--speak", "10m", "--reflect", "10m", "--rounds", "1", "--no-checkin"],
                    {**os.environ, "HEARTLINE_HOME": str(home)})
    try:
        term.wait("Is this right for us?", SLOW)  # once, before a first session
        term.keys("escape")
        term.wait("press f to agree", SLOW)
        press_until(term, "Alex has the floor", "f", "j")  # both agree to the rules
        press_until(term, "Sam has the floor", "f")  # Alex's first turn ends: a session worth keeping
        assert list(paths.sessions_dir(home).glob("*.journal"))  # a session in progress
        term.vanish()  # no SIGHUP: the pty is not heartline's controlling terminal
        deadline = time.monotonic() + GONE_WITHIN
        while term.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert term.process.poll() is not None, f"heartline still running {GONE_WITHIN} s after its terminal went"
    finally:
        term.close()
    (record,), errors = store.list_sessions(home)
    assert errors == []
    assert record["status"] == "ended-early" and record["ground_rules_agreed"] is True
    assert record["turns"][0]["by"] == "left" and record["turns"][0]["ended_by"] == "done"
    assert [p["name"] for p in record["partners"]] == ["Alex", "Sam"]
    assert not list(paths.sessions_dir(home).glob("*.journal"))  # saved whole, as on a SIGHUP

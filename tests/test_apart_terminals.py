"""Two real heartlines in two pseudo-terminals, through the tests' own mailbox server on 127.0.0.1 (issue 19).

`heartline start --apart` in one, `heartline join CODE` in the other, driven by
keys and read from the screen as a couple would (tests/pty_screen.py): a whole
speaker-listener session ends with the same record file on both machines; the
relay killed mid-turn pauses both with a calm line and its restart resumes
them; a `kill -9` of the joining side and `heartline join NEWCODE` continue
the session. Every wait is for words on screen, with room for a loaded
two-core CI; no turn is waited out.
"""

from __future__ import annotations

import os
import re
import time

import pytest

from heartline.sessions.engine.terms import SETTLE_SECONDS
from heartline.sessions.paths import sessions_dir
from tests.apart_server import mailbox  # noqa: F401 - a fixture
from tests.pty_screen import Terminal

CODE = re.compile(r"heartline join ([0-9]+(?:-[a-z]+)+)")
SLOW = 90.0  # seconds: Python, Textual and Twisted starting on a loaded machine
HALF = 40  # of 80 columns: the left pane's side
SETTLE = SETTLE_SECONDS + 0.2  # a key this soon after a step came was meant for the step before: a person waits
AGAIN = 2.5  # a key not taken (a loaded machine was slower than the settle time) is pressed again after this


@pytest.fixture
def terminals():
    started: list[Terminal] = []

    def start(argv: list[str], home) -> Terminal:
        term = Terminal(argv, {**os.environ, "HEARTLINE_HOME": str(home)})
        started.append(term)
        return term

    yield start
    for term in started:
        term.close()


def host_argv(relay: str) -> list[str]:
    return ["start", "--apart", "--left", "Alex", "--right", "Sam", "--protocol", "speaker-listener",
            "--speak", "60", "--reflect", "60", "--rounds", "1", "--no-checkin", "--relay", relay]


def begin(start, mailbox, tmp_path) -> tuple[Terminal, Terminal, str]:
    """Alex starts, Sam joins with the code; past the safety page, "Is now a good time?" and the rules, to Alex's floor."""
    host = start(host_argv(mailbox.url), tmp_path / "alex")
    code = host.wait(CODE, SLOW).group(1)
    guest = start(["join", code, "--relay", mailbox.url], tmp_path / "sam")
    host.wait("Is this right for us?", SLOW)  # once, before a first session, on the starting side
    host.keys("escape")
    guest.wait("Sam, the answer is yours", SLOW)  # "Is now a good time?": Sam, who listens first, answers
    host.wait("Is now a good time?", SLOW)
    settle(guest, host)
    deadline = time.monotonic() + SLOW
    while "press j to agree" not in guest.flat():  # now; a key within the settle time is pressed again
        assert time.monotonic() < deadline, guest.text()
        guest.keys("j")
        until = time.monotonic() + AGAIN
        while time.monotonic() < until and "press j to agree" not in guest.flat():
            guest.pump(0.1)
            host.pump(0.0)
    host.wait("press f to agree", SLOW)
    for _ in range(15):  # the rules are read before Sam agrees: the settle time after "now" (about a second)
        guest.pump(0.1)
        host.pump(0.0)
    guest.keys("j")
    host.keys("f")
    holder(host, "Alex")
    holder(guest, "Alex")
    return host, guest, code


def floor(term: Terminal) -> tuple[str, str] | None:
    """Which half holds the floor on this screen, and what it is doing there (the pane's ▶ … ◀ line)."""
    for line in term.text().splitlines():
        if "▶" in line and "◀" in line:
            start = line.index("▶")
            return ("left" if start < HALF else "right", line[start:line.index("◀") + 1])
    return None


def holder(term: Terminal, name: str, timeout: float = SLOW) -> None:
    term.wait(f"{name} has the floor", timeout)


def settle(*terms: Terminal) -> None:
    """The engine's settle time after a step came, both screens read meanwhile (a key sooner is not taken)."""
    until = time.monotonic() + SETTLE
    while time.monotonic() < until:
        terms[0].pump(0.05)
        for term in terms[1:]:
            term.pump(0.0)


def to_the_end(host: Terminal, guest: Terminal) -> None:
    """Whoever's answer the floor waits for presses their done (f for Alex at the host, j for Sam at the guest).

    That is the speaker, and while the speaker is "being heard" the listener, saying back what they heard (no
    turn is waited out). Each key comes after the engine's settle time, then the floor moves; a key it did not
    take (a loaded machine) is pressed again after a while. Both screens then show the summary.
    """
    deadline = time.monotonic() + 240
    while "Thank you both" not in host.flat():
        assert time.monotonic() < deadline, host.text()
        now = floor(host)
        if now is None:
            host.pump(0.2)
            continue
        settle(host, guest)
        if floor(host) != now:
            continue
        side = now[0] if "being heard" not in now[1] else ("right" if now[0] == "left" else "left")
        (host.keys("f") if side == "left" else guest.keys("j"))
        until = time.monotonic() + AGAIN
        while time.monotonic() < until and floor(host) == now and "Thank you both" not in host.flat():
            host.pump(0.1)
            guest.pump(0.0)
    guest.wait("Thank you both", SLOW)


def same_record_on_both(tmp_path) -> str:
    alex = sorted(sessions_dir(tmp_path / "alex").glob("*.toml"))
    sam = sorted(sessions_dir(tmp_path / "sam").glob("*.toml"))
    assert len(alex) == 1 and len(sam) == 1, (alex, sam)
    assert alex[0].name == sam[0].name
    assert alex[0].read_bytes() == sam[0].read_bytes()
    assert not list(sessions_dir(tmp_path / "alex").glob("*.journal"))  # written whole, then the journal went
    return alex[0].read_text()


def test_a_whole_session_apart_ends_with_the_same_record_on_both_machines(mailbox, tmp_path, terminals):
    host, guest, _ = begin(terminals, mailbox, tmp_path)
    assert "Sam · you" in guest.flat() and "Alex · you" in host.flat()
    guest.keys("j")  # Sam tries to end Alex's turn: blocked, on both screens
    guest.wait("Alex is still speaking", SLOW)
    host.wait("Alex is still speaking", SLOW)
    to_the_end(host, guest)
    guest.wait("Saved to", SLOW)
    text = same_record_on_both(tmp_path)
    assert 'status = "completed"' in text
    host.keys("enter")
    guest.keys("enter")


def test_the_relay_killed_mid_turn_pauses_both_and_its_restart_resumes_them(mailbox, tmp_path, terminals):
    host, guest, _ = begin(terminals, mailbox, tmp_path)
    mailbox.stop()
    host.wait("Waiting for Sam to come back — the session is paused, nothing is lost.", SLOW)
    guest.wait("Waiting for Alex to come back — the session is paused, nothing is lost.", SLOW)
    guest.wait("Alex's heartline is not answering: the session waits there and nothing is lost.", SLOW)
    host.wait("The relay cannot be reached just now", SLOW)
    mailbox.start()
    host.wait("Waiting for Sam", SLOW, gone=True)
    guest.wait("Waiting for Alex", SLOW, gone=True)
    assert "Paused" not in host.flat() and "not answering" not in guest.flat()
    holder(guest, "Alex")
    to_the_end(host, guest)
    guest.wait("Saved to", SLOW)
    same_record_on_both(tmp_path)


def test_kill_9_of_the_joining_side_and_join_with_a_new_code_continues_the_session(mailbox, tmp_path, terminals):
    host, guest, first = begin(terminals, mailbox, tmp_path)
    guest.kill9()
    host.wait("Waiting for Sam to come back — the session is paused, nothing is lost.", SLOW)
    code = host.wait(re.compile(r"Or read Sam this new code: ([0-9]+(?:-[a-z]+)+)"), SLOW).group(1)
    assert code != first
    assert "Escape ends the session; its summary asks what you keep." in host.flat()
    guest = terminals(["join", code, "--relay", mailbox.url], tmp_path / "sam")
    guest.wait("Sam · you", SLOW)
    host.wait("Waiting for Sam", SLOW, gone=True)
    holder(guest, "Alex")
    assert "Paused" not in host.flat()
    to_the_end(host, guest)
    guest.wait("Saved to", SLOW)
    same_record_on_both(tmp_path)

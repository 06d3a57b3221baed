"""Two heartlines, one conversation: both apps in this process, through a mailbox server on 127.0.0.1 (issue 19).

The host's engine decides; the guest's keys are its own partner's (all of
them, none of the other's); both screens show both names, each their own
marked "you"; a blocked key is blocked on both; at the end both machines keep
the same record. A hand-written peer that sends the other side's keys, floods,
megabytes, markup and escapes leaves the floor as it was and shows no markup.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time

import pytest

from heartline.sessions import store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.paths import sessions_dir
from heartline.tui.apart import wire
from heartline.tui.apart.run import guest_app, host_app
from heartline.tui.apart.screens import ConnectScreen, GuestSessionScreen, HostSessionScreen
from heartline.tui.cli import StartOptions
from heartline.tui.screens.summary import SummaryScreen
from heartline.tui.widgets.pane import PartnerPane
from tests.apart_server import mailbox  # noqa: F401 - a fixture

SIZE = (100, 32)
# One event loop for every apart test module: Twisted's reactor is installed once a process, on one loop.
pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.fixture(autouse=True)
def patient(monkeypatch):
    """Seconds pass on the manual clocks here in jumps (5 s, then 5 s more), quicker than the next ping (every 2 s
    of real time): the host took Sam for away after 10 s of clock-silence (1 run in 4, loaded). Nobody here is
    away; their own tests (test_apart_rejoin, test_apart_leaving) use the real window."""
    from heartline.tui.apart import screens

    monkeypatch.setattr(screens, "GONE_SECONDS", 10_000.0)


async def until(pilot, condition, what: str, timeout: float = 15.0):
    """Wait for something that crosses the network (a real one, on 127.0.0.1): polled, never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        await pilot.pause(0.01)
    raise AssertionError(f"not within {timeout} s: {what}")


def options(tmp_path, name: str, **extra) -> StartOptions:
    data, config = tmp_path / name / "data", tmp_path / name / "config"
    data.mkdir(parents=True)
    config.mkdir(parents=True, exist_ok=True)
    return StartOptions(data, config, **extra)


def host_options(tmp_path) -> StartOptions:
    return options(tmp_path, "host", left="Alex", right="Sam", protocol="speaker-listener", speak=60, reflect=30,
                   rounds=1, checkin=False)


def pane_text(app, side: str, part: str) -> str:
    pane = app.screen.query_one(f"#pane-{side}", PartnerPane)
    return str(pane.query_one(f"#{part}").render())


def pass_time(host, guest, seconds: float) -> None:
    """The same seconds on both machines' clocks."""
    host.config.clock.advance(seconds)
    guest.config.clock.advance(seconds)


async def code_of(pilot, host) -> str:
    return await until(pilot, lambda: isinstance(host.screen, ConnectScreen) and host.screen.link is not None
                       and host.screen.link.code, "the host's code")


async def _joined(mailbox, tmp_path, body) -> None:
    """Both apps on manual clocks (the engine's settle time passes when a test says so), joined."""
    async with both_joined(mailbox, tmp_path, host_options(tmp_path)) as (host, hp, guest, gp):
        await now_is_a_good_time(host, hp, guest, gp)
        await body(host, hp, guest, gp)


@contextlib.asynccontextmanager
async def both_joined(mailbox, tmp_path, host_opts: StartOptions):
    """Host and guest apps on manual clocks, joined through the mailbox, each on its session screen: yields
    (host, host's pilot, guest, guest's pilot)."""
    host = host_app(host_opts, mailbox.url, clock=ManualClock())
    host.config.first_safety = False  # the safety page once before a first session: its own tests
    async with host.run_test(size=SIZE) as hp:
        code = await code_of(hp, host)
        guest = guest_app(options(tmp_path, "guest"), mailbox.url, code, clock=ManualClock(monotonic=50.0))
        guest.config.first_safety = False
        async with guest.run_test(size=SIZE) as gp:
            await until(gp, lambda: isinstance(guest.screen, GuestSessionScreen), "the guest's session")
            await until(hp, lambda: isinstance(host.screen, HostSessionScreen) and host.screen.engine is not None,
                        "the host's session")
            yield host, hp, guest, gp


async def now_is_a_good_time(host, hp, guest, gp) -> None:
    """ "Is now a good time?" (issue 18): Sam, who listens first, answers from the guest's keyboard."""
    assert host.screen.engine.state().stage is Stage.GOOD_TIME and host.screen.engine.state().asked == "right"
    pass_time(host, guest, 1.0)
    await hp.press("j")  # the host's keyboard is all Alex's: not Alex's to answer
    await hp.pause()
    assert host.screen.engine.state().stage is Stage.GOOD_TIME
    await gp.press("j")
    await until(hp, lambda: host.screen.engine.state().stage is Stage.RULES, "now, at the host")
    await until(gp, lambda: guest.screen.engine.state().stage is Stage.RULES, "now, at the guest")
    pass_time(host, guest, 1.0)  # the rules read: Sam's next key is an answer, not "now" again


async def test_before_anything_is_sent_the_screen_says_what_goes_and_how_to_stop(mailbox, tmp_path):
    host = host_app(host_options(tmp_path), mailbox.url)
    async with host.run_test(size=SIZE) as pilot:
        await code_of(pilot, host)
        words = " ".join(" ".join(str(w.render()).split()) for w in host.screen.query("Static"))
        assert "encrypted end to end" in words and "To stop: escape" in words and mailbox.url in words
        await pilot.press("escape")
        await pilot.pause()
    assert not (tmp_path / "host" / "data" / "sessions").exists()  # nothing started, nothing saved half


async def test_both_see_both_names_and_each_their_own_marked_you(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        await gp.press("j")  # Sam agrees on the guest's keyboard
        await until(hp, lambda: host.screen.engine.partners["right"].agreed, "Sam's agreement at the host")
        assert not host.screen.engine.partners["left"].agreed
        await hp.press("f")
        await until(gp, lambda: guest.screen.engine.state().stage is Stage.FLOOR, "the floor on the guest")
        await hp.pause()
        assert pane_text(host, "left", "who") == "Alex · you" and pane_text(host, "right", "who") == "Sam"
        assert pane_text(guest, "right", "who") == "Sam · you" and pane_text(guest, "left", "who") == "Alex"

    await _joined(mailbox, tmp_path, body)


async def test_the_whole_keyboard_is_the_guests_partners_and_done_is_blocked_on_both(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        await gp.press("f")  # the left half of the guest's keyboard is Sam's too
        await until(hp, lambda: host.screen.engine.partners["right"].agreed, "Sam's agreement")
        assert not host.screen.engine.partners["left"].agreed  # never Alex's: Alex is at the other keyboard
        await hp.press("j")  # and the host's right half is Alex's
        await until(gp, lambda: guest.screen.engine.state().stage is Stage.FLOOR, "the floor on the guest")
        assert host.screen.engine.state().floor == "left"
        await gp.press("j")  # Sam tries to end Alex's turn
        await until(gp, lambda: "is still speaking" in pane_text(guest, "right", "nudge"), "the guest's nudge")
        await until(hp, lambda: "is still speaking" in pane_text(host, "right", "nudge"), "the host's nudge")
        assert host.screen.engine.state().floor == "left" and guest.screen.engine.state().floor == "left"
        assert host.screen.engine.partners["right"].interruptions_blocked == 1

    await _joined(mailbox, tmp_path, body)


async def test_a_session_ends_with_the_same_record_on_both_machines(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        await gp.press("j")
        await hp.press("f")
        await until(gp, lambda: guest.screen.engine.state().stage is Stage.FLOOR, "the floor")
        pass_time(host, guest, 5.0)
        await hp.press("f")  # Alex ends the speaking turn: Sam reflects
        await until(gp, lambda: guest.screen.engine.state().floor == "right", "the floor passed to Sam")
        pass_time(host, guest, 5.0)
        await gp.press("j")  # Sam is done reflecting
        await until(hp, lambda: host.screen.engine.state().floor == "left", "back to Alex to confirm")
        await gp.press("escape")  # Sam ends the session early, from the guest
        await gp.pause()
        await gp.press("y")
        await until(hp, lambda: isinstance(host.screen, SummaryScreen), "the host's summary")
        await until(gp, lambda: isinstance(guest.screen, SummaryScreen), "the guest's summary")

    await _joined(mailbox, tmp_path, body)
    host_files = list(sessions_dir(tmp_path / "host" / "data").glob("*.toml"))
    guest_files = list(sessions_dir(tmp_path / "guest" / "data").glob("*.toml"))
    assert len(host_files) == 1 and len(guest_files) == 1
    assert host_files[0].name == guest_files[0].name
    assert host_files[0].read_bytes() == guest_files[0].read_bytes()
    record = store.load_record(guest_files[0])
    assert record["status"] == "ended-early"
    assert [t["by"] for t in record["turns"]][:2] == ["left", "right"]
    assert not list(sessions_dir(tmp_path / "host" / "data").glob("*.journal"))  # written whole, then the journal went


async def test_a_hostile_peer_cannot_take_the_floor_flood_or_inject_markup(mailbox, tmp_path):
    from heartline.tui.apart.link import Link

    host = host_app(host_options(tmp_path), mailbox.url, clock=ManualClock())
    host.config.first_safety = False
    async with host.run_test(size=SIZE) as hp:
        code = await code_of(hp, host)
        peer = Link(mailbox.url, wire.hello("guest", "0.1.0"))  # a hand-written guest
        await peer.join(code)
        await until(hp, lambda: isinstance(host.screen, HostSessionScreen) and host.screen.engine is not None
                    and host.screen.link.on_message is not None, "the host's session")
        screen = host.screen

        def send(message) -> None:
            peer.send(message if isinstance(message, bytes) else json.dumps(message).encode())

        host.config.clock.advance(1.0)
        send(wire.intent("right.done", 1.0))  # "Is now a good time?" (issue 18): Sam says now
        await until(hp, lambda: screen.engine.state().stage is Stage.RULES, "now")
        host.config.clock.advance(1.0)  # the rules read: Sam's next key agrees
        send(wire.intent("right.done", 2.0))
        await until(hp, lambda: screen.engine.partners["right"].agreed, "Sam's agreement")
        await hp.press("f")
        assert screen.engine.state().floor == "left"
        send(wire.intent("left.done", 2.0))  # Alex's key, from Sam's side: refused
        send(wire.intent("left.not-quite", 2.0))
        send({"v": 1, "t": "session", "head": {}, "log": [], "at": 0})  # a host's message, from a guest
        send(wire.intent("right.note", 3.0, text="[bold red]I win[/]", kind="parking-lot"))
        send(wire.intent("right.note", 3.0, text="\x1b]0;owned\x07\x1b[2J", kind="parking-lot"))
        await until(hp, lambda: screen.refused == 4 and screen.engine.notes, "the first messages read")
        for n in range(300):  # a flood (10,000 at once: tests/test_apart_wire.py, on the rate limit itself)
            send(wire.intent("right.done", 4.0 + n * 1e-4))
        send(b"\x00" * (1024 * 1024))  # a megabyte
        send(wire.intent("right.not-quite", 5.0))  # the last one: once it is read, the flood is behind it
        await until(hp, lambda: any(e["op"] == "press" and e["action"] == "not-quite" for e in screen.engine.log)
                    or screen.limit.dropped > 0, "the flood read", timeout=60)
        state = screen.engine.state()
        assert state.floor == "left" and state.stage is Stage.FLOOR  # Alex still holds it
        assert screen.engine.partners["right"].interruptions_blocked <= 300  # what got through was blocked
        assert [n["text"] for n in screen.engine.notes] == ["[bold red]I win[/]"]  # the escape note refused whole
        await hp.press("space")  # the host answers its own keys at once, flood or not
        assert screen.engine.state().paused
        nudge = screen.query_one("#pane-right").query_one("#nudge").render()
        assert "[bold" not in str(nudge) or "I win" not in str(nudge)
        await peer.close()
        await hp.press("ctrl+q")


# ----- what is kept: the couple's choice, the same on both machines ----------------------

async def _to_the_end(host, hp, guest, gp, note: str = "") -> None:
    """Sam agrees, Alex speaks (Sam parks a topic for later), then Sam ends early: both summaries shown."""
    await gp.press("j")
    await hp.press("f")
    await until(gp, lambda: guest.screen.engine.state().stage is Stage.FLOOR, "the floor")
    if note:
        guest.screen.engine.add_note("right", note)  # as Sam's note screen sends it
        await until(hp, lambda: host.screen.engine.notes, "Sam's note at the host")
    pass_time(host, guest, 5.0)
    await gp.press("escape")
    await gp.pause()
    await gp.press("y")
    await until(hp, lambda: isinstance(host.screen, SummaryScreen), "the host's summary")
    await until(gp, lambda: isinstance(guest.screen, SummaryScreen), "the guest's summary")


def _files(tmp_path, who: str) -> list:
    return sorted(sessions_dir(tmp_path / who / "data").glob("*.toml"))


def _no_tallies(path) -> None:
    """The file as written (not as heartline reads it, which strips): no partner's tally, no note's author."""
    import tomllib

    from heartline.sessions import keep as keeping

    record = tomllib.loads(path.read_text())
    for partner in record["partners"]:
        assert not set(keeping.PARTNER_TALLIES) & set(partner)
    assert not any(e["kind"] in keeping.UNKEPT_EVENTS for e in record.get("events", []))
    assert record["notes"] and all("by" not in n for n in record["notes"] if n.get("kind") != "commitment")


async def test_keep_nothing_set_on_the_host_keeps_no_file_on_the_guest_either(mailbox, tmp_path):
    from heartline.sessions import prefs

    async def body(host, hp, guest, gp):
        await _to_the_end(host, hp, guest, gp)
        await until(gp, lambda: guest.screen.kept_nothing, "the guest's summary says nothing is kept")
        assert "Nothing of this session is kept" in str(guest.screen.query_one("#saved").render())

    config = tmp_path / "host" / "config"
    config.mkdir(parents=True)
    prefs.save(config, prefs.load(config).remember(keep="nothing"))
    await _joined(mailbox, tmp_path, body)
    assert _files(tmp_path, "host") == [] and _files(tmp_path, "guest") == []


async def test_a_choice_changed_on_the_host_summary_rewrites_the_guests_file(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        await _to_the_end(host, hp, guest, gp, note="thank you for calling")
        await until(gp, lambda: _files(tmp_path, "guest"), "the guest's file")
        assert "thank you for calling" not in _files(tmp_path, "guest")[0].read_text()  # the shape: no words
        await hp.press("2", "f")  # the couple keep their words too; Alex says yes to the topic for later
        await until(gp, lambda: guest.screen.question.asking == "topics" and guest.screen.query_one("#keep").display,
                    "the question on Sam's machine")
        await gp.press("j")  # and Sam, on Sam's own machine
        await until(gp, lambda: _files(tmp_path, "guest")
                    and "thank you for calling" in _files(tmp_path, "guest")[0].read_text(), "the words kept there")
        assert _files(tmp_path, "guest")[0].read_bytes() == _files(tmp_path, "host")[0].read_bytes()
        _no_tallies(_files(tmp_path, "guest")[0])
        await hp.press("3")  # nothing after all
        await until(gp, lambda: not _files(tmp_path, "guest"), "the guest's file gone")
        await until(gp, lambda: guest.screen.kept_nothing, "the guest's summary says nothing is kept")
        await hp.press("1")  # the shape again
        await until(gp, lambda: _files(tmp_path, "guest"), "the guest's file back")
        assert _files(tmp_path, "guest")[0].read_bytes() == _files(tmp_path, "host")[0].read_bytes()
        assert "thank you for calling" not in _files(tmp_path, "guest")[0].read_text()
        assert str(_files(tmp_path, "guest")[0]) in " ".join(str(guest.screen.query_one("#saved").render()).split())

    await _joined(mailbox, tmp_path, body)

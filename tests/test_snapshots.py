"""Snapshot tests: layout only (behaviour is asserted in test_live / test_around).

Every app here runs on a frozen manual clock and fixed folders, so the picture
is the same on every run. Update with `pytest --snapshot-update` and look at
the SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from heartline.sessions.clock import ManualClock
from heartline.sessions.setup import SessionPlan
from tests.records import make_record
from tests.snapfolders import fixed_folder
from heartline.tui.app import AppConfig, HeartlineApp

SNAP_HOME = Path("/tmp/heartline-snapshots")
LIVE = SessionPlan("speaker-listener", "Alex", "Sam", speak=120, reflect=60, rounds=2,
                   topic="How we spend the holidays", checkin=False)
FULL = SessionPlan("speaker-listener", "Alex", "Sam", speak=120, reflect=60, rounds=1,
                   topic="How we spend the holidays", checkin=True)


@pytest.fixture
def folders(request):
    """Fixed folder names so the saved path shown on screen is the same every run."""
    with fixed_folder(SNAP_HOME / request.node.name) as home:
        yield home


def build(folders: Path, plan: SessionPlan | None = None, clock: ManualClock | None = None) -> HeartlineApp:
    config = AppConfig(data_dir=folders / "data", config_dir=folders / "config", clock=clock or ManualClock(), seed=7)
    return HeartlineApp(config, plan)


async def no_blink(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def live(clock: ManualClock, *steps):
    """A run_before that plays (seconds, keys) steps on the manual clock."""

    async def run(pilot):
        for seconds, keys in steps:
            clock.advance(seconds)
            await pilot.press(*keys)
        pilot.app.screen.refresh_state() if hasattr(pilot.app.screen, "refresh_state") else None
        await no_blink(pilot)

    return run


LIVE_MOMENTS = {  # name: (terminal size, what happens first)
    "speaker_phase": ((100, 30), [(0, "fj"), (18, "")]),
    "speaker_phase_at_80x24": ((80, 24), [(0, "fj"), (18, "k")]),
    "reflect_phase": ((100, 30), [(0, "fj"), (30, "f"), (20, "")]),
    "nudge_shown": ((100, 30), [(0, "fj"), (18, "j")]),
    "paused": ((100, 30), [(0, "fj"), (12, ["space"])]),
    "grace": ((100, 30), [(0, "fj"), (44, "")]),
    "is_there_more": ((100, 30), [(0, "fj"), (30, "f"), (20, "j"), (2, "f")]),
}


@pytest.mark.parametrize("moment", LIVE_MOMENTS)
def test_live_screen(snap_compare, folders, moment):
    size, steps = LIVE_MOMENTS[moment]
    clock = ManualClock()
    app = build(folders, LIVE, clock)
    assert snap_compare(app, terminal_size=size, run_before=live(clock, *steps))


def test_time_out_screen(snap_compare, folders):
    clock = ManualClock()
    app = build(folders, LIVE, clock)

    async def run(pilot):
        await pilot.press("f", "j", "t")
        clock.advance(65)
        await pilot.pause()
        await pilot.press("a", "enter")  # asked when to come back: the minimum, offered
        await pilot.pause()
        await pilot.press("j")
        pilot.app.screen.redraw()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 30), run_before=run)


def test_summary(snap_compare, folders):
    clock = ManualClock()
    app = build(folders, SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1,
                                     checkin=False), clock)
    steps = [(0, "fj"), (8, "jf"), (15, "j"), (2, "d"), (4, "f"), (10, "j"), (1, "f"), (1, "d"), (6, "f"),
             (10, "j"), (1, "f"), (1, "f"), (27, ""), (2, "l"), (0, list("flights") + ["enter"]), (10, "f"),
             (1, "j"), (1, "j")]
    assert snap_compare(app, terminal_size=(100, 32), run_before=live(clock, *steps))


def test_too_small_notice(snap_compare, folders):
    app = build(folders, LIVE)
    assert snap_compare(app, terminal_size=(60, 20))


def test_home(snap_compare, folders):
    from heartline.sessions import store

    rec = make_record(protocol="state-of-the-union")
    rec["notes"] = [
        {"by": "left", "kind": "commitment", "text": "Cook together on Friday", "status": "open"},
        {"by": "right", "kind": "commitment", "text": "A walk after work, phones at home", "status": "kept"},
    ]
    store.save_record(rec, folders / "data")
    app = build(folders)
    assert snap_compare(app, terminal_size=(90, 28))


def test_setup(snap_compare, folders):
    app = build(folders)

    async def run(pilot):
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#left")
        await pilot.press(*"Alex", "tab", *"Sam")
        await pilot.press("ctrl+r")
        await no_blink(pilot)

    assert snap_compare(app, terminal_size=(100, 40), run_before=run)


def test_ground_rules(snap_compare, folders):
    app = build(folders, FULL)
    assert snap_compare(app, terminal_size=(100, 30), press=["f"])


def test_check_in_sealed(snap_compare, folders):
    app = build(folders, FULL)
    assert snap_compare(app, terminal_size=(100, 30), press=["f", "j", "3", "f", "7"])


def test_check_in_revealed(snap_compare, folders):
    app = build(folders, FULL)
    assert snap_compare(app, terminal_size=(100, 30), press=["f", "j", "3", "f", "7", "j"])


def test_appreciation(snap_compare, folders):
    clock = ManualClock()
    app = build(folders, SessionPlan("appreciation-round", "Alex", "Sam", rounds=1, checkin=False), clock)
    assert snap_compare(app, terminal_size=(100, 30), run_before=live(clock, (0, "fj"), (12, "")))


def test_recover_offer(snap_compare, folders):
    """The offer of a session that was not finished (issue 10): what it holds, and the four choices."""
    from heartline.sessions import journal
    from heartline.sessions.engine import Engine, Settings
    from heartline.sessions.rituals import load_rituals

    clock = ManualClock()
    ritual = load_rituals().get("speaker-listener")
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual, speak=120, reflect=60, rounds=1), clock,
                    rules=False, checkin=False, topic="How we spend the holidays")
    j = journal.Journal.start(folders / "data", engine)
    clock.advance(95)
    engine.add_note("right", "ask about the flights")
    clock.advance(10)
    engine.press("left", "done")
    j.close()
    clock.advance(3600)
    assert snap_compare(build(folders, clock=clock), terminal_size=(80, 24), run_before=no_blink)

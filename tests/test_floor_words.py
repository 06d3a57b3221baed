"""The floor as a newcomer reads it: one clock, each key named by what it does, feelings the same way round,
and a clock that grows with the window (issue 17, item 19)."""

from __future__ import annotations

from heartline.sessions.clock import ManualClock
from heartline.sessions.setup import SessionPlan
from tests.apps import make_app, text_of, to_the_floor

LOOP = SessionPlan("speaker-listener", "Maya", "Jon", speak=90, reflect=20, rounds=1, topic="Holidays", checkin=False)


async def test_the_big_clock_grows_in_a_large_window(tmp_path):
    """Seen: at 200×50 the clock stayed three rows high in a pane of forty."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, LOOP)
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await to_the_floor(pilot, app, clock)
        await pilot.pause()
        big = screen.query_one("#pane-left #clock")
        assert big.region.height >= 10 and big.region.width >= 40
        assert "█" in "".join(str(line) for line in big.render().renderable.plain.splitlines()[:1])


async def test_the_clock_keeps_its_size_at_80x24(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, LOOP)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_the_floor(pilot, app, clock)
        await pilot.pause()
        assert screen.query_one("#pane-left #clock").region.height in (0, 3)


async def test_the_floor_shows_one_clock(tmp_path):
    """Seen: "0:02 left · 0:09 of your floor in all": two countdowns on one pane."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, LOOP)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await to_the_floor(pilot, app, clock)
        line = text_of(screen, "#pane-left #timeline")
        assert ":" not in line and "Jon says it back" in line  # the big clock is the one count (issue 17)
        assert screen.query_one("#pane-left #clock").value == "0:28"
        assert ":" not in text_of(screen, "#pane-right #timeline")


async def test_the_right_partners_feelings_read_the_same_way_round(tmp_path):
    """Seen: the right partner's feelings ran 6 … 0, so "0 = great"; now 0 is struggling and 6 great."""
    clock = ManualClock()
    plan = SessionPlan("speaker-listener", "Maya", "Jon", speak=90, reflect=20, rounds=1, checkin=True)
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        screen = app.screen
        listed = text_of(screen, "#stage-right").splitlines()
        assert [line.split() for line in listed[1:6]] == [
            ["0", "struggling"], ["9", "low"], ["8", "okay"], ["7", "good"], ["6", "great"]]
        await pilot.press("5", "f", "0", "j")
        assert "feels 1 · struggling" in text_of(screen, "#stage-right")
        assert "feels 5 · great" in text_of(screen, "#stage-left")


def test_no_guidance_names_a_key_by_its_other_name():
    """Seen: "No puzzle? Not-quite skips this": the key is named by another of its meanings, not by what it does."""
    import re

    from heartline.sessions.rituals import CLARIFY, CONFIRM, MORE, load_rituals

    named = re.compile(r"^(done|not[- ]quite)\s*:|\b(done|not[- ]quite) skips", re.IGNORECASE)
    phases = [CONFIRM, MORE, CLARIFY]
    for ritual in load_rituals():
        phases += [ph for part in ritual.parts for ph in part.phases]
    lines = [line for ph in phases for line in (*ph.guidance("speaker"), *ph.guidance("listener"))]
    assert lines and not [line for line in lines if named.search(line)]

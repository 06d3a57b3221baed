"""The shared summary: figures a couple reads together, never a scoreboard by name."""

from __future__ import annotations

import re

from heartline.sessions.export import to_markdown
from heartline.sessions.summary import (
    as_table,
    balance_bar,
    balance_words,
    feeling_words,
    heard_words,
    shared_lines,
    summarize,
)
from tests.records import make_record

# What a scoreboard by name looks like: per-partner counts of blocked keys, retries, overtime.
SCOREBOARD = re.compile(
    r"interruption|blocked|overtime|tried again|right first time|first time|retr(y|ies)|hands raised|moments",
    re.IGNORECASE,
)


def confirm_turns(*ends: str) -> list[dict]:
    """A reflect / confirm sequence: each end is the confirm turn's ended_by."""
    turns, t = [], 0.0
    for end in ends:
        for phase in ("reflect", "confirm"):
            turns.append({"round": 1, "phase": phase, "by": "right" if phase == "reflect" else "left",
                          "started_offset_seconds": t, "planned_seconds": 30, "actual_seconds": 5.0,
                          "overtime_seconds": 0.0, "ended_by": "done" if phase == "reflect" else end,
                          "interruptions_blocked": 0})
            t += 5
    return turns


def test_reflections_heard_are_counted_together():
    record = make_record(turns=confirm_turns("done", "not-quite", "done", "done", "not-quite", "done"))
    s = summarize(record)
    assert (s.reflections_confirmed, s.confirmed_after_retry) == (4, 2)
    assert heard_words(s) == "4 reflections confirmed, 2 after a second try"


def test_a_third_try_is_not_called_a_second():
    s = summarize(make_record(turns=confirm_turns("not-quite", "not-quite", "done")))
    assert heard_words(s) == "1 reflection confirmed, 1 after trying again"


def test_older_records_without_confirm_turns_use_the_first_time_counts(sample_record):
    assert heard_words(summarize(sample_record)) == "3 reflections confirmed"


def test_the_floor_is_one_bar_between_two_names(sample_record):
    s = summarize(sample_record)
    bar = balance_bar(s, width=20)
    assert bar.startswith("Alex ") and bar.endswith(" Sam")
    assert bar.count("█") == 10 and bar.count("▒") == 10  # 402 s and 380 s: about half each
    assert balance_words(s) == "The floor was shared about evenly (Alex 6:42 · Sam 6:20)."
    record = make_record()
    record["partners"][1]["speaking_seconds"] = 100.0
    assert balance_words(summarize(record)) == "The floor: Alex 6:42 · Sam 1:40."
    assert balance_bar(summarize(record), width=20).count("█") == 16


def test_feelings_in_their_own_words():
    record = make_record()
    record["partners"][0]["feeling_before"] = "tired"
    s = summarize(record)
    assert feeling_words(s.feelings[0]) == "Alex: 3 okay “tired” → 4 good"
    del record["partners"][1]["mood_before"], record["partners"][1]["mood_after"]
    assert not summarize(record).feelings[1].answered


def test_the_shared_lines_and_table_hold_no_score(sample_record):
    s = summarize(sample_record)
    lines = shared_lines(s)
    assert lines[0] == "26 min together."
    assert "1 thought held for later." in lines
    assert not SCOREBOARD.search("\n".join(lines))
    assert set(as_table(s)) >= {"together_seconds", "reflections_confirmed", "thoughts_held"}
    assert not SCOREBOARD.search(" ".join(as_table(s)))


def test_markdown_is_read_together_not_scored(sample_record):
    """What was seen: per-partner rows of blocked keys, retries and overtime, and '## Moments'."""
    md = to_markdown(sample_record)
    assert not SCOREBOARD.search(md), SCOREBOARD.search(md)
    assert "| 2 | 0 |" not in md and "| 1 | 2 |" not in md
    for expected in (
        "26 min together",
        "The floor was shared about evenly (Alex 6:42 · Sam 6:20).",
        "What was heard: 3 reflections confirmed.",
        "Alex: 3 okay → 4 good",
        "Sam: 2 low → 4 good",
        "- **Sam:** ask about the flights",
        "- [ ] **Alex:** book the train",
    ):
        assert expected in md, expected


async def test_summary_screen_shows_no_scoreboard(tmp_path):
    """What was seen: 'interruptions blocked 0 | 6', 'reflections tried again 0 | 1' by name on the summary."""
    from heartline.sessions.clock import ManualClock
    from heartline.sessions.engine import Stage
    from heartline.sessions.setup import SessionPlan
    from heartline.tui.screens.summary import SummaryScreen
    from tests.apps import make_app, text_of

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", speak=10, reflect=5, rounds=1,
                                                checkin=False))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f", "j")
        engine = app.screen.engine
        clock.advance(5)
        await pilot.press("j", "j", "j")  # Sam presses done while Alex holds the floor: blocked
        clock.advance(20)  # Alex runs over into grace
        await pilot.press("f")
        retried = False
        for _ in range(40):
            if engine.stage is not Stage.FLOOR:
                break
            state = engine.state()
            clock.advance(3)
            if state.step.is_confirm and not retried:
                retried = True
                await pilot.press("d" if state.floor == "left" else "k")  # not quite, once
            else:
                await pilot.press("f" if state.floor == "left" else "j")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        rec = app.screen.record
        kinds = [e["kind"] for e in engine.events]
        assert "interruption-blocked" in kinds and "not-quite" in kinds  # the engine saw it…
        assert not {"interruptions_blocked", "reflection_retries"} & set(rec["partners"][1])  # …no view holds it
        shown = text_of(app.screen, "#shared") + text_of(app.screen, "#subtitle")
        assert not SCOREBOARD.search(shown), shown  # …the view chooses kind words
        assert "Alex █" in shown and "▒ Sam" in shown
        assert "after a second try" in shown


def test_svg_export_is_read_together_not_scored(sample_record):
    from heartline.sessions.export import to_svg

    svg = to_svg(sample_record)
    assert not SCOREBOARD.search(svg), SCOREBOARD.search(svg)
    assert "reflections&#160;confirmed" in svg or "reflections confirmed" in svg


async def test_escape_on_the_summary_goes_home(tmp_path):
    """Issue 17, item 18: escape did nothing on the summary (only enter or h went home)."""
    from heartline.sessions.clock import ManualClock
    from heartline.sessions.setup import SessionPlan
    from heartline.tui.screens.home import HomeScreen
    from heartline.tui.screens.summary import SummaryScreen
    from tests.apps import make_app, until

    app = make_app(tmp_path, ManualClock(), SessionPlan("speaker-listener", "Alex", "Sam", speak=10, reflect=5,
                                                        rounds=1, checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))

"""Text fitted to the screen is measured in cells, as the terminal draws it, not in characters.

Seen at 80×24 (tmux): the topic “我们的周末计划和家务分工 💞💞” is 36 characters but 50 cells on the top line, so the
round and time kept all their words and the topic was cut ("我们的周末计划和 …") though shorter words fitted it whole.
"""

from __future__ import annotations

from rich.cells import cell_len

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.setup import SessionPlan
from heartline.tui.cells import cut
from heartline.tui.screens.session import SessionScreen
from tests.apps import make_app, text_of

CJK = "我们的周末计划和家务分工 💞💞"
RITUAL = "Speaker–listener"


def test_cut_counts_cells_and_keeps_accents_with_their_letters():
    assert cut("我们的周末", 10) == "我们的周末" and cut("我们的周末", 6) == "我们…" and cut("我们的周末", 5) == "我们…"
    assert cut("💞💞💞", 4) == "💞…" and cut("我", 1) == "…" and cut("abc", 0) == ""
    assert cut("e\u0301" * 5, 5) == "e\u0301" * 5  # 10 characters, 5 cells: whole
    assert cut("e\u0301" * 5 + "x", 4) == "e\u0301" * 3 + "…"  # never an accent without its letter


def test_the_round_and_time_give_way_by_cells_for_a_wide_topic():
    """The top line's own decision: 50 cells of ritual and topic leave 26 for the right at 80 columns."""
    right = SessionScreen._top_right(RITUAL, CJK, (1, 2), "under a minute", 80)
    assert right == "round 1/2 · under a minute"
    assert cell_len(f"{RITUAL} · “{CJK}”") <= 80 - cell_len(right) - 4


def test_accents_that_take_no_cell_do_not_make_the_words_give_way():
    topic = "Vie\u0302\u0323c nha\u0300 cu\u0309a ta"  # decomposed Vietnamese: 19 characters, 15 cells
    assert SessionScreen._top_right(RITUAL, topic, (1, 2), "under a minute", 80) == \
        "round 1 of 2 · under a minute together"


def test_the_topic_is_cut_in_cells_with_its_ellipsis_in_sight():
    line = SessionScreen._top_line(RITUAL, CJK, 40)
    assert line == f"{RITUAL} · “我们的周末计划和家…”" and cell_len(line) == 40


async def test_a_wide_topic_is_read_whole_on_the_top_row_at_80x24(tmp_path):
    plan = SessionPlan("speaker-listener", "Maya 🌸", "Jon 🌊", speak=120, rounds=2, topic=CJK, checkin=False)
    clock = ManualClock()
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        clock.advance(2)
        app.screen.refresh_state()
        await pilot.pause()
        screen = app.screen
        assert screen.engine.stage is Stage.FLOOR
        assert text_of(screen, "#top") == f"{RITUAL} · “{CJK}”"
        assert text_of(screen, "#top-right") == "round 1/2 · under a minute"
        row = "".join(strip.text for strip in screen._compositor.render_strips()[:1])
        assert f"“{CJK}”" in row and "round 1/2 · under a minute" in row  # both whole, on the one row


async def test_the_saying_back_cue_counts_an_emoji_name_in_cells(tmp_path):
    """Seen in tmux at 80×24: the cue as the chunk ended was 76 characters but 83 cells, and ended "what they"."""
    plan = SessionPlan("speaker-listener", 'Jon "JJ" O\'Brien', "Maya 🌸🌸🌸🌸🌸🌸🌸", speak=90, reflect=20, rounds=1,
                       checkin=False)
    clock = ManualClock()
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        clock.advance(2)
        app.screen.refresh_state()
        await pilot.pause()
        screen = app.screen
        clock.advance(10)
        await pilot.press("f")  # Jon's chunk ends: Maya says it back (the cue, its first seconds)
        screen.refresh_state()
        await pilot.pause()
        said = 'Jon "JJ" O\'Brien has the floor — Maya 🌸🌸🌸🌸🌸🌸🌸 is saying it back'
        assert screen._cue[0] == said and text_of(screen, "#banner") == said
        assert said in screen._compositor.render_strips()[1].text  # whole on its row


def test_a_past_sessions_cell_is_cut_in_cells():
    from heartline.tui.screens.history import _fit

    assert _fit("我们的周末计划和家务分工 💞💞", 16) == "我们的周末计划…"  # 16 characters but 29 cells
    assert _fit("Holidays  and\nmore", 17) == "Holidays and more" and _fit("Bartholomew's birthday", 8) == "Barthol…"


async def test_a_wide_topic_in_past_sessions_ends_with_its_ellipsis_at_80x24(tmp_path):
    """Seen: the row read "我们的周末计划和" with no ellipsis: the table cropped a topic `_fit` thought fitted."""
    from datetime import datetime

    from heartline.sessions import store
    from heartline.tui.widgets.session_table import SessionTable
    from tests.records import CET, make_record

    store.save_record(make_record(id="20261126-090000-alex-sam", topic=CJK, started_at=datetime(2026, 11, 26, 9, 0,
                      tzinfo=CET), ended_at=datetime(2026, 11, 26, 9, 30, tzinfo=CET)), tmp_path / "data")
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        row = app.screen.query_one(SessionTable).render_line(1).text
        assert " 我们的周末计划…  " in row and "26 min" in row


def test_heartline_history_cuts_a_topic_in_cells(capsys, heartline_home):
    """A topic of 40 CJK characters was cut to 31 and an ellipsis: 63 cells, not the 32 of the ASCII ones."""
    from heartline.sessions import store
    from heartline.tui import cli
    from tests.records import make_record

    store.save_record(make_record(topic="我们的周末计划和家务分工" * 3 + "💞💞💞💞"), heartline_home)
    assert cli.main(["history"]) == 0
    row = capsys.readouterr().out.splitlines()[1]
    topic = row.split(" · ", 1)[1]
    assert topic == "我们的周末计划和家务分工我们的…" and cell_len(topic) <= cli.TOPIC_WIDTH

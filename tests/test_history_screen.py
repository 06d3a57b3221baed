"""Past sessions and one session in full, driven with the pilot."""

from __future__ import annotations

import io
import os
import stat
import xml.dom.minidom

from rich.console import Console
from textual.widgets import Input

from heartline.sessions import store
from heartline.sessions.export import timeline
from heartline.sessions.clock import ManualClock
from tests.apps import make_app
from tests.bench.generate import generate
from heartline.tui.screens.dialogs import DeleteScreen
from heartline.tui.screens.history import HistoryScreen, SessionDetail, balance_bar, felt, layout
from heartline.tui.screens.trends import TrendsScreen
from heartline.tui.widgets.session_table import SessionTable


def _history(tmp_path, count=12):
    generate(tmp_path / "data", count, seed=3)
    return make_app(tmp_path, ManualClock())


def _table(app) -> SessionTable:
    return app.screen.query_one(SessionTable)


async def test_filter_by_typing_open_and_back(tmp_path):
    app = _history(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen) and _table(app).row_count == 12
        topics = [e["topic"] for e in app.screen.shown]
        wanted = next(t for t in topics if t)
        word = wanted.split()[-1].lower()
        await pilot.press(*word)  # typed straight at the table: it goes to the filter
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == word
        shown = app.screen.shown
        assert 0 < len(shown) < 12 and all(word in e["topic"].lower() for e in shown)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionDetail)
        assert app.screen.record["id"] == shown[min(1, len(shown) - 1)]["id"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_filter_by_name_and_ritual(tmp_path):
    app = _history(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"sam")
        await pilot.pause()
        assert _table(app).row_count == 12
        app.screen.query_one("#filter", Input).value = "nobody"
        await pilot.pause()
        assert _table(app).row_count == 0 and "0 of 12" in str(app.screen.query_one("#count").content)
        app.screen.query_one("#filter", Input).value = "speaker listener"
        await pilot.pause()
        assert all(e["protocol"] == "speaker-listener" for e in app.screen.shown) and app.screen.shown


async def test_export_from_the_session_in_full(tmp_path):
    app = _history(tmp_path, 3)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, SessionDetail)
        for fmt_keys in (["enter"], ["down", "enter"]):  # markdown, then svg
            await pilot.press("e")
            await pilot.pause()
            await pilot.press(*fmt_keys)
            await pilot.pause()
            path = detail.exported
            assert path.is_file() and stat.S_IMODE(os.stat(path).st_mode) == 0o600
            assert path.parent == tmp_path / "data" / "exports"
        assert path.suffix == ".svg"
        xml.dom.minidom.parseString(path.read_text(encoding="utf-8"))
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")  # markdown again: a new file, the first kept
        await pilot.pause()
        assert detail.exported.name.endswith("-2.md")


async def test_delete_asks_then_moves_to_trash(tmp_path):
    app = _history(tmp_path, 4)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        first = app.screen.shown[0]["id"]
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, DeleteScreen)
        await pilot.press("n")  # keep it
        await pilot.pause()
        assert (tmp_path / "data" / "sessions" / f"{first}.toml").is_file() and _table(app).row_count == 4
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("t")  # to the trash
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen) and _table(app).row_count == 3
        assert not (tmp_path / "data" / "sessions" / f"{first}.toml").exists()
        assert (tmp_path / "data" / "trash" / f"{first}.toml").is_file()
        assert first not in [e["id"] for e in app.screen.shown]


async def test_delete_for_good_removes_the_file_its_exports_and_its_row(tmp_path):
    app = _history(tmp_path, 3)
    data = tmp_path / "data"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        first = app.screen.shown[0]["id"]
        exports = data / "exports"
        exports.mkdir(mode=0o700)
        for name in (f"{first}.md", f"{first}-2.svg"):
            (exports / name).write_text("x", encoding="utf-8")
        await pilot.press("delete")
        await pilot.pause()
        words = " ".join(str(label.render()) for label in app.screen.query("Label"))
        assert "restore it" in words and "backups" in words and "disk-recovery" in words
        await pilot.press("g")  # for good
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen) and _table(app).row_count == 2
    assert not (data / "sessions" / f"{first}.toml").exists() and not (data / "trash").exists()
    assert list(exports.iterdir()) == []
    assert first not in (data / "index.json").read_text(encoding="utf-8")


async def test_detail_shows_each_figure_once_and_a_timeline(tmp_path):
    path = generate(tmp_path / "data", 1, seed=5)[0]
    record = store.load_record(path)
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(SessionDetail(record))
        await pilot.pause()
        console = Console(width=100, record=True, file=io.StringIO(), color_system=None)
        for widget in app.screen.query("Static"):
            console.print(widget.content)
        text = console.export_text()
        assert text.count("How the floor was shared") == 1 and "interruptions" not in text
        first = timeline(record)[0][1]  # whichever ritual the generator drew, its first turn is on the timeline
        assert "Timeline" in text and first in text


async def test_trends_screen_windows(tmp_path):
    app = _history(tmp_path, 40)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        trends = app.screen.trends  # a run the generator left not started is counted apart
        assert isinstance(app.screen, TrendsScreen) and trends.sessions + trends.not_started == 40 and trends.sessions >= 38
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.trends.sessions == 10
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.trends.sessions == 30


def test_columns_fit_80_and_grow_the_topic():
    narrow, wide = layout(80), layout(120)
    used = sum(narrow.values()) + 2 * len(narrow) + 2
    assert used <= 80 and narrow["topic"] >= 14
    assert wide["topic"] > narrow["topic"] and wide["when"] > narrow["when"]


def test_bar_and_feelings():
    entry = {"partners": [{"speaking_seconds": 30.0, "mood_before": 2, "mood_after": 4},
                          {"speaking_seconds": 90.0, "mood_before": 3}]}
    assert balance_bar(entry) == "██░░░░" if round(6 * 0.25) == 2 else True
    assert felt(entry) == "2→4 3→–"
    assert felt({"partners": [{}, {}]}) == "–"


async def test_typing_on_and_back_shows_exactly_the_matching_sessions(tmp_path):
    """The filter narrows from the last answer while a word grows; a backspace or a new word starts again."""
    app = _history(tmp_path, 40)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        every = list(screen.shown)

        def expected(value):
            words = value.casefold().split()
            return [e["id"] for e in every
                    if all(any(w in field.casefold() for field in (e["topic"], e["protocol"],
                                                                   screen._ritual[e["protocol"]],
                                                                   *(p["name"] for p in e["partners"]),
                                                                   e["words"]))
                           for w in words)]

        box = screen.query_one("#filter", Input)
        for keys in (["s"], ["a"], ["m"], ["backspace"], ["backspace"], ["space", "t"], ["backspace"] * 4,
                     ["m", "o"], ["escape"]):
            await pilot.press(*keys)
            await pilot.pause()
            assert [e["id"] for e in screen.shown] == expected(box.value), box.value
            assert _table(app).row_count == len(screen.shown)
        assert box.value == "" and len(screen.shown) == 40


async def test_trends_names_a_long_ritual_with_an_ellipsis(tmp_path):
    """Seen with tui-drive: "Daily temperature readin" and "Stress-reducing conversa", cut mid-word with no sign."""
    app = _history(tmp_path, 40)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        bars = app.screen.query_one("#bars").content.plain
        used = set(app.screen.trends.rituals)
    long_names = [r.name for r in app.rituals if len(r.name) > 24 and r.id in used]
    assert long_names  # the generated history uses them
    for name in long_names:
        assert name[:23] + "…" in bars and name[:24] + "\n" not in bars and name[:24] + " " not in bars


def _two_on_one_day(home):
    from datetime import datetime

    from tests.records import CET, make_record

    for hour, topic, notes in ((9, "morning", [{"by": "left", "kind": "parking-lot", "text": "ask about the flights"}]),
                               (21, "evening", [])):
        store.save_record(make_record(id=f"20261126-{hour:02d}0000-alex-sam", topic=topic, notes=notes,
                                      started_at=datetime(2026, 11, 26, hour, 0, tzinfo=CET),
                                      ended_at=datetime(2026, 11, 26, hour, 30, tzinfo=CET)), home)


async def test_at_80_columns_two_sessions_of_one_day_show_their_times(tmp_path):
    """Issue 17, item 19: at 80 columns only the date was shown, so same-day sessions looked alike."""
    _two_on_one_day(tmp_path / "data")
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        rows = [app.screen._cells(e, app.screen._layout) for e in app.screen.shown]
        assert [r[0] for r in rows] == ["11-26 21:00", "11-26 09:00"]
        assert all(len(r[0]) <= app.screen._layout["when"] for r in rows)


def test_another_years_session_keeps_its_year_at_80_columns():
    assert layout(80)["when"] >= len("11-26 09:00") and layout(80)["topic"] >= 14


async def test_the_filter_finds_a_session_by_its_notes(tmp_path):
    """Issue 17, item 19: notes could not be searched (where the record keeps their words)."""
    _two_on_one_day(tmp_path / "data")
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"flights")
        await pilot.pause()
        assert [e["topic"] for e in app.screen.shown] == ["morning"]
    app = make_app(tmp_path, ManualClock())  # and again from the index alone
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        await pilot.press(*"flights")
        await pilot.pause()
        assert [e["topic"] for e in app.screen.shown] == ["morning"]

"""Never lose a session: the offer at the next start, a save that cannot lie, two sessions in one second.

Issue 10, items 1 (the offer and recovery in the app), 2 (same-second ids in the app) and 3 (a failed save).
"""

from __future__ import annotations

import contextlib
import errno
from datetime import timedelta

from heartline.sessions import journal, paths, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.sessions.setup import SessionPlan
from heartline.tui.screens.home import HomeScreen
from heartline.tui.screens.recover import RecoverScreen
from heartline.tui.screens.session import SessionScreen
from heartline.tui.screens.summary import SummaryScreen
from tests.apps import make_app, text_of
from heartline.sessions.keep import kept

PLAN = SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1, topic="the holidays",
                   checkin=False)


async def settle(pilot, app):
    if isinstance(app.screen, SessionScreen):
        app.screen.refresh_state()
    await pilot.pause()


async def _play_and_abandon(tmp_path, clock):
    """A session with a complete turn, a note and a blocked key; then the app goes without saving (a crash)."""
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        await pilot.press("f", "j")
        clock.advance(5)
        await pilot.press("j")  # blocked
        await pilot.press("l", *"flights", "enter")
        clock.advance(10)
        await pilot.press("f")  # Alex's turn is complete
        clock.advance(4)
        await settle(pilot, app)
        engine = screen.engine
        expected = engine.record()
        screen.saver.close()
        screen.saver = _Crashed()  # the process dies here: nothing more is written
    return expected


class _Crashed:
    """Stands in for the saver of a process that was killed: it saves nothing."""

    error = "killed"
    journal_kept = True

    def save(self):
        return None

    def close(self):
        pass


def _data(tmp_path):
    return tmp_path / "data"


async def test_the_next_start_offers_the_session_and_recovering_keeps_everything(tmp_path):
    clock = ManualClock()
    expected = kept(await _play_and_abandon(tmp_path, clock), "shape")  # recovered: its shape
    assert store.list_sessions(_data(tmp_path)) == ([], [])
    clock.advance(60)
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        what = text_of(app.screen, "#what")
        assert "Alex & Sam" in what and "1 turn complete" in what and "1 note" in what
        assert "resume" in text_of(app.screen, "#choices")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    (record,), errors = store.list_sessions(_data(tmp_path))
    assert errors == [] and record["status"] == "recovered"
    assert record["turns"][0] == expected["turns"][0] and record["turns"][0]["ended_by"] == "done"
    assert record["notes"] == expected["notes"] and record["events"] == expected["events"]
    assert list(paths.sessions_dir(_data(tmp_path)).glob("*.journal")) == []


async def test_resume_in_the_app_the_next_day_and_finish(tmp_path):
    clock = ManualClock()
    expected = kept(await _play_and_abandon(tmp_path, clock), "shape")  # recovered: its shape
    clock.advance(timedelta(hours=22).total_seconds())
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        state = screen.engine.state()
        assert state.paused and state.floor == "right" and state.step.kind == "reflect"
        await pilot.press("space")
        for _ in range(20):
            if screen.engine.stage is Stage.ENDED:
                break
            clock.advance(3)
            await pilot.press("f" if screen.engine.state().floor == "left" else "j")
            await settle(pilot, app)
        assert isinstance(app.screen, SummaryScreen)
        assert "Saved to" in text_of(app.screen, "#saved")
    (record,), _ = store.list_sessions(_data(tmp_path))
    assert record["status"] == "completed" and record["notes"] == []  # the shape, kept by default
    assert record["turns"][0] == expected["turns"][0]
    assert "interruption-blocked" not in [e["kind"] for e in record["events"]]  # never kept (issue 16)
    assert list(paths.sessions_dir(_data(tmp_path)).glob("*.journal")) == []


async def test_put_away_moves_it_to_the_trash(tmp_path):
    clock = ManualClock()
    await _play_and_abandon(tmp_path, clock)
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert len(list((_data(tmp_path) / "trash").glob("*.journal"))) == 1
    assert journal.unfinished(_data(tmp_path)) == ([], [])


async def test_start_with_an_unfinished_session_offers_it_first_then_starts(tmp_path):
    clock = ManualClock()
    await _play_and_abandon(tmp_path, clock)
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        await pilot.press("l")  # later
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and app.screen.engine.stage is Stage.RULES


def _read_only(monkeypatch, tmp_path):
    """heartline's folder cannot be written (as root, chmod would not stop us: fail the writer instead)."""
    def refuse(path, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(store, "write_private", refuse)


async def test_a_failed_save_says_so_keeps_the_session_and_offers_it_again(tmp_path, monkeypatch):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f", "j")
        clock.advance(5)
        await pilot.press("l", *"flights", "enter")
        _read_only(monkeypatch, tmp_path)
        await pilot.press("escape", "y")
        await settle(pilot, app)
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        words = text_of(summary, "#title") + text_of(summary, "#saved")
        assert "all of it is kept" not in words
        assert "could not be saved" in words and "read-only file system" in words
        assert "offers it again" in words
        await pilot.press("r")  # still read-only: says so again, nothing lost
        await pilot.pause()
        assert "could not be saved" in text_of(summary, "#saved")
        await pilot.press("enter")  # home: the journal holds it
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    monkeypatch.undo()
    assert store.list_sessions(_data(tmp_path)) == ([], [])
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        assert "1 note" in text_of(app.screen, "#what")
        await pilot.press("s")
        await pilot.pause()
    (record,), _ = store.list_sessions(_data(tmp_path))
    assert record["notes"] == [] and record["status"] == "not-started"  # its shape: no note's text


async def test_try_again_after_a_failed_save(tmp_path, monkeypatch):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f", "j")
        _read_only(monkeypatch, tmp_path)
        await pilot.press("escape", "y")
        await settle(pilot, app)
        monkeypatch.undo()
        await pilot.press("r")
        await pilot.pause()
        words = text_of(app.screen, "#title") + text_of(app.screen, "#saved")
        assert "Saved to" in words and "it is kept as you chose" in words
    assert len(store.list_sessions(_data(tmp_path))[0]) == 1
    assert list(paths.sessions_dir(_data(tmp_path)).glob("*.journal")) == []


async def test_save_elsewhere_after_a_failed_save(tmp_path, monkeypatch):
    clock = ManualClock()
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f", "j")
        _read_only(monkeypatch, tmp_path)
        await pilot.press("escape", "y")
        await settle(pilot, app)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*str(elsewhere), "enter")
        await pilot.pause()
        assert "Saved to" in text_of(app.screen, "#saved")
    (saved,) = elsewhere.glob("*.toml")
    assert store.load_record(saved)["status"] == "not-started"


async def test_two_apps_starting_in_the_same_second_keep_both_sessions(tmp_path):
    clock = ManualClock()
    first = make_app(tmp_path, clock, PLAN)
    second = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20,
                                                   rounds=1, topic="the other one", checkin=False))
    async with first.run_test(size=(100, 32)) as p1, second.run_test(size=(100, 32)) as p2:
        await p1.press("escape", "y")
        await p2.press("escape", "y")
        await p1.pause()
        await p2.pause()
    records, errors = store.list_sessions(_data(tmp_path))
    assert errors == [] and sorted(r["topic"] for r in records) == ["the holidays", "the other one"]


async def test_quitting_during_a_time_out_keeps_it_to_come_back_to(tmp_path):
    """A time-out is a break, not an ending: quitting in one leaves the session to take up again."""
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f", "j")
        clock.advance(5)
        await pilot.press("t")
        await settle(pilot, app)
        await app.action_quit()
    assert list(paths.sessions_dir(tmp_path / "data").glob("*.toml"))[0].stat().st_size == 0  # no record yet
    (item,), _ = journal.unfinished(tmp_path / "data")
    assert item.engine.pause_kind == "time-out" and item.can_resume(clock.now())


async def test_quitting_mid_turn_still_saves_as_ended_early(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("f", "j")
        clock.advance(5)
        await app.action_quit()
    (record,), _ = store.list_sessions(tmp_path / "data")
    assert record["status"] == "not-started" and journal.unfinished(tmp_path / "data")[0] == []


async def test_resume_key_pressed_twice_does_not_open_the_repair_list(tmp_path):
    """Seen at 80x24: `r r` on "A session was not finished" resumed, then the second `r` opened the repair list
    on a session nobody had seen yet. Within the settle time it is resume's key again; after it, a repair."""
    from heartline.tui.screens.repair import RepairScreen

    clock = ManualClock()
    await _play_and_abandon(tmp_path, clock)
    clock.advance(60)
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        await pilot.press("r", "r")
        await pilot.pause()
        session = app.screen
        assert isinstance(session, SessionScreen) and not session.engine.state().repair
        clock.advance(1)  # read, then meant: the repair key works as ever
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RepairScreen)


async def test_put_away_before_a_session_is_said_in_its_row_not_over_the_right_keys(tmp_path):
    """Seen at 80x24: `heartline start` with an unfinished session, `p`: the toast "Put away in …/trash" sat over
    the right partner's key bar. It is said in the session's own row, as the app's other notices are."""
    clock = ManualClock()
    await _play_and_abandon(tmp_path, clock)
    app = make_app(tmp_path, clock, PLAN)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        await pilot.press("p")
        await pilot.pause()
        session = app.screen
        assert isinstance(session, SessionScreen)
        assert "Put away in" in text_of(session, "#notice")
        assert not app._notifications  # no toast


async def _offer(pilot, app):
    await pilot.pause()
    assert isinstance(app.screen, RecoverScreen)


@contextlib.asynccontextmanager
async def _offered(tmp_path, clock):
    """A session left unfinished a minute ago, and a new app at 80x24 on the offer to recover it."""
    await _play_and_abandon(tmp_path, clock)
    clock.advance(60)
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _offer(pilot, app)
        yield app, pilot


async def test_put_away_key_pressed_twice_does_not_open_past_sessions(tmp_path):
    """Seen at 80x24: `p p` on the offer put the session away, then the second `p` opened Past sessions on home.
    Within the settle time it is put-away's key again; after it, home's own."""
    from heartline.tui.screens.history import HistoryScreen

    clock = ManualClock()
    async with _offered(tmp_path, clock) as (app, pilot):
        await pilot.press("p", "p")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert journal.unfinished(_data(tmp_path)) == ([], [])  # the first `p` did put it away
        clock.advance(1)  # read, then meant: Past sessions
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_save_key_pressed_twice_does_not_open_the_setup_form(tmp_path):
    """Seen at 80x24: `s s` on the offer saved it as recovered, then the second `s` opened the setup form."""
    from heartline.tui.screens.setup import SetupScreen

    clock = ManualClock()
    async with _offered(tmp_path, clock) as (app, pilot):
        await pilot.press("s", "s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        (record,), _ = store.list_sessions(_data(tmp_path))
        assert record["status"] == "recovered"
        await pilot.press("x", "s")  # another key first: the next `s` is meant, however soon
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)


async def test_a_double_press_saves_one_of_two_unfinished_sessions_not_both(tmp_path):
    """With two sessions offered, `s s` saved both: the second on an offer nobody had read."""
    clock = ManualClock()
    await _play_and_abandon(tmp_path / "first", clock)
    clock.advance(60)
    await _play_and_abandon(tmp_path, clock)
    clock.advance(60)
    for left in (_data(tmp_path / "first") / "sessions").iterdir():  # both left behind in one folder
        left.rename(_data(tmp_path) / "sessions" / left.name)
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _offer(pilot, app)
        assert len(app.screen.items) == 2
        await pilot.press("s", "s")
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen) and len(app.screen.items) == 1
        assert len(store.list_sessions(_data(tmp_path))[0]) == 1
        clock.advance(1)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(store.list_sessions(_data(tmp_path))[0]) == 2


async def test_a_double_press_on_the_offer_before_a_session_does_not_reach_the_session(tmp_path):
    """`heartline start` with a session unfinished: `l l` (later) opened Sam's note, `escape escape` asked to end
    the session that had just come up. The session has not heard the second press."""
    from heartline.tui.screens.dialogs import ConfirmScreen

    for key in ("l", "escape"):
        clock = ManualClock()
        home = tmp_path / key
        await _play_and_abandon(home, clock)
        clock.advance(60)
        app = make_app(home, clock, PLAN)
        async with app.run_test(size=(80, 24)) as pilot:
            await _offer(pilot, app)
            await pilot.press(key, key)
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen), (key, app.screen)
            clock.advance(1)
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, SessionScreen), key  # after the settle time the key is the session's
            if key == "escape":
                assert isinstance(app.screen, ConfirmScreen)

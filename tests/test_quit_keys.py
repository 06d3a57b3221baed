"""ctrl+c over every dialog of a session asks to quit, as on the floor (tried in a time-out: nothing happened)."""

from heartline.sessions.clock import ManualClock
from heartline.sessions.setup import SessionPlan
from heartline.tui.screens.timeout import TimeoutScreen
from heartline.tui.screens.dialogs import QuitScreen
from tests.apps import make_app

async def test_ctrl_c_in_a_time_out_asks_to_quit_and_again_quits(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1, checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        clock.advance(5)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("ctrl+c")  # asked: pressed again, it quits (saving first)
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_c_over_help_and_a_note_box_asks_to_quit(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1, checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        clock.advance(5)
        for opener in ("f1", "s"):
            await pilot.press(opener)
            await pilot.pause()
            under = app.screen
            await pilot.press("ctrl+c")
            await pilot.pause()
            assert isinstance(app.screen, QuitScreen), (opener, app.screen)
            await pilot.press("escape")  # not now
            await pilot.pause()
            assert app.screen is under
            await pilot.press("escape")
            await pilot.pause()

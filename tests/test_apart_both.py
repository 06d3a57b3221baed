"""A session apart, each partner on their own machine, from the first screen to the summary (issue 19).

Each machine's own partner is "you" from the ground rules on; what needs both
partners' yes at the end is asked on both machines, each answering only for
themselves; while one is away the other can only wait or end; a repair reached
for on either machine shows on both while the clock waits.
"""

from __future__ import annotations

import pytest

from heartline.sessions.engine import Stage
from heartline.tui.apart import screens
from heartline.tui.apart.screens import HostSessionScreen
from tests.apart_server import mailbox  # noqa: F401 - a fixture
from tests.test_apart_app import both_joined, now_is_a_good_time, options, pane_text, pass_time, until

pytestmark = pytest.mark.asyncio(loop_scope="session")  # one loop for every apart module (Twisted's reactor)

REAL_GONE_SECONDS = screens.GONE_SECONDS


@pytest.fixture(autouse=True)
def patient(monkeypatch):
    """Tens of seconds pass on the manual clocks here at once, far quicker than the next ping (every 2 s of real
    time) can say the other is still there: with the real 7 s, the host's presence check took Sam for away after
    nearly each such step (each time, in a probe), and a key pressed before Sam's next ping ("space" to carry
    on) was refused as one pressed while Sam is away. Nobody is taken for away here but where a test says so."""
    monkeypatch.setattr(screens, "GONE_SECONDS", 10_000.0)


def couple(tmp_path, checkin: bool = False):
    return options(tmp_path, "host", left="Alex", right="Sam", protocol="speaker-listener", speak=60, reflect=30,
                   rounds=1, checkin=checkin)


async def joined(mailbox, tmp_path, body, checkin: bool = False, answered: bool = True) -> None:
    async with both_joined(mailbox, tmp_path, couple(tmp_path, checkin)) as (host, hp, guest, gp):
        if answered:
            await now_is_a_good_time(host, hp, guest, gp)
        await body(host, hp, guest, gp)


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


# ----- "you", from the first shared screen -----------------------------------------------

async def test_each_machine_marks_its_own_partner_you_from_the_ground_rules_and_the_check_in(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        await hp.pause()
        await gp.pause()
        assert host.screen.engine.state().stage is Stage.RULES
        assert shown(host, "#stage-left").startswith("Alex · you") and "you" not in shown(host, "#stage-right")
        assert shown(guest, "#stage-right").startswith("Sam · you") and "you" not in shown(guest, "#stage-left")
        await gp.press("j")
        await hp.press("f")
        await until(gp, lambda: guest.screen.engine.state().stage is Stage.CHECKIN, "the check-in on the guest")
        await until(hp, lambda: shown(host, "#stage-left").startswith("Alex · you"), "the host's check-in")
        await until(gp, lambda: shown(guest, "#stage-right").startswith("Sam · you"), "the guest's check-in")
        assert "· you" not in shown(host, "#stage-right") and "· you" not in shown(guest, "#stage-left")

    await joined(mailbox, tmp_path, body, checkin=True)


# ----- while the other is away: wait, or end keeping what happened ------------------------

async def _guest_goes_quiet(host, hp, guest, monkeypatch) -> None:
    """The guest's machine stops answering (its network gone); the host notices the silence, as it would."""
    from tests.test_apart_rejoin import noticed_away

    monkeypatch.setattr(screens, "GONE_SECONDS", REAL_GONE_SECONDS)  # the real presence window, from here on
    guest.screen._stop_presence()
    guest.screen.link.send = lambda data: None
    await noticed_away(hp, host, "the host noticing that Sam is away")  # past a ping still on its way, too


async def test_while_the_guest_is_away_the_host_can_only_wait_or_end_keeping_what_happened(mailbox, tmp_path,
                                                                                          monkeypatch):
    from heartline.sessions.paths import sessions_dir
    from heartline.tui.screens.dialogs import ConfirmScreen
    from heartline.tui.screens.summary import SummaryScreen

    async def body(host, hp, guest, gp):
        await gp.press("j")
        await until(hp, lambda: host.screen.engine.partners["right"].agreed, "Sam's agreement")
        await hp.press("f")
        await until(hp, lambda: host.screen.engine.state().stage is Stage.FLOOR, "the floor")
        host.config.clock.advance(5.0)
        await hp.press("f")  # Alex's turn done: a session begun, Sam to say it back
        await until(hp, lambda: host.screen.engine.state().floor == "right", "Sam's floor")
        await _guest_goes_quiet(host, hp, guest, monkeypatch)
        await hp.pause()
        screen, engine = host.screen, host.screen.engine
        assert engine.state().paused
        for side in ("left", "right"):
            line = pane_text(host, side, "timeline")
            assert "carry on" not in line and "Waiting for Sam" in line
        assert "Waiting for Sam" in shown(host, "#banner") and "carry on" not in shown(host, "#banner")
        bar = shown(host, "#keys-shared")
        assert "pause" not in bar and "time-out" not in bar and "end (you choose what is kept)" in bar
        inputs = len(engine.log)
        await hp.press("space", "f", "j", "t", "r", "ctrl+s")  # carry on, done, a time-out, a repair: none of them
        await hp.pause()
        assert engine.state().paused and engine.state().pause_kind == "pause" and len(engine.log) == inputs
        assert host.screen is screen
        await hp.press("escape")
        await until(hp, lambda: isinstance(host.screen, ConfirmScreen), "the question before ending")
        assert host.screen.no == "Keep waiting" and "kept" in host.screen.detail
        await hp.press("n")  # keep waiting: still paused, still there
        await hp.pause()
        assert host.screen is screen and engine.state().paused
        await hp.press("escape")
        await until(hp, lambda: isinstance(host.screen, ConfirmScreen), "the question again")
        await hp.press("y")
        await until(hp, lambda: isinstance(host.screen, SummaryScreen), "the host's summary")

    await joined(mailbox, tmp_path, body)
    from heartline.sessions import store

    files = sorted(sessions_dir(tmp_path / "host" / "data").glob("*.toml"))
    assert len(files) == 1 and store.load_record(files[0])["status"] == "ended-early"


# ----- what needs both partners' yes: each answers on their own machine -------------------

async def _checked_in_to_the_summary(host, hp, guest, gp) -> None:
    """Both agree, both check in (each on their own keyboard), Alex speaks a little, Sam ends early."""
    from heartline.tui.screens.summary import SummaryScreen

    await gp.press("j")
    await hp.press("f")
    await until(gp, lambda: guest.screen.engine.state().stage is Stage.CHECKIN, "the check-in")
    await hp.press("4", "f")  # Alex: 4, sealed
    await gp.press("3", "j")  # Sam: 3 (the left half of Sam's keyboard is Sam's too), sealed
    await until(hp, lambda: host.screen.engine.state().checkin_revealed, "both answers, shown")
    await until(gp, lambda: guest.screen.engine.state().checkin_revealed, "both answers, shown to Sam")
    pass_time(host, guest, 5.0)  # a moment to read them: "ready" is not taken in the same breath
    await hp.press("f")
    await gp.press("j")
    await until(gp, lambda: guest.screen.engine.state().stage is Stage.FLOOR, "the floor")
    pass_time(host, guest, 5.0)
    await gp.press("escape")
    await gp.pause()
    await gp.press("y")
    await until(hp, lambda: isinstance(host.screen, SummaryScreen), "the host's summary")
    await until(gp, lambda: isinstance(guest.screen, SummaryScreen), "the guest's summary")


def _moods_kept(tmp_path, who: str) -> bool:
    from heartline.sessions import keep as keeping
    from heartline.sessions import store
    from heartline.sessions.paths import sessions_dir

    files = sorted(sessions_dir(tmp_path / who / "data").glob("*.toml"))
    assert len(files) == 1
    return keeping.has_moods(store.load_record(files[0]))


def _same_files(tmp_path) -> bool:
    from heartline.sessions.paths import sessions_dir

    host, guest = (sorted(sessions_dir(tmp_path / who / "data").glob("*.toml")) for who in ("host", "guest"))
    return len(host) == len(guest) == 1 and host[0].read_bytes() == guest[0].read_bytes()


async def test_keeping_the_check_in_numbers_needs_each_partners_own_yes_on_their_own_machine(mailbox, tmp_path):
    from heartline.tui.apart import wire

    async def body(host, hp, guest, gp):
        await _checked_in_to_the_summary(host, hp, guest, gp)
        summary = host.screen
        assert summary.question.asking == "moods"
        await hp.press("f", "j")  # Alex's yes, and Alex again: never Sam's
        await hp.pause()
        assert summary.question.asking == "moods" and summary.question.yes == {"left"}
        assert not _moods_kept(tmp_path, "host")
        await until(gp, lambda: guest.screen.query_one("#keep").display
                    and "Alex: yes ✓" in shown(guest, "#keep"), "the question on Sam's machine")
        words = " ".join(shown(guest, "#keep").split())
        assert "Keep your check-in numbers?" in words and "Sam: …" in words and "Alex chooses 1, 2 or 3" in words
        # a late key of the session, and the other side's answer, are not Sam's yes to this question
        guest.screen.saver.link.send(wire.encode(wire.intent("right.done", 1.0)))
        guest.screen.saver.link.send(wire.encode(wire.intent("left.done", 1.0, keep="moods")))
        guest.screen.saver.link.send(wire.encode(wire.intent("right.done", 1.0, keep="topics")))
        await gp.press("1", "2", "3")  # what is kept is chosen on Alex's screen, not here
        await hp.pause()
        assert summary.question.asking == "moods" and summary.question.yes == {"left"}
        assert summary.question.keep == "shape"
        await gp.press("j")  # Sam's own yes, on Sam's machine
        await until(hp, lambda: summary.question.moods is True, "Sam's yes at the host")
        await until(gp, lambda: _moods_kept(tmp_path, "guest"), "the numbers kept on Sam's machine")
        assert _moods_kept(tmp_path, "host") and _same_files(tmp_path)
        await until(gp, lambda: "the check-in numbers kept" in shown(guest, "#keep"), "said on Sam's screen")

    await joined(mailbox, tmp_path, body, checkin=True)


async def test_a_no_on_the_joining_machine_keeps_no_numbers_on_either(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        await _checked_in_to_the_summary(host, hp, guest, gp)
        summary = host.screen
        await until(gp, lambda: guest.screen.query_one("#keep").display, "the question on Sam's machine")
        await gp.press("k")  # Sam: no
        await until(hp, lambda: summary.question.moods is False, "Sam's no at the host")
        await hp.press("f")  # Alex's yes comes too late to count: the question is settled
        await until(gp, lambda: "no check-in numbers" in shown(guest, "#keep"), "said on Sam's screen")
        assert summary.question.moods is False
        assert not _moods_kept(tmp_path, "host") and not _moods_kept(tmp_path, "guest") and _same_files(tmp_path)

    await joined(mailbox, tmp_path, body, checkin=True)


# ----- a repair, from either machine ---------------------------------------------------------

async def _to_the_floor(host, hp, guest, gp) -> None:
    await gp.press("j")
    await until(hp, lambda: host.screen.engine.partners["right"].agreed, "Sam's agreement")
    await hp.press("f")
    await until(gp, lambda: guest.screen.engine.state().stage is Stage.FLOOR, "the floor on the guest")


async def test_a_repair_from_the_joining_machine_shows_on_both_while_the_clock_waits(mailbox, tmp_path):
    from heartline.tui.screens.repair import RepairScreen
    from heartline.tui.widgets.pane import REPAIR_WORDS

    async def body(host, hp, guest, gp):
        await _to_the_floor(host, hp, guest, gp)
        pass_time(host, guest, 10.0)
        assert "r repair" in shown(guest, "#keys-shared") and "r repair" in shown(host, "#keys-shared")
        await gp.press("r")  # Sam reaches for a repair
        await until(gp, lambda: isinstance(guest.screen, RepairScreen), "the phrases on Sam's screen")
        await until(hp, lambda: host.screen.engine.state().repair_list, "the clock waiting at the host")
        left = host.screen.engine.state().time_left
        pass_time(host, guest, 20.0)  # choosing takes a while: no one's turn runs meanwhile
        assert host.screen.engine.state().time_left == left
        await gp.press("1")
        words = REPAIR_WORDS["slow-down"]
        await until(hp, lambda: host.screen.engine.state().repair == "slow-down", "the phrase at the host")
        await until(gp, lambda: guest.screen.engine.state().repair == "slow-down", "the phrase back on Sam's screen")
        await hp.pause()
        for app in (host, guest):
            assert words in pane_text(app, "left", "repair") and words in pane_text(app, "right", "repair")
        pass_time(host, guest, 30.0)  # the clock waits while the phrase shows
        assert host.screen.engine.state().time_left == left
        assert [e["phrase"] for e in host.screen.engine.record()["events"] if e["kind"] == "repair"] == ["slow-down"]
        await hp.press("space")  # both ready: Alex carries on
        await until(gp, lambda: not guest.screen.engine.state().paused, "the turn running again for Sam")
        await hp.press("r")  # and from the starting machine: it shows on the joining one
        await hp.pause()
        await hp.press("2")
        await until(gp, lambda: guest.screen.engine.state().repair == "getting-flooded", "Alex's phrase at Sam's")

    await joined(mailbox, tmp_path, body)


async def test_i_think_im_flooded_from_the_joining_machine_is_the_time_out_on_both(mailbox, tmp_path):
    from heartline.sessions.engine import REPAIRS
    from heartline.tui.screens.timeout import TimeoutScreen

    async def body(host, hp, guest, gp):
        await _to_the_floor(host, hp, guest, gp)
        await gp.press("r")
        await until(hp, lambda: host.screen.engine.state().repair_list, "the list open, at the host")
        await gp.press(str(REPAIRS.index("flooded") + 1))
        await until(hp, lambda: host.screen.engine.state().pause_kind == "time-out", "the time-out at the host")
        await until(gp, lambda: guest.screen.engine.state().pause_kind == "time-out", "the time-out on Sam's")
        await until(hp, lambda: isinstance(host.app.screen, TimeoutScreen), "the time-out screen at the host")
        await until(gp, lambda: isinstance(guest.app.screen, TimeoutScreen), "the time-out screen on Sam's")

    await joined(mailbox, tmp_path, body)


async def test_help_apart_lists_exactly_what_works_from_this_machine(mailbox, tmp_path):
    from heartline.tui.screens.dialogs import HelpScreen

    def columns(app) -> list[str]:
        return [str(c.header) for c in app.screen.query_one("#help-keys").content.columns]

    def cells(app, where: str) -> str:
        return " ".join(str(cell) for c in app.screen.query_one(where).content.columns for cell in c._cells)

    async def body(host, hp, guest, gp):
        await _to_the_floor(host, hp, guest, gp)
        await gp.press("question_mark")
        await hp.press("question_mark")
        await until(gp, lambda: isinstance(guest.screen, HelpScreen), "help on Sam's screen")
        await until(hp, lambda: isinstance(host.screen, HelpScreen), "help on Alex's screen")
        assert columns(guest) == ["", "Sam · you"] and columns(host) == ["", "Alex · you"]  # one keyboard, one partner
        assert "f or j" in cells(guest, "#help-keys") and "1 2 3 4 5  or  0 9 8 7 6" in cells(guest, "#help-keys")
        for app in (host, guest):
            shared = cells(app, "#help-shared")
            assert all(words in shared for words in ("pause / resume", "time-out", "end the session", "a repair"))
        assert "Alex's own machine" in shown(guest, "#help-blocked")
        assert "only waiting or ending" in shown(host, "#help-blocked")
        for app in (host, guest):  # the line beneath help offers help's keys, not "carry on" (that kept it paused)
            line = str(app.session().query_one("#keys-shared").content)
            assert line.startswith("help is open") and "space carry on" not in line

    await joined(mailbox, tmp_path, body)


# ----- joining: nothing the host does while the joining screen comes up is lost ------------

async def test_keys_the_host_presses_while_the_guest_is_still_joining_reach_the_guests_screen(mailbox, tmp_path,
                                                                                              monkeypatch):
    connect = HostSessionScreen._connect_engine

    def connect_and_pause(self) -> None:
        connect(self)
        self.action_pause()  # Alex pauses the moment the session goes out: Sam's screen is not up yet

    monkeypatch.setattr(HostSessionScreen, "_connect_engine", connect_and_pause)

    async def body(host, hp, guest, gp):
        await until(gp, lambda: guest.screen.engine is not None, "Sam's screen up")
        await until(gp, lambda: guest.screen.engine.state().paused, "Alex's pause on Sam's screen")
        await hp.press("space")
        await until(gp, lambda: not guest.screen.engine.state().paused, "carrying on, on Sam's screen")
        await now_is_a_good_time(host, hp, guest, gp)
        assert guest.screen.mirror.log == host.screen.engine.log

    await joined(mailbox, tmp_path, body, answered=False)


async def test_the_own_pane_keeps_saying_you_without_being_set_again_each_redraw(mailbox, tmp_path):
    """Set back and forth each second ("Alex", then "Alex · you"), the name reshaped the pane: a layout a second."""
    from heartline.tui.widgets.pane import PartnerPane

    async def body(host, hp, guest, gp):
        await _to_the_floor(host, hp, guest, gp)
        await hp.pause()
        pane = host.screen.query_one("#pane-left", PartnerPane)
        pane._reshaped = False
        pane.show(host.screen.engine.state(), "")  # what each redraw does before the apart screen adds its own
        assert pane_text(host, "left", "who") == "Alex · you" and not pane._reshaped
        assert pane_text(host, "right", "who") == "Sam"

    await joined(mailbox, tmp_path, body)

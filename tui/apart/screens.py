"""A session apart on screen: the connect screen, and the live session on each side.

The host's `HostSessionScreen` is the ordinary session screen with its engine
and journal; every input its engine takes also goes to the guest, and the
guest's intents come back as if pressed here. The guest's
`GuestSessionScreen` is the same screen over a `GuestEngine`: reading the
host's session replayed (`mirror.Mirror`), and sending its partner's keys
instead of deciding anything. On each machine the whole keyboard belongs to
the partner sitting there: their keys on either half mean their own.
"""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from types import SimpleNamespace

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from heartline.sessions import keep as keeping
from heartline.sessions import __version__, store
from heartline.sessions.engine import Action, Outcome, Result, Stage, State
from heartline.sessions.setup import SessionPlan

from .. import keys
from ..routes import Go
from ..screens.dialogs import HelpScreen
from ..screens.session import SessionScreen
from ..screens.summary import KeepQuestion, SummaryScreen
from ..widgets.pane import PartnerPane
from . import wire
from .link import Link, LinkError

HOST_SIDE, GUEST_SIDE = "left", "right"
SESSION_CSS = str(Path(__file__).resolve().parent.parent / "screens" / "session.tcss")
SUMMARY_CSS = str(Path(__file__).resolve().parent.parent / "screens" / "summary.tcss")
PING_SECONDS = 2.0  # each side says it is there this often
GONE_SECONDS = 7.0  # silence this long: the other is away (the session pauses for both)

WHAT_IS_SENT = (
    "What goes over the network: once your partner joins with the code, your two heartlines talk through "
    "the relay at {relay}, encrypted end to end (only your two machines can read it; the relay sees "
    "only scrambled bytes). They send each other the ritual, your two names, the topic, each key that reaches "
    "the conversation, the words of notes you write, and the record at the end, which both of you keep. "
    "Nothing else leaves this computer."
)
HOW_TO_STOP = "To stop: escape (or ctrl+q). Nothing has been sent yet."


def side_name(side: str) -> str:
    return "left" if side == "left" else "right"


class ConnectScreen(Screen):
    """Before anything is sent: what goes over the network, and how to stop; then the code."""

    CSS_PATH = "apart.tcss"
    BINDINGS = [Binding("escape", "stop", "Stop", id="apart.stop")]

    def __init__(self, relay: str, role: str, plan: SessionPlan | None = None, code: str = "",
                 resumed: tuple | None = None) -> None:
        super().__init__()
        self.resumed = resumed  # (engine, journal): the host's unfinished session, taken up again apart
        self.relay = relay
        self.role = role  # "host" or "guest"
        self.plan = plan
        self.code = code
        self.link: Link | None = None
        self.problem = ""
        self._connecting = None  # the worker that connects
        self._inbox: list[bytes] = []  # the host's messages, in order, until the session screen takes them
        self._taken: GuestSessionScreen | None = None  # the session screen made from the first session message

    def compose(self) -> ComposeResult:
        with Vertical(id="apart"):
            title = "A session apart — one of you is elsewhere" if self.role == "host" else "Joining a session apart"
            if self.resumed is not None:
                title = ("Your unfinished session, taken up again apart: everything so far is in its journal "
                         "and goes on from where it stopped (paused)")
            yield Static(title, id="apart-title", markup=False)
            yield Static(WHAT_IS_SENT.format(relay=self.relay), id="apart-what", markup=False)
            yield Static(HOW_TO_STOP, id="apart-stop", markup=False)
            yield Static("", id="apart-code", markup=False)
            yield Static("", id="apart-status", markup=False)
            if self.role == "guest" and not self.code:
                yield Input(placeholder="the code your partner reads out, like 7-guitarist-revenge", id="apart-input",
                            max_length=100)
        yield Footer()

    def on_mount(self) -> None:
        if self.role == "host":
            self._say("Asking the relay for a code…")
            self._connecting = self.run_worker(self._host(), exit_on_error=False)
        elif self.code:
            self._connecting = self.run_worker(self._guest(self.code), exit_on_error=False)
        else:
            self._say("Type the code your partner reads out, then enter.")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        code = "-".join(event.value.split())
        if code and self._connecting is None:
            event.input.disabled = True
            self._connecting = self.run_worker(self._guest(code), exit_on_error=False)

    def _say(self, words: str) -> None:
        self.query_one("#apart-status", Static).update(Text(words))

    async def _host(self) -> None:
        self.link = Link(self.relay, wire.hello("host", __version__))
        try:
            code = await self.link.allocate()
        except LinkError as exc:
            return self._failed(str(exc))
        guest = self.plan.right if self.plan else "your partner"
        self.query_one("#apart-code", Static).update(Text.assemble(
            ("Read this code to ", ""), (guest, "bold"), (":  ", ""), (code, "bold reverse"),
            (f"\nThey type:  heartline join {code}" + (f" --relay {self.relay}" if self.relay != _public() else ""),
             "")))
        self._say(f"Waiting for {guest} to join… (the code works once)")
        try:
            versions = await self.link.connected()
            wire.check_hello(versions, "guest", __version__)
        except (LinkError, wire.WireError) as exc:
            return self._failed(str(exc))
        self._begin()

    async def _guest(self, code: str) -> None:
        self._say(f"Joining with {code}…")
        self.link = Link(self.relay, wire.hello("guest", __version__))
        try:
            await self.link.join(code)
            wire.check_hello(self.link.peer_versions, "host", __version__)
        except LinkError as exc:
            return self._failed(str(exc) if "did not answer" not in str(exc) else
                                "Nobody is waiting with that code (mistyped, or used already): "
                                "ask your partner for a new one.")
        except wire.WireError as exc:
            return self._failed(str(exc))
        self._say("Joined. Waiting for the session…")
        self.link.on_message = self._inbox_put

    def _inbox_put(self, raw: bytes) -> None:
        """Every message in order: the first session starts the screen; what follows it is kept for that screen."""
        self._inbox.append(raw)
        if len(self._inbox) == 1:
            self.call_later(self._drain)  # in Textual's own context

    def _drain(self) -> None:
        while self._inbox:
            raw = self._inbox.pop(0)
            if self._taken is not None:
                self._taken.held.append(raw)
            else:
                self._first_message(raw)

    def _first_message(self, raw: bytes) -> None:
        try:
            message = wire.read_host(raw)
        except wire.WireError as exc:
            return self._failed(f"The other heartline sent something this one cannot use ({exc}).")
        if message.kind != "session":
            return
        from .mirror import Mirror

        mirror = Mirror(message.head, self.app.config.clock)
        try:
            mirror.load(message.log, message.at)
        except Exception as exc:  # noqa: BLE001 - a hostile session is refused, never fatal
            return self._failed(f"The session from the other heartline could not be replayed ({type(exc).__name__}).")
        screen = self._taken = GuestSessionScreen(mirror, self.link, self.relay)
        self.link.on_message = screen.held.append  # what the host sends while that screen comes up: kept, in order
        self.app.switch_screen(screen)

    def _begin(self) -> None:
        self.app.switch_screen(HostSessionScreen(self.plan, self.link, self.relay, resumed=self.resumed))

    def _failed(self, line: str) -> None:
        self.problem = line
        self._say(line)
        self.app.apart_problem = line  # the command line prints it and exits 2
        if self.link is not None:
            asyncio.ensure_future(self.link.close())
        if getattr(self.app, "apart_exit_on_problem", False):
            self.app.exit(return_code=2)
        elif self.role == "guest":  # opened from home: the code can be typed again
            self._connecting, self.link = None, None
            for box in self.query("#apart-input").results(Input):
                box.disabled = False
                box.focus()

    def action_stop(self) -> None:
        if self._connecting is not None:
            self._connecting.cancel()
        if self.link is not None:
            asyncio.ensure_future(self.link.close())
        if getattr(self.app, "apart_exit_on_problem", False):
            self.app.exit()
        else:
            self.app.pop_screen()


def _public() -> str:
    from .link import PUBLIC_RELAY

    return PUBLIC_RELAY


class _Apart:
    """What both sides' session screens share: one link, one partner here, the other's presence."""

    me: str
    link: Link

    def _apart_init(self, link: Link, relay: str, me: str) -> None:
        self.link = link
        self.relay = relay
        self.me = me
        self.away = False  # the other has not been heard from for a while
        self._heard = 0.0
        self._pinger = None
        self.limit = wire.RateLimit()
        self.refused = 0  # messages that broke the format: dropped, counted

    def _send(self, message: dict) -> None:
        try:
            self.link.send(wire.encode(message))
        except Exception:  # noqa: BLE001 - a lost link is noticed by its silence
            pass

    def _start_presence(self) -> None:
        self._heard = self.app.config.clock.monotonic()
        self._pinger = self.run_worker(self._presence(), exit_on_error=False)

    async def _presence(self) -> None:
        while True:
            await asyncio.sleep(PING_SECONDS)
            self._send(wire.ping())
            if not self.away and self.app.config.clock.monotonic() - self._heard > GONE_SECONDS:
                self._gone()

    def _heard_from(self) -> None:
        self._heard = self.app.config.clock.monotonic()
        if self.away:
            self.away = False
            self._back()

    def _gone(self) -> None: ...

    def _back(self) -> None: ...

    def _stop_presence(self) -> None:
        if self._pinger is not None:
            self._pinger.cancel()
            self._pinger = None

    def _mark_you(self, state) -> None:
        """Their own pane says "you" (the pane keeps saying it: no name set twice a frame, no layout each second)."""
        if state is None or state.stage is not Stage.FLOOR or not self._floor_ready:
            return  # the panes are still being built: marked when they are
        for pane in self.query(PartnerPane):
            if pane.side == self.me and not pane.you:
                pane.you = True
                pane._set("who", Text(f"{state.side(self.me).name} · you", style="bold"))
            elif pane.side != self.me and not pane.elsewhere:
                pane.elsewhere = True  # no key letters in the other's pane: here they are this partner's keys
                pane.show(state, self._nudge(pane.side))

    def _keys_line(self, state, side: str, keyed: bool = True) -> str:
        """The key bar: this machine's partner's keys as theirs; the other's half says only what they are at."""
        return super()._keys_line(state, side, keyed=keyed and side == self.me)

    def _nudge(self, side: str) -> str:
        """A nudge in the other's pane keeps no key letter of theirs (the line naming one is this machine's)."""
        text = super()._nudge(side)
        if side != self.me and "\n" in text:
            text = text.split("\n", 1)[0]
        return text

    def _stage_side(self, state, side: str, first: str, first_name: str) -> Text:
        """The rules and the check-ins: this machine's partner is "you" there too, from the first shared screen;
        the other's column says what they are at, with no key letters (here those are this partner's keys)."""
        if side != self.me:
            return self._elsewhere_side(state, side)
        text = super()._stage_side(state, side, first, first_name)
        name = state.side(side).name
        marked = Text(f"{name} · you", style="bold")
        marked.append_text(text[len(name):])
        return marked

    def _elsewhere_side(self, state, side: str) -> Text:
        from heartline.sessions.engine import MOODS

        me = state.side(side)
        text = Text(f"{me.name}\n", style="bold")
        if state.stage is Stage.GOOD_TIME:
            asked = state.side(state.asked).name
            text.append(f"{asked} answers this one, on their screen\n" if side == state.asked
                        else f"{asked} answers this one\n", style="italic")
        elif state.stage is Stage.RULES:
            text.append("✓ agreed\n" if me.agreed else "reading them, on their screen\n")
        elif state.stage in (Stage.CHECKIN, Stage.CHECKOUT):
            if state.checkin_revealed:
                text.append(f"feels {me.mood} · {MOODS[me.mood]}\n", style="bold")
                if me.feeling:
                    text.append(f"“{me.feeling}”\n")
                text.append("\n✓ ready — waiting for the other\n" if me.ready else "\nnot ready yet\n")
            elif me.checked_in:
                text.append("✓ answered — sealed\n")
            else:
                text.append("choosing a number, on their screen\n", style="italic")
        if me.note == "i-statement" and me.i_statement:
            text.append(f"\nTheir words: “{me.i_statement}”\n")
        text.rstrip()
        return text

    def _away_line(self, state) -> str:
        other = state.side("right" if self.me == "left" else "left").name
        return f"Waiting for {other} to come back — the session is paused, nothing is lost."  # the key bar: end

    # ----- while the other is away: waiting, or ending and keeping what happened; nothing else ----

    AWAY_REFUSED = frozenset({"done", "not_quite", "mood", "note", "repair", "gentler"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if getattr(self, "away", False) and action in self.AWAY_REFUSED:
            return False  # one partner alone does not carry the session on
        return super().check_action(action, parameters)

    def _paint_away(self, state) -> None:
        """The banner, both panes and the key bar say the same: waiting, or end (the summary asks what is kept)."""
        if state is None:
            return
        if not self.away or state.stage is Stage.ENDED:
            if not self._help_over():  # with help open, the line says help's keys (`_paint_keys`)
                self._put("#keys-shared", keys.shared_hint(repair=self.REPAIR_AT_HAND,
                                                           paused=state.pause_kind == "pause"))
            return
        other = state.side("right" if self.me == "left" else "left").name
        self._put("#banner", self._away_line(state))
        self.query_one("#banner").set_class(True, "-shown")
        for pane in self.query(PartnerPane):
            pane._set("timeline", f"Waiting for {other} to come back · the clock waits")
        k = keys.current()
        self._put("#keys-shared", f"waiting for {other} · {k.first('end')} end (you choose what is kept) · "
                                  f"{k.first('help')} help")

    def _ritual(self):
        return self.app.rituals.get(self.plan.protocol)

    def action_help(self) -> None:
        """What works apart, and only that: this keyboard is one partner's, both halves."""
        state = self.engine.state()
        other = state.side("right" if self.me == "left" else "left").name
        self.app.push_screen(ApartHelpScreen(self._ritual(), state.side(self.me).name, other))

    def _waiting(self) -> None:
        state = self.engine.state()
        other = state.side("right" if self.me == "left" else "left").name
        self.notice(f"The session waits for {other}: it carries on when you are both here.")

    def action_pause(self) -> None:
        if self.away:
            return self._waiting()
        super().action_pause()

    def action_time_out(self) -> None:
        if self.away:
            return self._waiting()
        super().action_time_out()

    def _park_side(self, state) -> str:
        """Apart, the park box opens on this machine's own partner: they are the one typing (and holding the clock)."""
        return self.me

    def action_end(self) -> None:
        if not self.away or self.engine.state().stage is Stage.ENDED:
            return super().action_end()
        from ..screens.dialogs import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes:
                self.engine.end_early()
            self.refresh_state()

        keep = self.keep_now()
        self.app.push_screen(ConfirmScreen("End the session now?", keeping.ending_words(keep, summary=True),
                                           yes="End" if keep == "nothing" else "End and save", no="Keep waiting"),
                             answer)

    # ----- coming back (tui/apart/rejoin.py) --------------------------------

    def _mount_away(self, joining: bool) -> None:
        from .rejoin import AwayBox

        self.away_box = AwayBox(joining)
        self.mount(self.away_box, after=self.query_one("#banner"))

    def _show_away(self, words) -> None:
        box = getattr(self, "away_box", None)
        if box is not None and box.is_mounted:
            box.show(words)

    def _take_link(self, link: Link) -> None:
        """From now on the session goes over this connection; the old one is given up."""
        from .rejoin import _close_later

        old, self.link = self.link, link
        if old is not link:
            _close_later(old)
        self._heard = self.app.config.clock.monotonic()


class ApartHelpScreen(HelpScreen):
    """Help in a session apart, listing exactly what works here: this keyboard is one partner's, both halves."""

    CSS_PATH = str(Path(__file__).resolve().parent.parent / "screens" / "dialogs.tcss")

    def __init__(self, ritual, me: str, other: str) -> None:
        super().__init__(ritual, me, other)
        self.me, self.other = me, other
        k = keys.current()
        self.BLOCKED_WORDS = (
            f"Both halves of this keyboard are yours; {other}'s keys are on {other}'s own machine. A key that "
            f"would end or take the floor while {other} holds it is gently blocked, on both screens. Pause, "
            f"time-out, a repair ({k.first('repair')}) and end work from either machine, and the clock waits on "
            "both; while one of you is away, only waiting or ending works.")

    def _partner_table(self):
        from rich.table import Table

        mine = Table(box=None, padding=(0, 1), show_header=True, header_style="bold", expand=True)
        mine.add_column("", ratio=1)
        mine.add_column(Text(f"{self.me} · you"), no_wrap=True)
        for what, words in self.PARTNER_KEYS:
            mine.add_row(words, f"{keys.key('left', what)} or {keys.key('right', what)}")
        mine.add_row(self.MOOD_WORDS, f"{keys.mood_keys('left')}  or  {keys.mood_keys('right')}")
        return mine


def _is_ping(raw: bytes) -> bool:
    return raw == b'{"v":1,"t":"ping"}'


class HostSessionScreen(_Apart, SessionScreen):
    """The session, its engine and journal here; the guest's partner's keys come over the link."""

    CSS_PATH = SESSION_CSS

    def __init__(self, plan: SessionPlan, link: Link, relay: str, me: str = HOST_SIDE,
                 resumed: tuple | None = None) -> None:
        super().__init__(plan, resumed=resumed)
        self._apart_init(link, relay, me)
        self.guest = "right" if me == "left" else "left"
        self._guest_asking = False  # the end question is open on the guest's screen (its clock hold, here)
        self._guest_left = False  # the guest's heartline said goodbye (not only gone quiet)

    @on(events.Mount)
    def _apart_mount(self) -> None:
        self.call_later(self._connect_engine)  # once SessionScreen.on_mount has made the engine and its journal

    def _connect_engine(self) -> None:
        journal_input = self.engine.on_input

        def on_input(item: dict) -> None:
            if journal_input is not None:
                journal_input(item)
            self._send(wire.entry(item, item["offset"]))

        self.engine.on_input = on_input
        self.saver = SharedSaver(self.saver, self._send, self.link)  # what is kept goes to the guest too
        self._mount_away(joining=False)
        self._listen()
        self._start_presence()

    def _listen(self, send: bool = True) -> None:
        """The whole session so far to the guest (on joining; on coming back `_back` sends it), then its intents."""
        from heartline.sessions.journal import header

        if send:
            self._send(wire.session(header(self.engine), list(self.engine.log), self.engine.offset_now()))
        link = self.link
        link.on_message = lambda raw: self.call_later(self._received, raw) if self.link is link else None
        link.on_lost = lambda why: self.call_later(self._lost, why) if self.link is link else None

    # ----- the guest's intents ---------------------------------------------

    def _received(self, raw: bytes) -> None:
        self._heard_from()
        if _is_ping(raw):
            return
        if not self.limit.allow(self.app.config.clock.monotonic()):
            if self.limit.dropped == 1:
                self.set_timer(2.0, self._say_dropped)
            return
        try:
            item = wire.read_intent(raw, self.guest)
        except wire.WireError:
            self.refused += 1
            return
        if item is None:  # bye: the guest left on purpose
            self._guest_left = True
            self._gone()
            return
        if item is not wire.PING:
            self.apply(item)

    def _say_dropped(self) -> None:
        n = self.limit.take_dropped()
        if n:
            self.app.notify(f"{n} messages from the other heartline came too fast and were left out.",
                            title="Too many at once", severity="warning", timeout=6, markup=False)

    def apply(self, item: wire.Intent) -> None:
        """One intent of the guest's partner, as if pressed here by them."""
        engine, side, action = self.engine, item.side, item.action
        if engine is None or engine.state().stage is Stage.ENDED or item.keep:
            return  # an answer on the summary (it names its question) is never a key of the session
        if action == "done":
            SessionScreen.action_done(self, side)
            return
        if action == "not-quite":
            engine.press(side, Action.NOT_QUITE)
        elif action.startswith("mood-"):  # a mood in a check-in; on the floor, a request chosen as a gift
            SessionScreen.action_mood(self, side, int(action[5:]))
            return
        elif action == "word":
            engine.check_in(side, None, item.text, seal=False)
        elif action == "note":
            SessionScreen._add_note(self, side, item.text, item.kind)
            return
        elif action == "i-statement":
            engine.set_i_statement(side, item.text)
        elif action == "pause":
            engine.toggle_pause(item.reason if item.reason in ("help", "too-small") else "")
        elif action == "time-out":
            engine.time_out()
        elif action == "repair-open":
            engine.open_repair()
        elif action == "repair":
            engine.repair(item.phrase or None)
        elif action == "end":
            engine.end_early()
        elif action == "return-at":
            engine.agree_return(item.minutes)
        elif action == "more-time":
            engine.more_time(item.minutes)
        elif action == "writing":  # the guest's own note box: the clock waits on both while it is open
            if (side in engine.writing_now) != item.on:
                engine.writing(side, item.on)
        elif action == "asking":  # the end question open on the guest's screen: the clock waits, as here
            if self._guest_asking != item.on:
                self._guest_asking = item.on
                engine.asking(item.on)
        elif action == "park":
            if engine.may_park() and engine.park(item.text).accepted:
                self._parked()
        self.refresh_state()

    def _release_guest(self) -> None:
        """The guest is gone: its open note box or question no longer holds the clock (it sends them again on
        coming back, if they are still open)."""
        engine = self.engine
        if engine is None or engine.state().stage is Stage.ENDED:
            return
        if self.guest in engine.writing_now:
            engine.writing(self.guest, False)
        if self._guest_asking:
            self._guest_asking = False
            engine.asking(False)

    # ----- this keyboard is one partner's -------------------------------

    def action_done(self, side: str) -> None:
        super().action_done(self.me)

    def action_not_quite(self, side: str) -> None:
        super().action_not_quite(self.me)

    def action_mood(self, side: str, mood: int) -> None:
        super().action_mood(self.me, mood)

    def action_note(self, side: str) -> None:
        super().action_note(self.me)

    def watch_state(self, state) -> None:
        super().watch_state(state)
        self._mark_you(state)
        self._paint_away(state)

    # ----- the other comes and goes ---------------------------------------

    def _gone(self) -> None:
        if self.away or self.engine is None:
            return
        self.away = True
        self._release_guest()
        state = self.engine.state()
        self._away_pause = None
        if state.stage is not Stage.ENDED and not state.paused:
            self.engine.toggle_pause()
            self._away_pause = len(self.engine.log)  # this pause is the app's: taken back when they return
        if state.stage is not Stage.ENDED:
            self._offer_code()
        self.refresh_state()

    def _offer_code(self, code: str = "", line: str = "") -> None:
        """A fresh code on the host's screen, for the guest to come back with (`rejoin.fresh_code`)."""
        from .rejoin import fresh_code, host_words

        guest = self.engine.state().side(self.guest).name
        self._show_away(host_words(guest, code, line, self.relay, _public()))
        if getattr(self, "_offering", None) is None:
            async def offer() -> None:
                link = await fresh_code(self.relay, lambda code, line: self._offer_shown(code, line))
                self._offering = None
                self._rejoined(link)

            self._offering = self.run_worker(offer(), exit_on_error=False)

    def _offer_shown(self, code: str, line: str) -> None:
        if self.away:
            from .rejoin import host_words

            guest = self.engine.state().side(self.guest).name
            self._show_away(host_words(guest, code, line, self.relay, _public()))

    def _stop_offer(self) -> None:
        offering, self._offering = getattr(self, "_offering", None), None
        if offering is not None:
            offering.cancel()

    def _rejoined(self, link: Link) -> None:
        """The guest came back with the fresh code: the session so far goes to it, and on from where it was."""
        if self.engine is None or self.engine.state().stage is Stage.ENDED:
            from .rejoin import _close_later

            return _close_later(link)
        self._take_link(link)
        if isinstance(self.saver, SharedSaver):
            self.saver._link = link
        self._listen(send=False)
        self.away = False
        self._back()

    def _back(self) -> None:
        self._guest_left = False
        self._stop_offer()
        self._show_away(None)
        mark, self._away_pause = getattr(self, "_away_pause", None), None
        state = self.engine.state()
        if mark is not None and state.pause_kind == "pause" and state.stage is not Stage.ENDED \
                and not any(e["op"] in ("pause", "time-out", "end", "return-at") for e in list(self.engine.log)[mark:]):
            self.engine.toggle_pause()  # the app's own pause, nobody's since: the session goes on where it was
        from heartline.sessions.journal import header

        self._send(wire.session(header(self.engine), list(self.engine.log), self.engine.offset_now()))
        self.refresh_state()

    def _lost(self, why: str) -> None:
        self._gone()

    # ----- the end: the record goes to both ---------------------------------

    @on(events.Unmount)
    def _apart_unmount(self) -> None:
        self._stop_presence()
        self._stop_offer()
        self.save_now(early=True)  # the record goes to the guest before the link closes
        if self._summary_shown and isinstance(self.saver, SharedSaver):
            return  # the summary may still change what is kept: the saver listens, and closes the link when left
        self.link.on_message = self.link.on_lost = None
        asyncio.ensure_future(self.link.close())

    # ----- the summary: what is kept, each partner answering on their own machine ------

    def _finish(self) -> None:
        if self._switch_to is not None or not isinstance(self.saver, SharedSaver):
            return super()._finish()
        self._summary_shown = True
        path = self.save_now()
        while self.app.screen is not self:  # a note or help left open when the last turn ran out
            self.app.pop_screen()
        self.saver.listen(self.link, self.app)  # from now on the guest's messages are the summary's
        gone = "left" if self._guest_left else "away" if self.away else ""
        self.app.switch_screen(HostSummaryScreen(self.engine.record(), path, self.save_error, saver=self.saver,
                                                 me=self.me, guest=self.guest, gone=gone))


class SharedSaver:
    """The host's `SessionSaver`, and each time what is kept changes, the same to the guest.

    What goes is what this side's file keeps (schema 2: no tallies, no note
    authors), never the engine's whole record; `nothing` when the couple keep
    nothing. The link stays open while the summary can still change it.
    """

    def __init__(self, inner, send, link: Link) -> None:
        self._inner = inner
        self._send = send
        self._link = link
        self._last: dict | None = None

    def __getattr__(self, name: str):
        return getattr(self._inner, name)

    def _share(self) -> None:
        inner = self._inner
        if inner.engine.state().stage is not Stage.ENDED:
            return
        kept = None if inner.kept_nothing else inner.record()
        message = wire.nothing() if kept is None else wire.record(store.dumps_record(kept))
        if message != self._last:
            self._last = message
            self._send(message)

    def save(self):
        path = self._inner.save()
        self._share()
        return path

    def rekeep(self, keep: str, topics: bool = False, moods: bool = False):
        path = self._inner.rekeep(keep, topics=topics, moods=moods)
        self._share()
        return path

    def save_elsewhere(self, folder):
        path = self._inner.save_elsewhere(folder)
        self._share()
        return path

    def close(self) -> None:
        self._inner.close()
        self.on_message = None
        if not self._link.closed:
            asyncio.ensure_future(self._link.close())

    # ----- the guest's answers on the summary ------------------------------

    on_message = None  # the host's summary, while it shows

    on_lost = None  # the same summary: the guest's heartline cannot be reached

    def listen(self, link: Link, app) -> None:
        link.on_message = lambda raw: app.call_later(self._received, raw)
        link.on_lost = lambda why: app.call_later(self._lost)

    def _received(self, raw: bytes) -> None:
        if self.on_message is not None:
            self.on_message(raw)  # a ping too: the guest is there to answer

    def _lost(self) -> None:
        if self.on_lost is not None:
            self.on_lost()


class GuestEngine:
    """The guest's engine: reads are the replica's, inputs go to the host (which decides)."""

    def __init__(self, mirror, send, local) -> None:
        self.mirror = mirror
        self._send = send
        self._local = local

    def __getattr__(self, name: str):
        return getattr(self.mirror.engine, name)

    def state(self):
        return self.mirror.engine.state()

    def record(self):
        return self.mirror.engine.record()

    def _intent(self, intent_id: str, **extra) -> Outcome:
        self._send(wire.intent(intent_id, self._local.monotonic(), **extra))
        return Outcome(Result.IGNORED, "sent")

    def press(self, side: str, action) -> Outcome:
        return self._intent(f"{side}.{Action(action)}")

    def check_in(self, side: str, mood, feeling=None, *, seal: bool = True) -> Outcome:
        if mood is not None:
            return self._intent(f"{side}.mood-{int(mood)}")
        if feeling:
            return self._intent(f"{side}.word", text=feeling)
        return Outcome(Result.IGNORED, "nothing")

    def add_note(self, side: str, text: str, kind=None) -> Outcome:
        return self._intent(f"{side}.note", text=text, kind=kind or "parking-lot")

    def set_i_statement(self, side: str, text: str) -> Outcome:
        return self._intent(f"{side}.i-statement", text=text)

    def toggle_pause(self, reason: str = "") -> Outcome:
        return self._intent("pause", **({"reason": reason} if reason else {}))

    def time_out(self) -> Outcome:
        return self._intent("time-out")

    def end_early(self) -> Outcome:
        return self._intent("end")

    def agree_return(self, minutes: int) -> Outcome:
        return self._intent("return-at", minutes=minutes)

    def open_repair(self) -> Outcome:
        return self._intent("repair-open")

    def repair(self, code: str | None) -> Outcome:
        return self._intent("repair", phrase=code or "")

    def more_time(self, minutes: int) -> Outcome:
        return self._intent("more-time", minutes=minutes)

    def park(self, text: str = "") -> Outcome:
        return self._intent("park", text=text)

    # The clock holds of this machine: sent to the host (whose engine holds the clock for both), and sent again
    # when the host sends the whole session (after being apart for a while, it let them go).
    writing_open = frozenset()
    asks_open = 0

    def writing(self, side: str, on: bool) -> Outcome:
        self.writing_open = self.writing_open | {side} if on else self.writing_open - {side}
        return self._intent(f"{side}.writing", on=bool(on))

    def asking(self, on: bool) -> Outcome:
        before, self.asks_open = self.asks_open, max(0, self.asks_open + (1 if on else -1))
        if bool(before) == bool(self.asks_open):
            return Outcome(Result.IGNORED, "asking")  # a question over a question: the host holds it once
        return self._intent("asking", on=bool(on))

    def resend_holds(self) -> None:
        state = self.mirror.engine.state()
        for side in self.writing_open - set(state.writers):
            self._intent(f"{side}.writing", on=True)
        if self.asks_open:
            self._intent("asking", on=True)


class GuestSessionScreen(_Apart, SessionScreen):
    """The host's session, shown here; this partner's keys go to the host."""

    CSS_PATH = SESSION_CSS

    def __init__(self, mirror, link: Link, relay: str, me: str = GUEST_SIDE) -> None:
        head = mirror.head
        options = head.get("options", {})
        plan = SessionPlan(head["ritual"].id, head["left"], head["right"], topic=options.get("topic", ""),
                           checkin=options.get("checkin", True), rules=options.get("rules", True))
        self.mirror = mirror
        super().__init__(plan, resumed=(GuestEngine(mirror, self._send, None), None))  # no journal here: the host's
        self._apart_init(link, relay, me)
        self.keeper: GuestKeeper | None = None  # made on mount: this machine's data folder
        # Joined (or joined again) mid-turn: the panes are built after the first frame, as for a new session.
        self._floor_later, self._floor_ready = True, False
        self.held: list[bytes] = []  # the host's messages that came while this screen was on its way

    @on(events.Mount)
    def _apart_mount(self) -> None:
        self.resumed[0]._local = self.app.config.clock
        self.keeper = GuestKeeper(self.app.config.data_dir)
        self._mount_away(joining=True)
        self._listen()
        held, self.held = self.held, []
        for raw in held:  # before anything that comes from now on: the same order as sent
            self.call_later(self._received, raw)
        self._start_presence()

    def _listen(self) -> None:
        link = self.link
        link.on_message = lambda raw: self.call_later(self._received, raw) if self.link is link else None
        link.on_lost = lambda why: self.call_later(self._gone) if self.link is link else None

    def _received(self, raw: bytes) -> None:
        self._heard_from()
        if _is_ping(raw):
            return
        try:
            message = wire.read_host(raw)
        except wire.WireError:
            self.refused += 1
            return
        try:
            if message.kind == "session":
                from .mirror import Mirror

                mirror = Mirror(message.head, self.app.config.clock)
                mirror.load(message.log, message.at)
                self.mirror = mirror
                self.engine.mirror = mirror
                self.engine.resend_holds()  # the host let them go while it did not hear from here
            elif message.kind == "input":
                before = self.mirror.engine.state()
                item = message.log[0]
                self.mirror.add(item, message.at)
                self._answer(before, item)
            elif message.kind in ("record", "nothing"):
                self.keeper.decide(message)
            elif message.kind == "question":
                self.keeper.take_question(message.question)
            elif message.kind == "clock":
                self.mirror.sync(message.at)
            elif message.kind == "bye":
                self._gone()
        except Exception:  # noqa: BLE001 - nothing the other side sends may stop this one
            self.refused += 1
        self.refresh_state()

    def _answer(self, before, item: dict) -> None:
        """A blocked key of either partner shows its nudge here too (the engine decided it over there)."""
        if item["op"] == "park" and before.park:
            self._parked()
        if item["op"] != "press" or item["action"] != "done" or not before.floor:
            return
        side = item["side"]
        if before.stage is Stage.FLOOR and not before.paused and before.floor != side \
                and not before.step.together:
            from ..keys import key

            holder = before.side(before.floor).name  # the same words as at one keyboard (SessionScreen.action_done)
            now = "is still speaking" if before.time_left > 0 else "is wrapping up"
            self._nudges[side] = (f"{holder} {now}. Breathe; your turn will come.\n"
                                  f"A topic for another day? {key(self.me, 'note')} parks it in a few words.",
                                  self._now() + self.app.config.nudge_seconds)

    # ----- this keyboard is one partner's -------------------------------

    def action_done(self, side: str) -> None:
        self.engine.press(self.me, Action.DONE)

    def action_not_quite(self, side: str) -> None:
        self.engine.press(self.me, Action.NOT_QUITE)

    def action_mood(self, side: str, mood: int) -> None:
        self.engine.check_in(self.me, mood, seal=False)

    def action_note(self, side: str) -> None:
        super().action_note(self.me)

    def _ritual(self):
        return self.mirror.head["ritual"]

    def action_repair(self) -> None:
        """Either of you, from either machine: the list here; the phrase goes to the host, whose engine decides."""
        state = self.engine.state()
        if state.stage is Stage.ENDED or state.pause_kind == "time-out":
            return
        self.engine.open_repair()  # the clock waits on both while this partner chooses

        def chosen(code: str | None) -> None:
            self.engine.repair(code)  # "flooded" is the time-out, on both (the host's engine's rule)
            self.refresh_state()

        self.post_message(Go("repair", then=chosen))

    def watch_state(self, state) -> None:
        super().watch_state(state)
        self._mark_you(state)
        self._paint_away(state)

    def _gone(self) -> None:
        if not self.away:
            self.away = True
            self._rejoin_line("")
            self.refresh_state()

    def _back(self) -> None:
        self._stop_rejoin()
        self._show_away(None)
        self.refresh_state()

    # ----- coming back with a new code from the host (tui/apart/rejoin.py) ---------

    def _rejoin_line(self, line: str) -> None:
        from .rejoin import guest_words

        self._show_away(guest_words(self.engine.state().side(self.other).name, line))

    @on(Input.Submitted, "#away-code")
    def _rejoin_typed(self, event: Input.Submitted) -> None:
        event.stop()
        code = "-".join(event.value.split())
        if not code or not self.away or getattr(self, "_rejoining", None) is not None:
            return
        event.input.disabled = True
        self._rejoin_line(f"Joining with {code}…")
        self._rejoining = self.run_worker(self._rejoin(code), exit_on_error=False)

    async def _rejoin(self, code: str) -> None:
        from .rejoin import join_again

        try:
            link = await join_again(self.relay, code)
        except (LinkError, wire.WireError) as exc:
            self._rejoining = None
            self._rejoin_line(str(exc))
            for box in self.query("#away-code").results(Input):
                box.disabled = False
                self.call_after_refresh(box.focus)
            return
        self._rejoining = None
        self._take_link(link)
        self._listen()  # the host sends the whole session at once: hearing it brings this screen back

    def _stop_rejoin(self) -> None:
        rejoining, self._rejoining = getattr(self, "_rejoining", None), None
        if rejoining is not None:
            rejoining.cancel()

    def keep_now(self) -> str:
        return ""  # the host's summary decides what both machines keep

    def action_end(self) -> None:
        """Away from the host, escape leaves for now (the host's heartline keeps the session); else as ever."""
        if not self.away or self.engine.state().stage is Stage.ENDED:
            return super().action_end()
        from ..screens.dialogs import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if yes and self.away:
                if getattr(self.app, "apart_exit_on_problem", False):
                    self.app.exit()
                else:
                    self.app.pop_screen()

        host = self.engine.state().side(self.other).name
        self.app.push_screen(ConfirmScreen("Leave for now?", f"{host}'s heartline keeps the session so far.",
                                           yes="Leave", no="Stay"), answer)

    # ----- the end: the record the host sent, read like a file from outside ----

    def _finish(self) -> None:
        if self.keeper is None or not self.keeper.decided:
            return  # what the couple keep is on its way from the host
        self._summary_shown = True
        path = self.save_now()
        while self.app.screen is not self:
            self.app.pop_screen()
        record = self.keeper.record or self.engine.record()  # nothing kept: the replica's, shown once
        self.keeper.listen(self.link, self.app)  # a choice changed on the host's summary still reaches this file
        self.app.switch_screen(GuestSummaryScreen(record, path, self.save_error, saver=self.keeper,
                                                  host=self.engine.state().side(self.other).name,
                                                  whole=self.engine.record(), me=self.me))

    @property
    def other(self) -> str:
        return "left" if self.me == "right" else "right"

    def refresh_state(self, state: State | None = None) -> None:
        super().refresh_state(state)
        if self.keeper is not None and self.keeper.decided and not self._summary_shown \
                and self.engine is not None and self.engine.state().stage is Stage.ENDED:
            self._finish()

    def save_now(self, early: bool = False) -> Path | None:
        """What the host sent, under this machine's data folder; leaving early saves nothing (the host keeps it)."""
        if self.keeper is None or not self.keeper.decided or self.saved_path is not None:
            return self.saved_path
        self.saver = self.keeper
        self.saved_path = self.keeper.save()
        self.save_error = self.keeper.error
        return self.saved_path

    @on(events.Unmount)
    def _apart_unmount(self) -> None:
        self._stop_presence()
        self._stop_rejoin()
        if not self._summary_shown:
            self._send(wire.bye("left"))
            asyncio.ensure_future(self.link.close())
            return
        self.keeper.listen(self.link, self.app)  # a choice changed on the host's summary still reaches this file


class GuestKeeper:
    """What the guest keeps: the host's record as the couple keep it, or nothing, changed as they change it.

    The record comes whole from the other heartline and is read like any file
    from outside (`store.parse_record`); there is no journal here (the host
    keeps that). Every later record must be the same session.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.record: dict | None = None
        self.decided = False  # the host said what is kept
        self.kept_nothing = False
        self.path: Path | None = None
        self.error = ""
        self.journal_kept = False
        self.link: Link | None = None
        self.on_change = None  # the summary showing it
        self.question: dict | None = None  # the summary's question as it stands on the host (wire.check_question)
        self.engine = SimpleNamespace(record=lambda: self.record)

    def decide(self, message) -> None:
        """The host's `record` or `nothing` (checked by wire); a record of another session is refused."""
        record = None
        if message.kind == "record":
            record = store.parse_record(message.toml, "the record from the other heartline")
            if self.record is not None and record.get("id") != self.record.get("id"):
                raise ValueError("a record of another session")
        self.record, self.decided = record, True

    def save(self) -> Path | None:
        """Keep what was decided: write the record (again), or remove what was written."""
        if not self.decided:
            return None
        if self.record is None:
            if self.path is not None:
                try:
                    store.delete_for_good(self.data_dir, self.path.stem, self.path.name)
                except (OSError, store.StoreError) as exc:
                    self.error = str(exc)
                    return self.path
                self.path = None
            self.kept_nothing, self.error = True, ""
            return None
        try:
            self.path = store.save_record(self.record, self.data_dir)
        except (OSError, store.StoreError) as exc:
            self.error = str(exc)
            self.path = None
            return None
        self.kept_nothing, self.error = False, ""
        return self.path

    def save_elsewhere(self, folder: Path) -> Path | None:
        from heartline.sessions import journal as journals

        try:
            self.path = journals.write_elsewhere(self.record, Path(folder).expanduser())
        except (OSError, store.StoreError) as exc:
            self.error = str(exc)
            return None
        self.error = ""
        return self.path

    # ----- after the session screen: the summary's choice, from the host ----------

    host_gone = False  # the host's heartline cannot be reached any more: this copy keeps what it last sent

    def listen(self, link: Link, app) -> None:
        self.link = link
        link.on_message = lambda raw: app.call_later(self._received, raw)
        link.on_lost = lambda why: app.call_later(self._lost)

    def _lost(self) -> None:
        self.host_gone = True
        if self.on_change is not None:
            self.on_change()

    def take_question(self, question: dict) -> None:
        self.question = question
        if self.on_change is not None:
            self.on_change()

    def answer(self, side: str, asking: str, yes: bool, at: float) -> None:
        """This partner's own yes or no to the host's question, by their binding id (the host checks it)."""
        if self.link is not None and not self.link.closed:
            try:
                self.link.send(wire.encode(wire.intent(f"{side}.done" if yes else f"{side}.not-quite", at,
                                                       keep=asking)))
            except Exception:  # noqa: BLE001 - a lost link: the question stays open on both
                pass

    def _received(self, raw: bytes) -> None:
        if _is_ping(raw):
            return
        try:
            message = wire.read_host(raw)
            if message.kind == "question":
                return self.take_question(message.question)
            if message.kind not in ("record", "nothing"):
                return
            self.decide(message)
        except Exception:  # noqa: BLE001 - nothing the other side sends may stop this one
            return
        self.save()
        if self.on_change is not None:
            self.on_change()

    def close(self) -> None:
        if self.link is not None and not self.link.closed:
            self.link.on_message = self.link.on_lost = None
            try:  # leaving before answering is this partner's no: the host hears it from this side
                self.link.send(wire.encode(wire.bye("left")))
            except Exception:  # noqa: BLE001 - a lost link: nothing to say goodbye to
                pass
            asyncio.ensure_future(self.link.close())



class HostSummaryScreen(SummaryScreen):
    """The host's summary: its keyboard answers for its own partner only; the guest answers on theirs.

    What needs both partners' yes (the check-in numbers, the topics for later)
    is asked on both machines. The guest's answer comes as its own partner's
    binding id (`right.done` yes, `right.not-quite` no) naming the question it
    answers; the host takes it only for the question asked now, and sends the
    question as it stands after every change, so both screens say the same.
    """

    CSS_PATH = SUMMARY_CSS

    def __init__(self, record: dict, path: Path | None, error: str = "", saver=None, me: str = HOST_SIDE,
                 guest: str = GUEST_SIDE, gone: str = "") -> None:
        super().__init__(record, path, error, saver=saver)
        self.me, self.guest = me, guest
        self.gone = gone  # "left": the guest's heartline said goodbye; "away": it cannot be reached now
        self._left_unanswered = False  # a question settled as no because the guest left before answering
        self.limit = wire.RateLimit()
        self._early: list[bytes] = []  # the guest's answers that came before this screen was up
        if saver is not None:
            saver.on_message = self._received
            saver.on_lost = self._guest_lost

    def on_mount(self) -> None:
        super().on_mount()
        self._share_question()
        early, self._early = self._early, []
        for raw in early:
            self._received(raw)
        self._settle_if_left()
        self._show_keep()

    def _guest_name(self) -> str:
        for partner in self.record.get("partners", []):
            if partner.get("side") == self.guest:
                return " ".join(str(partner.get("name", "")).split()) or "your partner"
        return "your partner"

    def _settle_if_left(self) -> None:
        """The guest left without answering: as escape at one keyboard, that is their no (theirs to give, and
        given from their side: their heartline's goodbye)."""
        q = self.question
        if not self.query("#keep"):
            return  # the app is closing: this screen's boxes are gone already
        while self.gone == "left" and q is not None and q.asking:
            self._left_unanswered = True
            SummaryScreen.action_agree(self, self.guest, False)
        self._share_question()

    def _guest_lost(self) -> None:
        if self.gone != "left":
            self.gone = "away"
            self._show_keep()

    def _show_keep(self) -> None:
        if self.is_mounted and self.question is not None:
            for box in self.query("#keep").results(Static):  # none while the app closes: nothing to say
                box.update(self._keep_text())

    def _keep_text(self) -> Text:
        text = super()._keep_text()
        guest, q = self._guest_name(), self.question
        if self._left_unanswered:
            text.append(f"   ({guest} left before answering: what needs both of you is not kept)\n")
        elif self.gone and q is not None and q.asking:
            text.append(f"   Waiting for {guest}'s answer on their machine — {guest} is not connected now "
                        "(your no settles it).\n")
        return text

    def _share_question(self) -> None:
        q = self.question
        if q is not None and isinstance(self.saver, SharedSaver):
            self.saver._send(wire.question(q.keep, q.asking, q.yes, q.moods, q.topics))

    def _received(self, raw: bytes) -> None:
        if not self.is_mounted:
            self._early.append(raw)
            return
        if not self.limit.allow(self.app.config.clock.monotonic()):
            return
        try:
            item = wire.read_intent(raw, self.guest)
        except wire.WireError:
            return
        if item is None:  # goodbye: the guest's heartline closed before answering
            self.gone = "left"
            self._settle_if_left()
            return self._show_keep()
        if self.gone == "away":  # heard from again: the guest is there to answer
            self.gone = ""
            self._show_keep()
        q = self.question
        if item is wire.PING or not item.keep or q is None or item.keep != q.asking:
            return  # only an answer to the question asked now, by the guest's own partner
        SummaryScreen.action_agree(self, self.guest, item.action == "done")
        self._share_question()

    def action_agree(self, side: str, yes: bool) -> None:
        super().action_agree(self.me, yes)  # both halves of this keyboard are its own partner's
        self._share_question()

    def action_keep(self, keep: str) -> None:
        super().action_keep(keep)
        self._settle_if_left()  # "words" asks about the topics too: a guest who left cannot say yes


class GuestSummaryScreen(SummaryScreen):
    """The summary on the joining side: 1, 2 or 3 is chosen on the host's screen (this file follows it);
    what needs both partners' yes is asked here too, and this partner answers it here."""

    CSS_PATH = SUMMARY_CSS

    def __init__(self, record: dict, path: Path | None, error: str = "", saver: GuestKeeper | None = None,
                 host: str = "your partner", whole: dict | None = None, me: str = GUEST_SIDE) -> None:
        super().__init__(record, path, error, saver=saver)
        self.host, self.me = host, me
        self._whole = keeping.strip(copy.deepcopy(whole)) if whole is not None else None  # the replica's record
        if saver is not None and self._whole is not None:
            self.question = KeepQuestion(self._whole, "shape")  # shown once the host says how it stands

    def on_mount(self) -> None:
        super().on_mount()
        if self.saver is not None:
            self.saver.on_change = self._kept_changed
        self._question_changed()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "keep":
            return False  # chosen on the host's screen
        if action == "agree":
            return self._asked() and bool(self.question.asking)
        return super().check_action(action, parameters)

    def _asked(self) -> bool:
        return self.question is not None and self.saver is not None and self.saver.question is not None

    def _question_changed(self) -> None:
        """The host's question as it stands: the same words here, this partner's answer theirs to give."""
        boxes = self.query("#keep").results(Static)
        state = self.saver.question if self.saver is not None else None
        q = self.question
        if q is not None and state is not None:
            q.keep, q.moods, q.topics, q.yes = state["keep"], state["moods"], state["topics"], set(state["yes"])
        shown = self._asked() and q.asking == state["asking"]
        for box in boxes:
            box.display = shown
            if shown:
                box.update(self._keep_text())
        self.refresh_bindings()

    def _keep_text(self) -> Text:
        kept, self.record = self.record, self._whole  # the topics asked about, even while not kept
        try:
            return super()._keep_text()
        finally:
            self.record = kept

    def _choose_hint(self) -> str:
        return f"({self.host} chooses 1, 2 or 3 on their screen)\n"

    def action_agree(self, side: str, yes: bool) -> None:
        if self._asked() and self.question.asking:
            self.saver.answer(self.me, self.question.asking, yes, self.app.config.clock.monotonic())

    def action_keep(self, keep: str) -> None:
        return

    def _kept_changed(self) -> None:
        if self.saver.record is not None:
            self.record = keeping.strip(copy.deepcopy(self.saver.record))
        self.path, self.error = self.saver.path, self.saver.error
        self._refresh_saved()
        self._question_changed()

    def _saved_line(self) -> str:
        if self.saver is not None and self.saver.host_gone:
            return (f"{super()._saved_line()}\n{self.host}'s heartline is not connected any more: this copy "
                    "keeps what it last sent.")
        return (f"{super()._saved_line()}\nWhat is kept is chosen on {self.host}'s screen, and what needs "
                "both of you, by each of you on your own; this copy follows it until you leave.")

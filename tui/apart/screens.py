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
from heartline.sessions.engine import Action, Outcome, Result, Stage
from heartline.sessions.setup import SessionPlan

from ..screens.session import SessionScreen
from ..screens.summary import SummaryScreen
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

    def __init__(self, relay: str, role: str, plan: SessionPlan | None = None, code: str = "") -> None:
        super().__init__()
        self.relay = relay
        self.role = role  # "host" or "guest"
        self.plan = plan
        self.code = code
        self.link: Link | None = None
        self.problem = ""
        self._connecting = None  # the worker that connects

    def compose(self) -> ComposeResult:
        with Vertical(id="apart"):
            title = "A session apart — one of you is elsewhere" if self.role == "host" else "Joining a session apart"
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
        self.link.on_message = lambda raw: self.call_later(self._first_message, raw)  # in Textual's own context

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
        self.link.on_message = None
        self.app.switch_screen(GuestSessionScreen(mirror, self.link, self.relay))

    def _begin(self) -> None:
        self.app.switch_screen(HostSessionScreen(self.plan, self.link, self.relay))

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
    REPAIR_AT_HAND = False  # not carried over the wire yet: the other side's mirror would not know the input

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
        """Their own pane says "you"."""
        if state is None or state.stage is not Stage.FLOOR:
            return
        for pane in self.query(PartnerPane):
            if pane.side == self.me:
                pane._set("who", Text(f"{state.side(self.me).name} · you", style="bold"))

    def _away_line(self, state) -> str:
        other = state.side("right" if self.me == "left" else "left").name
        return (f"Waiting for {other} to come back — the session is paused, nothing is lost. "
                "Escape ends it, keeping everything so far.")


def _is_ping(raw: bytes) -> bool:
    return raw == b'{"v":1,"t":"ping"}'


class HostSessionScreen(_Apart, SessionScreen):
    """The session, its engine and journal here; the guest's partner's keys come over the link."""

    CSS_PATH = SESSION_CSS

    def __init__(self, plan: SessionPlan, link: Link, relay: str, me: str = HOST_SIDE) -> None:
        super().__init__(plan)
        self._apart_init(link, relay, me)
        self.guest = "right" if me == "left" else "left"

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
        from heartline.sessions.journal import header

        self._send(wire.session(header(self.engine), list(self.engine.log), self.engine.state().elapsed))
        self.link.on_message = lambda raw: self.call_later(self._received, raw)
        self.link.on_lost = lambda why: self.call_later(self._lost, why)
        self._start_presence()

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
        if engine is None or engine.state().stage is Stage.ENDED:
            return
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
        elif action == "end":
            engine.end_early()
        elif action == "return-at":
            engine.agree_return(item.minutes)
        self.refresh_state()

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
        if state is not None and self.away and state.stage is not Stage.ENDED:
            self._put("#banner", self._away_line(state))
            self.query_one("#banner").set_class(True, "-shown")

    # ----- the other comes and goes ---------------------------------------

    def _gone(self) -> None:
        if self.away or self.engine is None:
            return
        self.away = True
        state = self.engine.state()
        if state.stage is not Stage.ENDED and not state.paused:
            self.engine.toggle_pause()
        self.refresh_state()

    def _back(self) -> None:
        from heartline.sessions.journal import header

        self._send(wire.session(header(self.engine), list(self.engine.log), self.engine.state().elapsed))
        self.refresh_state()

    def _lost(self, why: str) -> None:
        self._gone()

    # ----- the end: the record goes to both ---------------------------------

    @on(events.Unmount)
    def _apart_unmount(self) -> None:
        self._stop_presence()
        self.save_now(early=True)  # the record goes to the guest before the link closes
        self.link.on_message = self.link.on_lost = None
        if self._summary_shown and isinstance(self.saver, SharedSaver):
            return  # the summary may still change what is kept: the saver closes the link when it is left
        asyncio.ensure_future(self.link.close())


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
        if not self._link.closed:
            asyncio.ensure_future(self._link.close())


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

    @on(events.Mount)
    def _apart_mount(self) -> None:
        self.resumed[0]._local = self.app.config.clock
        self.keeper = GuestKeeper(self.app.config.data_dir)
        self.link.on_message = lambda raw: self.call_later(self._received, raw)
        self.link.on_lost = lambda why: self.call_later(self._gone)
        self._start_presence()

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
            elif message.kind == "input":
                before = self.mirror.engine.state()
                item = message.log[0]
                self.mirror.add(item, message.at)
                self._answer(before, item)
            elif message.kind in ("record", "nothing"):
                self.keeper.decide(message)
            elif message.kind == "clock":
                self.mirror.sync(message.at)
            elif message.kind == "bye":
                self._gone()
        except Exception:  # noqa: BLE001 - nothing the other side sends may stop this one
            self.refused += 1
        self.refresh_state()

    def _answer(self, before, item: dict) -> None:
        """A blocked key of either partner shows its nudge here too (the engine decided it over there)."""
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

    def action_help(self) -> None:
        from ..screens.dialogs import HelpScreen

        state = self.engine.state()
        self.app.push_screen(HelpScreen(self.mirror.head["ritual"], state.left.name, state.right.name))

    def watch_state(self, state) -> None:
        super().watch_state(state)
        self._mark_you(state)
        if state is not None and self.away and state.stage is not Stage.ENDED:
            self._put("#banner", self._away_line(state))
            self.query_one("#banner").set_class(True, "-shown")

    def _gone(self) -> None:
        if not self.away:
            self.away = True
            self.refresh_state()

    def _back(self) -> None:
        self.refresh_state()

    # ----- the end: the record the host sent, read like a file from outside ----

    def _finish(self) -> None:
        if self.keeper is None or not self.keeper.decided:
            return  # what the couple keep is on its way from the host
        self._summary_shown = True
        path = self.save_now()
        while self.app.screen is not self:
            self.app.pop_screen()
        record = self.keeper.record or self.engine.record()  # nothing kept: the replica's, shown once
        self.app.switch_screen(GuestSummaryScreen(record, path, self.save_error, saver=self.keeper,
                                                  host=self.engine.state().side(self.other).name))

    @property
    def other(self) -> str:
        return "left" if self.me == "right" else "right"

    def refresh_state(self) -> None:
        super().refresh_state()
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

    def listen(self, link: Link, app) -> None:
        self.link = link
        link.on_message = lambda raw: app.call_later(self._received, raw)
        link.on_lost = None

    def _received(self, raw: bytes) -> None:
        if _is_ping(raw):
            return
        try:
            message = wire.read_host(raw)
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
            self.link.on_message = None
            asyncio.ensure_future(self.link.close())



class GuestSummaryScreen(SummaryScreen):
    """The summary on the joining side: what is kept is chosen on the host's screen; this file follows it."""

    CSS_PATH = SUMMARY_CSS

    def __init__(self, record: dict, path: Path | None, error: str = "", saver: GuestKeeper | None = None,
                 host: str = "your partner") -> None:
        super().__init__(record, path, error, saver=saver)
        self.host = host

    def on_mount(self) -> None:
        if self.saver is not None:
            self.saver.on_change = self._kept_changed

    def _kept_changed(self) -> None:
        if self.saver.record is not None:
            self.record = keeping.strip(copy.deepcopy(self.saver.record))
        self.path, self.error = self.saver.path, self.saver.error
        self._refresh_saved()

    def _saved_line(self) -> str:
        return (f"{super()._saved_line()}\nWhat is kept is chosen on {self.host}'s screen; "
                "this copy follows it until you leave.")

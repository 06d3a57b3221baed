"""The live session: ground rules, the sealed check-in, the floor, the check-out.

The engine decides everything; this screen forwards each partner's keys to it
and renders `engine.state()`: after each key, and otherwise exactly when the
shown text next changes (the engine says when its figures do; the screen adds
its own cue and nudges). Each redraw reads the engine's clock afresh, so the
countdown cannot drift, and between changes nothing runs.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING
from pathlib import Path

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.reactive import reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import ContentSwitcher, Static

from heartline.sessions.durations import minutes_spent
from heartline.sessions.engine import LEFT, MOODS, RIGHT, SIDES, Action, Engine, Result, Stage, State, other
from heartline.sessions.keep import ending_words, note_words
from heartline.sessions.setup import SessionPlan

from .. import keys
from ..cells import cell_len, cut
from ..compositor import RowsCompositor
from ..glyphs import ascii_mode, shown
from ..keys import default, key, mood_key
from ..routes import Go
from ..saving import SessionSaver
from ..wake import Stoppable, wake_at
from ..widgets.panetext import repair_words, timeless, update_text
from ..widgets.too_small import GuardedScreen


# Words for the engine's codes: what each key does now (the engine decides; these only say it).
DONE_WORDS = {
    "now": "now", "agree": "agree", "seal": "seal", "ready": "ready", "end-turn": "done",
    "got-it": "got it", "pass": "that's all", "pass-floor": "pass", "give": "give it",
}


def short_yes(words: str) -> str:
    """A check's yes in the key bar's few cells: "you got it" → "got it"; any longer answer is "yes"."""
    short = words.removeprefix("yes, ").removeprefix("you ")
    return short if len(short) <= len("got it") else "yes"


def fitted_name(name: str, room: int, other: str = "") -> str:
    """A partner's name in `room` cells of their key bar, so each still knows which keys are theirs: whole when
    it fits; else its first word ('Jon' of 'Jon "JJ" O'Brien'), unless the other's name begins with it too;
    else cut (by cells: an emoji takes two), with an ellipsis."""
    if Text(name).cell_len <= room:
        return name
    first = name.split()[0] if name.split() else name
    if Text(first).cell_len <= room and first.casefold() != (other.split() or [""])[0].casefold():
        return first
    cut = ""
    for char in name:
        if Text(cut + char).cell_len > room - 1:
            break
        cut += char
    return cut.rstrip() + "…"


NOT_QUITE_WORDS = {"later": "later, within a day", "not-quite": "not quite", "more": "more",
                   "minute-more": "+1 minute", "skip": "skip", "not-solvable": "not today"}
NOTE_WORDS = {
    "parking-lot": "note", "appreciation": "write it down", "commitment": "write it down",
    "core-need": "write", "flexible": "write",
    "i-statement": "I-statement", "feeling": "add a word", "request": "a request",
}
NOTE_TITLES = {
    "parking-lot": "{name} — parking lot",
    "appreciation": "{name} — what you appreciate",
    "commitment": "{name} — what you will do this week",
    "core-need": "{name} — what you can't give up",
    "flexible": "{name} — where you can bend",
    "request": "{name} — a request",
}
NOTE_HINTS = {"request": "Small, positive, doable: “Could you … this week?”"}
NOTE_LONGEST = {"request": 80}  # a small request fits in a line or two of a pane


def _partner_bindings() -> list[Binding]:
    """Each partner's keys at their defaults; the app's keymap (`tui/keys.py`) is applied over them by id."""
    out = []
    for side in SIDES:
        who = "Left" if side == LEFT else "Right"
        out += [
            Binding(default(f"{side}.done"), f"done('{side}')", f"{who}: done", id=f"{side}.done"),
            Binding(default(f"{side}.not-quite"), f"not_quite('{side}')", f"{who}: not quite",
                    id=f"{side}.not-quite"),
            Binding(default(f"{side}.note"), f"note('{side}')", f"{who}: note", id=f"{side}.note"),
        ]
        for mood in range(1, 6):
            out.append(Binding(default(f"{side}.mood-{mood}"), f"mood('{side}', {mood})", f"{who}: feel {mood}",
                               show=False, id=f"{side}.mood-{mood}"))
    return out


if TYPE_CHECKING:
    from ..widgets.pane import PartnerPane


def _pane():
    """The partners' pane widget, imported when the floor is built (after the first frame when it opens on the
    rules, the check-in or "Is now a good time?"): it and Textual's progress bar are not on the way to it."""
    from ..widgets.pane import PartnerPane

    return PartnerPane


class SessionScreen(GuardedScreen, Screen):
    """Two panes, one keyboard, the engine in charge."""

    CSS_PATH = "session.tcss"
    TOO_SMALL_NOTE = ("Nothing is lost: the turn waits until then.\n"
                      "Your keys wait too, until you can see.")
    WHILE_TOO_SMALL = {"pause", "time_out", "end", "help"}  # what still works when nobody can see the panes
    PARK_AT_HAND = True  # the park key (apart too: its wire carries the input and the box's clock hold)
    REPAIR_AT_HAND = True  # the repair key is offered (in a session apart too: its wire carries the phrase ids)
    BINDINGS = _partner_bindings() + [  # pause, time-out, end and help are the app's: they work over dialogs too
        Binding(default("session.gentler"), "gentler", "A gentler talk instead", id="session.gentler", show=False),
        Binding(default("session.safety"), "safety", "Is this right for us?", id="session.safety", show=False),
        Binding(default("repair"), "repair", "A repair: words to steady the talk", id="repair", show=False),
        Binding(default("park"), "park", "Keep it for our state of the union", id="park", show=False),
    ]

    state: reactive[State | None] = reactive(None, always_update=True, repaint=False)  # widgets repaint themselves

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A partner cannot agree, end a turn or seal a check-in on a screen they cannot see."""
        if self.has_class("-too-narrow") or self.has_class("-too-short"):
            return action in self.WHILE_TOO_SMALL
        if action == "repair":  # (`r r` on the offer: the second `r` never gets here, see `HeartlineApp.spend_key`)
            return self.REPAIR_AT_HAND
        if action == "park":
            return self.PARK_AT_HAND and self.engine is not None and self.engine.may_park()
        if action in ("gentler", "safety") and self.engine is not None:
            state = self.engine.state()  # offered only where the words offer them: after a low check-in or check-out
            return bool(state.gentler) if action == "gentler" else state.gentle_offer or state.low_after
        return True

    def __init__(self, plan: SessionPlan, resumed: tuple | None = None) -> None:
        super().__init__()
        self._compositor = RowsCompositor()  # each second's frame draws only the rows that changed
        self.plan = plan
        self.resumed = resumed  # (engine, journal) of a session taken up again
        self.saver: SessionSaver | None = None
        self.engine: Engine | None = None
        self.saved_path: Path | None = None
        self.save_error = ""
        self._nudges: dict[str, tuple[str, float]] = {}
        self._cue: tuple[str, float] = ("", 0.0)
        self._notices: list[tuple[Text, float]] = []  # the app's notices, in their own row: a toast would cover a pane
        self._transitions_seen = 0  # the engine numbers its transitions; each new one rings once
        self._timeout_open = False
        self._summary_shown = False
        self._switch_to: SessionPlan | None = None  # after a low check-in: the gentler ritual to start instead
        self._shown: dict[str, object] = {}
        self._painted: tuple | None = None  # what the last whole paint was painted from (`_paint_key`)
        self._alarm: Stoppable | None = None
        self._pane_pair: tuple[PartnerPane, ...] | None = None
        self._seconds_later: State | None = None  # the engine's last read, when it was `Engine.seconds_later`
        # Opening on the rules or the check-in, the panes are hidden: built just after the first frame.
        self._floor_later = resumed is None and (plan.rules or plan.checkin or plan.good_time)
        self._floor_ready = not self._floor_later
        self.wake_delay: float | None = None  # seconds from the last redraw to the next one (None: no more)

    # ----- building -----------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="top", markup=False)
            yield Static(id="top-right", markup=False)
        yield Static(id="banner", markup=False)
        yield Static(id="notice", markup=False)
        with ContentSwitcher(initial="stage", id="switcher"):
            with Vertical(id="stage"):
                yield Static(id="stage-body", markup=False)
                with Horizontal(id="stage-sides"):
                    yield Static(id="stage-left", classes="stage-side", markup=False)
                    yield Static(id="stage-right", classes="stage-side", markup=False)
            with Horizontal(id="floor"):
                if not self._floor_later:
                    yield _pane()(LEFT)
                    yield _pane()(RIGHT)
        with Horizontal(id="keys"):
            yield Static(id="keys-left", markup=False)
            yield Static(id="keys-right", markup=False)
        yield Static(keys.shared_hint(repair=self.REPAIR_AT_HAND), id="keys-shared", markup=False)

    def on_mount(self) -> None:
        app = self.app
        if self.resumed is not None:
            self.engine, journal = self.resumed
            self.saver = SessionSaver(self.engine, app.config.data_dir, journal)
        else:
            self.engine = self.plan.engine(app.rituals.get(self.plan.protocol), app.config.clock)
            self.saver = SessionSaver.start(self.engine, app.config.data_dir)  # the name, then the journal
        self.saver.config_dir = app.config.config_dir  # its `keep` setting, read when the session is saved
        app.after_first_frame(self.saver.check_name_soon)  # no record read before the first frame
        if self._floor_later:
            app.after_first_frame(self._build_floor)
        # last time's commitments live on home, not here: not right before a hard talk (DESIGN "Care")
        if app.config.first_safety and self.resumed is None:
            app.after_first_frame(self._first_safety)
        self.refresh_state()

    def _first_safety(self) -> None:
        """Once, before the first session: "Is this right for us?" over the ground rules; escape goes on.

        It counts as shown (and is not shown again) only once the window was large enough to read it."""
        app = self.app
        app.config.first_safety = False
        if self.app.screen is self:
            self.post_message(Go("safety", on_seen=self._told_safety))

    def _told_safety(self) -> None:
        from heartline.sessions import prefs

        app = self.app
        remembered = prefs.load(app.config.config_dir)
        try:
            prefs.save(app.config.config_dir, remembered.remember(told_safety=True))
        except OSError:
            pass  # shown again next time: better twice than never

    # ----- the redraw loop ----------------------------------------------

    def on_resize(self) -> None:
        self._shown.pop("#top", None)
        self.refresh_state()  # the top line and key bar fit what they say to the width

    def _now(self) -> float:
        return self.app.config.clock.monotonic()

    def refresh_state(self, state: State | None = None) -> None:
        """Read the engine (or take the state just read) and let the watchers paint; answer the engine's transitions
        with the bell and a cue."""
        self._compositor.take_over_away()  # the cue's words drawn ahead of the banner: the banner has them now
        if self.engine is None:
            return
        at = self._now()  # the state's instant: its next change is counted from here, not from after the paint
        state = self.engine.state() if state is None else state
        if state.transitions > self._transitions_seen:
            self._transitions_seen = state.transitions
            self._on_transition(state)
        self.set_reactive(SessionScreen.state, state)  # kept for readers; the paint is called at once (no reactive round)
        self.watch_state(state)
        if state.pause_kind == "time-out" and not self._timeout_open:
            self._open_time_out()
        if state.stage is Stage.ENDED and not self._summary_shown:
            self._finish()
        self._schedule(state, at)

    def _schedule(self, state: State, at: float) -> None:
        """One wake-up, when the next shown figure changes: the engine's, or this screen's cue or nudge expiring."""
        if self._alarm is not None:
            self._alarm.stop()
            self._alarm = None
        soon = [state.next_change(), self._cue[1] - at if self._cue[0] else None]
        soon += [until - at for _, until in self._nudges.values()]
        soon += [until - at for _, until in self._notices]
        self.wake_delay = min((s for s in soon if s is not None and s > 0), default=None)
        if self.wake_delay is not None and not self._summary_shown and self.is_attached:
            self._alarm = wake_at(self, self.app.config.clock, at + self.wake_delay, self._wake)

    def _wake(self) -> None:
        self._alarm = None
        last = self.state if self._painted is not None else None  # painted whole from it: the floor, seconds aside
        state = self.engine.seconds_later(last) if last is not None else None  # a second of the turn: a cheap read
        if state is not None:
            self._seconds_later = state
            self.refresh_state(state)
            return
        state = self.engine.state()
        if state.transitions > self._transitions_seen:
            self._cue_first(state)
        else:
            self.refresh_state(state)  # read once a second, not twice

    def _cue_first(self, state: State) -> None:
        """The clock ended a turn: the bell and the cue go out in a frame of their own, the rest in the next.

        Restyling both panes as the floor changes hands, and the layout as the
        banner's row pushes the floor down, are most of a frame's work (20-40 ms
        on a shared machine); the cue that the turn has ended should not wait
        for them. Its frame only draws the cue's words in the banner's row, as
        the banner will show them (`RowsCompositor.draw_over`): no widget
        changes, so nothing is restyled, laid out or drawn beneath it. The
        banner, the floor and the panes follow in the next frame.
        """
        self._transitions_seen = state.transitions
        self._on_transition(state)
        if not self._draw_cue(state):
            self._paint_top(state)
            self.refresh(repaint=False, layout=True)  # the screen asks for its frame now, so the panes come after it
        self.call_after_refresh(self._after_cue)

    def _draw_cue(self, state: State) -> bool:
        """The cue's words over the banner's row, styled as the banner; False where the banner would say otherwise."""
        words, until = self._cue
        top = self.query_one("#topbar").region
        if (not words or self._now() >= until or state.repair or state.pause_kind == "pause" or not top
                or self.app.screen is not self or self.has_class("-too-narrow") or self.has_class("-too-short")):
            return False  # (a dialog or the too-small notice in front: the banner's way, after them)
        banner = self.query_one("#banner", Static)
        row = Region(0, top.bottom, self.size.width, 1)
        style = banner.rich_style  # its colours even while hidden (session.tcss); around the words, its background
        around = Style(bgcolor=style.bgcolor)
        strip = Strip([Segment(" ", around), Segment(shown(words), style)]).adjust_cell_length(row.width, around)
        for line_filter in banner.get_line_filters():
            strip = strip.apply_filter(line_filter, banner.background_colors[1])
        self._compositor.draw_over(row, strip)
        self._dirty_widgets.add(self)  # a frame: that row, and whatever else waits to be drawn (not
        self.check_idle()              # `refresh(row)`: a screen's repaint drops the widgets waiting)
        return True

    def _after_cue(self) -> None:
        if self.is_attached:
            self.refresh_state()

    def _on_transition(self, state: State) -> None:
        """The engine said the floor moved (or the session ended): ring, and say what happens now."""
        kind = state.transition.kind
        if kind != "session-ended":  # the summary follows at once; a bell there says nothing new
            self.app.ring()
        self._nudges.clear()  # a nudge belongs to the turn it was given in
        if state.stage is Stage.FLOOR and state.floor:
            step = state.step
            holder = state.side(state.floor).name
            if step.together:  # nobody holds this floor alone
                text = f"Now, together: {step.title}"
                self._cue = (text, self._now() + 4)
                return
            owner = state.side(state.floor_owner).name if state.floor_owner else holder
            if state.floor_owner not in (None, state.floor):  # PREP: said back on the speaker's floor
                text = f"{owner} has the floor — {holder} is saying back what they heard"
                if cell_len(text) > self.size.width - 2:
                    text = f"{owner} has the floor — {holder} is saying it back"
            elif kind == "not-quite" and step.phase.clarify:  # the check's own words: "Jon is naming the feeling"
                text = f"{holder} is {step.phase.clarify} — two tries is normal"
            elif kind == "not-quite":
                text = f"{holder} says again what matters most — two tries is normal"
            elif kind == "more" and state.transition.ended_by == "minute-more":
                text = f"A minute more — {holder} has the floor again"
            elif kind == "more":
                text = f"There's more — {holder} has the floor again"
            elif state.transition.ended_by == "skipped":
                text = f"Skipped for today — now: {step.title} · {holder} has the floor"
                if cell_len(text) > self.size.width - 2:
                    text = f"Skipped for today — {holder} has the floor"
            elif kind == "floor-passed":
                text = f"The floor passes — now: {step.title} · {holder} has the floor"
                if cell_len(text) > self.size.width - 2:  # the pane names the step; the banner names the holder
                    text = f"The floor passes — {holder} has the floor"
            elif step.added == "more" and state.floor_up:  # the floor time is used: the speaker decides, not the clock
                text = f"They got it — {holder}, pass the floor, or a minute more?"
                if cell_len(text) > self.size.width - 2:
                    text = f"{holder}: pass the floor, or a minute more?"
            elif step.added == "more":
                text = f"They got it — {holder}, is there more?"
            elif step.is_confirm and step.phase.ask:  # each of you reads the check in your own words: the banner
                asker = state.side(other(state.floor)).name
                text = f"Turn ended — {asker} asks “{step.phase.ask}” · {holder} answers"
                if cell_len(text) > self.size.width - 2:
                    text = f"{asker} asks “{step.phase.ask}”"
            else:
                text = f"Turn ended — now: {step.title} · {holder} has the floor"
                if cell_len(text) > self.size.width - 2:
                    text = f"Turn ended — {holder} has the floor"
        elif state.transition.ended_by == "not-solvable":
            text = "Not solvable today — that's allowed. You can come back to it."
        elif kind == "floor-ended" or state.stage is Stage.CHECKOUT:
            text = "The last turn has ended — thank you both."
        else:
            text = "The session has ended."
        self._cue = (text, self._now() + 4)

    def _put(self, selector: str, value) -> None:
        """Update a Static only when its content changed: most redraws then cost nothing."""
        old = self._shown.get(selector)
        if old != value:
            self._shown[selector] = value
            update_text(self.query_one(selector, Static), old, value)

    def watch_state(self, state: State | None) -> None:
        if state is None:
            return
        seconds, self._seconds_later = state is self._seconds_later, None  # the last painted, but for its seconds
        key = self._paint_key(state, self._painted[0] if seconds and self._painted is not None else None)
        if key is not None and key == self._painted:  # a second of the turn: only the big clock (and bar) moved
            for pane in self._panes():
                pane.tick(state)
            return
        self._painted = None
        self._paint_top(state)
        if state.stage is Stage.FLOOR:
            self.query_one(ContentSwitcher).current = "floor"
            if not self._floor_ready:
                self._build_floor()  # keys came faster than the first frame: shown once it is built
                return
            for side in SIDES:
                self.query_one(f"#pane-{side}", _pane()).show(state, self._nudge(side))
        else:
            self.query_one(ContentSwitcher).current = "stage"
            self._paint_stage(state)
        self._paint_keys(state)
        self._painted = key

    def _paint_key(self, state: State, timeless_part: dict | None = None) -> tuple | None:
        """All the floor is painted from but the turn's seconds (None off the floor, or when a pane counts the
        seconds in words): while it stays the same, a second's redraw is the big clock and the bar alone.
        `timeless_part`: the engine's part, already known to be the same as it was (the last key's)."""
        if state.stage is not Stage.FLOOR or not self._floor_ready:
            return None
        panes = self._panes()
        if any(pane.counts_itself for pane in panes):
            return None
        now, config = self._now(), self.app.config
        nudges = tuple(text if now < until else ""  # as `_nudge` says them, the clock read once
                       for text, until in (self._nudges.get(side, ("", 0.0)) for side in SIDES))
        return (timeless(state) if timeless_part is None else timeless_part, self._cue[0] if now < self._cue[1] else "",
                nudges, tuple(str(text) for text, until in self._notices if now < until), self.size,
                tuple(pane.you for pane in panes), keys.current(), ascii_mode(),
                getattr(config, "quiet_clock", False), getattr(config, "warnings", True))

    def _panes(self) -> tuple[PartnerPane, ...]:
        """The partners' panes, left and right (found once they are built)."""
        if self._pane_pair is None:
            self._pane_pair = tuple(self.query_one(f"#pane-{side}", _pane()) for side in SIDES)
        return self._pane_pair

    def _build_floor(self) -> None:
        """Mount the partners' panes (once), then paint them.

        Run just after the first frame: by then the screen may be gone (the app quitting, the screen left), and
        there is no floor to build on: nothing to do."""
        if not self.is_attached or self._pruning or not self.query("#floor"):
            return
        if self._floor_later:
            self._floor_later = False
            mounted = self.query_one("#floor").mount(_pane()(LEFT), _pane()(RIGHT))

            async def ready() -> None:
                await mounted
                if not self.is_attached or self._pruning:
                    return  # taken down while the panes went in
                self._floor_ready = True
                self.refresh_state()

            self.call_later(ready)

    def _nudge(self, side: str) -> str:
        text, until = self._nudges.get(side, ("", 0.0))
        return text if self._now() < until else ""

    def _paint_top(self, state: State) -> None:
        rounds = (state.round, state.rounds) if state.stage is Stage.FLOOR else None
        # the question has no clock: time together begins with "now"; by the minute (the turn's clock moves)
        together = minutes_spent(state.elapsed) if state.stage is not Stage.GOOD_TIME else ""
        right = self._top_right(state.ritual_name, state.topic, rounds, together, self.size.width)
        self._put("#top-right", right)
        self._put("#top", self._top_line(state.ritual_name, state.topic, self.size.width - cell_len(right) - 4))
        cue, until = self._cue
        banner = self.query_one("#banner", Static)
        if state.repair:  # said on both panes too; here for the rules and check-ins, which have no panes
            text = Text(f"⏸  “{repair_words(state.repair)}” — the clock waits.")
            carry_on = f" {keys.current().first('pause')} when you are both ready."
            if len(text) + len(carry_on) <= self.size.width - 2:
                text.append(carry_on)
        elif state.repair_list and state.pause_kind == "pause":
            text = "⏸  The clock waits while you choose."
        elif state.pause_kind == "pause" and state.unanswered:  # a question waited twice: nobody's fault
            text = f"⏸  No answer yet, and that's all right. Press {keys.current().first('pause')} when you are both ready."
        elif state.pause_kind == "pause" and state.stage is not Stage.FLOOR:
            text = self._pause_without_clock(state)
        elif state.pause_kind == "pause":
            text = f"⏸  Paused — the turn clock has stopped. Press {keys.current().first('pause')} when you are both ready."
        elif cue and self._now() < until:
            text = cue  # no emoji: a terminal font without it shows an empty box
        else:
            text = self._kept_floor_line(state)  # PREP's saying-back: in the banner as long as it lasts
        self._put("#banner", text)
        banner.set_class(bool(text), "-shown")
        self._paint_notices()

    def _pause_without_clock(self, state: State) -> str:
        """Paused on a step with no clock (is now a good time, the rules, a check-in or check-out): the done keys
        work as ever, so the words say so, and what the pause does: the first turn waits for it to be lifted."""
        key = keys.current().first("pause")
        if state.stage is Stage.CHECKOUT:  # no turn follows
            said = (f"⏸  Paused, though no clock runs on this step: your keys still work here. Press {key} to lift it.",
                    f"⏸  Paused. No clock runs here: your keys work. Press {key} to lift it.")
        else:
            said = ("⏸  Paused, though no clock runs on this step: your keys still work here. "
                    f"The first turn will wait until you press {key}.",
                    f"⏸  Paused. No clock runs here: your keys work. The first turn waits for {key}.")
        return next((text for text in said if Text(text).cell_len <= self.size.width - 2), said[-1])

    def _kept_floor_line(self, state: State) -> str:
        """While the listener says back on the speaker's floor (PREP): whose floor it is, and who says it back,
        in the words of the cue that began it ("" at any other moment)."""
        step = state.step
        if state.stage is not Stage.FLOOR or step is None or step.together or state.floor_owner in (None, state.floor):
            return ""
        owner, holder = state.side(state.floor_owner).name, state.side(state.floor).name
        text = f"{owner} has the floor — {holder} is saying back what they heard"
        return text if Text(text).cell_len <= self.size.width - 2 else f"{owner} has the floor — {holder} is saying it back"

    # ----- the app's notices --------------------------------------------

    def notice(self, message: str, title: str = "", severity: str = "information", timeout: float = 5.0) -> None:
        """A notice from the app (a damaged settings file, a key's answer), in a row of its own above the panes.

        A toast would sit over the bottom right: the right partner's pane and keys.
        """
        text = Text()
        if title:
            text.append(f"{'⚠ ' if severity != 'information' else ''}{title}", style="bold")
            text.append(" — " if message else "")
        text.append(message)
        self._notices.append((text, self._now() + timeout))
        if self.is_mounted:
            self.refresh_state()

    def _paint_notices(self) -> None:
        now = self._now()
        self._notices = [(text, until) for text, until in self._notices if now < until]
        shown = Text("\n").join(text for text, _ in self._notices)
        self._put("#notice", shown)
        self.query_one("#notice", Static).set_class(bool(self._notices), "-shown")

    @staticmethod
    def _top_right(ritual: str, topic: str, rounds: tuple[int, int] | None, together: str, width: int) -> str:
        """The round and the time together, in as few words as the topic needs to be read whole: at 80 columns
        in the first minute, "round 1 of 2 · under a minute together" cut a topic of 33 letters."""
        times = [f"{together} together", together] if together else [""]
        rounds_said = [f"round {rounds[0]} of {rounds[1]}", f"round {rounds[0]}/{rounds[1]}",
                       f"{rounds[0]}/{rounds[1]}"] if rounds else [""]
        lines = [" · ".join(w for w in (r, t) if w) for r in rounds_said for t in times]  # longest first
        lines = sorted(dict.fromkeys(lines), key=cell_len, reverse=True)
        whole = cell_len(f"{ritual} · “{topic}”") if topic else cell_len(ritual)  # cells: 我 and 💞 take two
        return next((line for line in lines if whole <= width - cell_len(line) - 4), lines[-1])

    @staticmethod
    def _top_line(ritual: str, topic: str, room: int) -> str:
        """The ritual always; the topic gives way first, with an ellipsis, so the line stays whole (in cells)."""
        if not topic or cell_len(ritual) + 7 > room:
            return ritual
        return f"{ritual} · “{cut(topic, room - cell_len(ritual) - 5, rstrip=True)}”"

    def _paint_stage(self, state: State) -> None:
        first = state.first
        first_name = state.side(first).name
        if state.stage is Stage.GOOD_TIME:
            asked = state.side(state.asked).name
            text = Text()
            text.append("Before we begin: is now a good time?\n", style="bold")
            text.append(f"{state.side(other(state.asked)).name} asks: “{state.good_time}”\n\n")
            text.append(f"{asked}, the answer is yours: now, or later, within a day. Either is fine; nothing has"
                        " been said yet.", style="italic")
            self._put("#stage-body", text)
        elif state.stage is Stage.RULES:
            text = Text()
            text.append("Before we begin: our ground rules\n", style="bold")
            for rule in state.ground_rules:
                text.append(f"  •  {rule}\n")
            text.append("Each of you: press your done key to agree. We start when you both have.", style="italic")
            self._put("#stage-body", text)
        elif state.stage in (Stage.CHECKIN, Stage.CHECKOUT):
            before = state.stage is Stage.CHECKIN
            text = Text()
            text.append("How do you feel right now?\n" if before else "How do you feel now, after talking?\n",
                        style="bold")
            if not state.checkin_revealed:
                text.append("Each of you presses a number on your own side. Your answers stay sealed until you have"
                            " both answered.")
            else:
                text.append("You have both answered — here you are, side by side.", style="bold")
            current = keys.current()
            safety = f"{current.first('session.safety')}: is this right for us?"
            if state.gentle_offer:  # something gentler, a break, or stopping: no reason needed
                text.append("\n\nA hard day for one of you, and that is all right. ")
                if state.gentler:
                    text.append(f"{current.first('session.gentler')}: {self._ritual_name(state.gentler)} instead · ")
                text.append(f"{current.first('time-out')}: a break · {current.first('end')}: stop for today, "
                            f"no reason needed · {safety}")
            elif state.low_after:  # a gentle word, never who
                text.append("\n\nIt was hard for one of you today, and you stayed with it. Be gentle with each other"
                            " tonight; if this keeps happening, a counsellor can help. " + safety)
            self._put("#stage-body", text)
        else:
            self._put("#stage-body", "The session has ended.")
        for side in SIDES:
            self._put(f"#stage-{side}", self._stage_side(state, side, first, first_name))

    def _ritual_name(self, ritual_id: str) -> str:
        ritual = self.app.rituals.get(ritual_id)
        name = ritual.name if ritual else ritual_id.replace("-", " ")
        return name[:1].lower() + name[1:] if name[:1].isupper() and not name[1:2].isupper() else name

    def _stage_side(self, state: State, side: str, first: str, first_name: str) -> Text:
        me = state.side(side)
        done, note = key(side, "done"), key(side, "note")
        text = Text()
        text.append(f"{me.name}\n", style="bold")
        if state.stage is Stage.GOOD_TIME:
            if side == state.asked:
                text.append(f"press {done}: now\npress {key(side, 'not_quite')}: later, within a day\n")
            else:
                text.append(f"{state.side(state.asked).name} answers this one\n", style="italic")
        elif state.stage is Stage.RULES:
            if me.agreed:
                text.append("✓ agreed\n")
            else:
                text.append(f"press {done} to agree\n")
        elif state.stage in (Stage.CHECKIN, Stage.CHECKOUT):
            if state.checkin_revealed:
                text.append(f"feels {me.mood} · {MOODS[me.mood]}\n", style="bold")
                if me.feeling:
                    text.append(f"“{me.feeling}”\n")
                if me.ready:
                    text.append("\n✓ ready — waiting for the other\n")
                else:
                    text.append(f"\npress {done} when you are ready to {'begin' if state.stage is Stage.CHECKIN else 'finish'}\n")
            elif me.checked_in:
                text.append("✓ answered — sealed\n")
                text.append("waiting for the other answer\n", style="italic")
            else:
                for n, word in MOODS.items():
                    text.append(f"  {mood_key(side, n)}  {word}\n")
                text.append(f"● chosen — {done} to seal it" if me.chosen else f"pick a number, then {done} to seal it")
                word = "word added" if me.has_word else f"{note}: add a word (optional)"
                text.append(f"\n{word}\n", style="italic")
        if me.note == "i-statement":
            if first == side:
                text.append("\nYou speak first. ", style="bold")
            else:
                text.append("\n")
            if me.i_statement:
                text.append("Your words: ")
                text.append(f"“{me.i_statement}”\n")
            verb = "change your" if me.i_statement else "prepare an"
            text.append(f"{note}: {verb} I-statement (optional)\n", style="italic")
        text.rstrip()  # a last empty line would take a row the box needs
        return text

    def _paint_keys(self, state: State) -> None:
        """Both partners' keys for this moment, each on their own side, in the engine's meaning."""
        if self._help_over():  # help has the keyboard: the bars beneath offer only what reaches the session
            for side in SIDES:
                self._put(f"#keys-{side}", fitted_name(state.side(side).name, max(self.size.width // 2 - 2, 4),
                                                       state.side(other(side)).name))
            held = "help" in self.app.holds and state.pause_kind == "pause"
            self._put("#keys-shared", keys.help_open_hint(held, paused=state.pause_kind == "pause"))
            return
        for side in SIDES:
            self._put(f"#keys-{side}", self._keys_line(state, side))
        self._put("#keys-shared", keys.shared_hint(repair=self.REPAIR_AT_HAND, paused=state.pause_kind == "pause"))

    def repaint_keys(self) -> None:
        """Help opened or closed, or the pause changed hands under it: the bars beneath say so (not a tick's)."""
        self._painted = None
        self.refresh_state()

    def _help_over(self) -> bool:
        """Help is open over this session (apart's too). The dialogs are read when help is first opened: until
        then no help can be open, and a paint does not read them."""
        dialogs = sys.modules.get(f"{__package__}.dialogs")
        stack = self.app.screen_stack
        return (dialogs is not None and self in stack
                and any(isinstance(s, dialogs.HelpScreen) for s in stack[stack.index(self) + 1:]))

    def _keys_line(self, state: State, side: str, keyed: bool = True) -> str:
        """One partner's half of the key bar; without `keyed`, only what they are at (their keys are elsewhere)."""
        me = state.side(side)
        parts = []
        if state.stage is Stage.FLOOR and state.pause_kind == "pause":  # paused: the floor keys wait until then
            parts.append(f"{keys.current().first('pause')} carry on")
        elif me.done_means == "got-it":
            parts.append(keyed and f"{key(side, 'done')} {short_yes(state.step.phase.yes)}")
        elif me.done_means:
            parts.append(keyed and f"{key(side, 'done')} {DONE_WORDS[me.done_means]}")
        elif state.stage is Stage.RULES:
            parts.append("✓ agreed")
        elif state.stage in (Stage.CHECKIN, Stage.CHECKOUT):
            parts.append("✓ ready" if me.ready else "✓ sealed" if me.checked_in else "pick a number")
        if me.not_quite_means and keyed:
            parts.append(f"{key(side, 'not_quite')} {NOT_QUITE_WORDS[me.not_quite_means]}")
        if me.note and keyed:  # beside "not today" (the compromise), "write" keeps the bar whole at 80 columns
            parts.append(f"{key(side, 'note')} {'write' if me.not_quite_means == 'not-solvable' else NOTE_WORDS[me.note]}")
        hint = " · ".join(p for p in parts if p)
        room = self.size.width // 2 - 2 - (Text(hint).cell_len + 2 if hint else 0)  # half the bar, less its padding
        name = fitted_name(me.name, max(room, 4), state.side(other(side)).name)  # keys first
        return f"{name}: {hint}" if hint else name

    # ----- partner keys -------------------------------------------------

    def action_done(self, side: str) -> None:
        before = self.engine.state()
        outcome = self.engine.press(side, Action.DONE)
        if outcome.result is Result.BLOCKED and before.floor:
            holder = before.side(before.floor).name
            now = "is still speaking" if before.time_left > 0 else "is wrapping up"
            then = "your turn will come"
            if before.step is not None and before.step.added in ("confirm", "more"):
                now = "is answering"  # a question is the speaker's to answer: nobody is speaking on
            elif before.floor_owner == side:  # your own floor, being said back to you (PREP)
                now, then = "is still saying it back", "you'll answer next"
            self._nudges[side] = (  # no time here: it would go stale while the nudge shows
                f"{holder} {now}. Breathe; {then}.\n"
                f"A topic for another day? {key(side, 'note')} parks it in a few words.",
                self._now() + self.app.config.nudge_seconds,
            )
        self.refresh_state()

    def action_not_quite(self, side: str) -> None:
        self.engine.press(side, Action.NOT_QUITE)
        self.refresh_state()

    def action_mood(self, side: str, mood: int) -> None:
        if self.engine.stage is Stage.FLOOR:  # on the floor, the first numbers choose a request as a gift (Imago)
            if self.engine.state().side(side).choose:
                self.engine.choose(side, mood)
                self.refresh_state()
            return
        self.engine.check_in(side, mood, seal=False)  # a choice: the done key seals it
        self.refresh_state()

    def action_note(self, side: str) -> None:
        from .dialogs import IStatementScreen, NoteScreen  # the dialogs are read when first opened, not at start

        me = self.engine.state().side(side)
        name = me.name
        kept = note_words(self.keep_now(), me.note) if self.saver is not None else ""  # is it written to the file?
        if me.note == "feeling":
            self.app.push_screen(NoteScreen(side, f"{name} — a word for how you feel (sealed)", masked=True,
                                            kept=kept),
                                 lambda text: self._set_word(side, text))
        elif me.note == "i-statement":
            self.app.push_screen(IStatementScreen(side, name, kept), lambda text: self._set_i_statement(side, text))
        elif me.note:
            kind = me.note
            self.engine.writing(side, True)  # the engine's rule: the clock waits while either partner writes
            self.refresh_state()
            self.app.push_screen(NoteScreen(side, NOTE_TITLES[kind].format(name=name), hint=NOTE_HINTS.get(kind, ""),
                                            longest=NOTE_LONGEST.get(kind, 500), kept=kept),
                                 lambda text: self._add_note(side, text, kind))

    def _set_word(self, side: str, text: str | None) -> None:
        if text:
            self.engine.check_in(side, None, text, seal=False)
        self.refresh_state()

    def _set_i_statement(self, side: str, text: str | None) -> None:
        if text:
            self.engine.set_i_statement(side, text)
        self.refresh_state()

    def _add_note(self, side: str, text: str | None, kind: str) -> None:
        self.engine.writing(side, False)
        if text and self.engine.add_note(side, text, kind).accepted:
            self._nudges[side] = ("✓ Noted — it will be in the summary.", self._now() + self.app.config.nudge_seconds)
        self.refresh_state()

    # ----- shared keys --------------------------------------------------

    def action_pause(self) -> None:
        self.engine.toggle_pause()
        self.refresh_state()

    def action_time_out(self) -> None:
        self.engine.time_out()
        self.refresh_state()

    def action_repair(self) -> None:
        """Either of you: the list of repair phrases; the clock waits while it is open and while a phrase shows."""
        if not self.engine.open_repair().accepted:
            return
        self.refresh_state()

        def chosen(code: str | None) -> None:
            self.engine.repair(code)  # none: the list's own pause ends; "flooded" is the time-out (the engine's rule)
            self.refresh_state()

        self.post_message(Go("repair", then=chosen))

    def action_park(self) -> None:
        """Either of you: the stress turned out to be about the two of you. Keep it for the next state of the
        union, with a few words or none; the talk goes on (the clock waits while the box is open)."""
        state = self.engine.state()
        if not (self.PARK_AT_HAND and state.park and state.floor):
            return
        side = self._park_side(state)
        self.engine.writing(side, True)
        self.refresh_state()

        def kept(text: str | None) -> None:
            self.engine.writing(side, False)
            if text is not None and self.engine.park(text).accepted:
                self._parked()
            self.refresh_state()

        from .dialogs import ParkScreen

        self.app.push_screen(ParkScreen(side, note_words(self.keep_now(), "parked") if self.saver is not None else ""),
                             kept)

    def _parked(self) -> None:
        until = self._now() + self.app.config.nudge_seconds
        for each in SIDES:
            self._nudges[each] = ("✓ Kept for your next state of the union. The talk goes on.", until)

    def _park_side(self, state: State) -> str:
        """The box opens on the side of the one holding the floor; either of you may type."""
        return state.floor

    def _open_time_out(self) -> None:
        from .dialogs import HelpScreen

        self._timeout_open = True
        # Help (or the safety page opened from it) closes: help opens again over the time-out, and a time-out
        # taken back leaves nothing open underneath (issue 17)
        while (isinstance(self.app.screen, HelpScreen)
               or type(self.app.screen).__name__ in ("SafetyScreen", "RepairScreen")) \
                and self.app.screen is not self:
            self.app.pop_screen()

        def closed(_: object) -> None:
            self._timeout_open = False
            self.refresh_state()

        self.post_message(Go("timeout", self.engine, then=closed))

    def action_safety(self) -> None:
        self.post_message(Go("safety"))

    def action_gentler(self) -> None:
        """After a low check-in: this session stops before it began, and the gentler ritual starts in its place."""
        from .dialogs import ConfirmScreen

        state = self.engine.state()
        if not state.gentler:
            return
        name = self._ritual_name(state.gentler)

        def answer(yes: bool | None) -> None:
            if yes and self.engine.state().gentler == state.gentler:
                from dataclasses import replace

                self._switch_to = replace(self.plan, protocol=state.gentler, speak=None, reflect=None, rounds=None,
                                          confirm=None, topic="", topic_deck="")
                self.engine.end_early()
            self.refresh_state()

        article = "An" if name[:1].lower() in "aeiou" else "A"
        self.app.push_screen(
            ConfirmScreen(f"{article} {name} instead?", "This one stops here, before it began.", yes="Change", no="Stay"),
            answer,
        )

    def action_end(self) -> None:
        from .dialogs import NOTHING_SAID, ConfirmScreen

        if self.engine.state().stage is Stage.ENDED:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.engine.end_early()
            self.refresh_state()

        if self.engine.state().stage is Stage.GOOD_TIME:  # nothing was said yet: ending here is "later"
            self.ask(ConfirmScreen("End here, before you begin?", NOTHING_SAID, yes="End", no="Carry on"), answer)
            return
        keep = self.keep_now()
        self.ask(
            ConfirmScreen("End the session now?", ending_words(keep, summary=True),
                          yes="End" if keep == "nothing" else "End and save", no="Carry on"),
            answer,
        )

    def ask(self, screen, answer) -> None:
        """The end or quit question over the session: the engine holds the turn's clock until it is answered."""
        self.question_open(True)

        def answered(value) -> None:
            self.question_open(False)
            answer(value)

        self.app.push_screen(screen, answered)

    def question_open(self, on: bool) -> None:
        if self.engine is not None and self.engine.stage is not Stage.ENDED:
            self.engine.asking(on)  # the engine's rule: the clock waits while the couple reads the question
            self.refresh_state()

    def keep_now(self) -> str:
        """What ending now keeps (the couple's choice, README "What is kept"); "" where another side decides."""
        return self.saver.keep_now() if self.saver is not None else ""

    def action_help(self) -> None:
        from .dialogs import HelpScreen

        state = self.engine.state()
        self.app.push_screen(HelpScreen(self.app.rituals.get(self.plan.protocol), state.left.name, state.right.name))

    # ----- saving -------------------------------------------------------

    def save_now(self, early: bool = False) -> Path | None:
        """Write the record once; a session closed mid-way is saved as ended early."""
        if self.engine is None or self.saved_path is not None:
            return self.saved_path
        if early and self.engine.state().pause_kind == "time-out" and self.saver.journal_kept:
            return None  # a time-out is a break, not an ending: its journal stays, and the next start offers it
        if early and self.engine.state().stage is not Stage.ENDED:
            self.engine.end_early()  # while "Is now a good time?" is asked, this is "later": nothing is kept
        if self.engine.later and not self.saver.kept_nothing:
            self.saver.keep_nothing(forget_names=False)  # nothing was said: no record, no journal (names stay)
        self.saved_path = self.saver.save()  # the journal goes only once the record is written
        self.save_error = self.saver.error
        return self.saved_path

    def _finish(self) -> None:
        self._summary_shown = True
        later = self.engine.later  # "later, within a day": nothing was said, so nothing is kept (names stay)
        path = self.save_now()
        while self.app.screen is not self:  # a note or help left open when the last turn ran out
            self.app.pop_screen()
        if later:
            self.post_message(Go("later", switch=True))
            return
        if self._switch_to is not None:  # a gentler talk instead: straight into it, no summary of nothing
            self.post_message(Go("session", self._switch_to, switch=True))
            return
        self.post_message(Go("summary", self.engine.record(), path, self.save_error, saver=self.saver, switch=True))

    def on_unmount(self) -> None:
        if self._alarm is not None:
            self._alarm.stop()  # a manual clock would otherwise ring a screen that is gone
            self._alarm = None
        self.save_now(early=True)
        if not self._summary_shown and self.saver is not None:
            self.saver.close()  # unsaved, the journal stays for the next start to offer

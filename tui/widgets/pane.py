"""One partner's half of the live screen.

It renders what the engine says about its partner and nothing more: who they
are, their role in words, the countdown when they hold the floor, their
guidance, and a gentle nudge when a key of theirs was blocked.
"""

from __future__ import annotations

import math

from rich.align import Align
from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Digits, Label, ProgressBar, Static

from heartline.sessions.durations import EPSILON, format_duration, whole_seconds
from heartline.sessions.engine import State
from heartline.sessions.engine import other as other_side

from .. import keys
from ..glyphs import ascii_mode, shown
from ..keys import key, mood_key
from .panetext import REPAIR_WORDS, repair_words, same_shape, timeless, update_text  # noqa: F401 (as before)


# Words for the engine's activity codes: the engine says what is happening, the pane says it kindly.
ACTIVITY_WORDS = {
    "speaking": "Has the floor",
    "reflecting": "Reflecting back",
    "confirming": "Did they get it?",
    "deciding": "Is there more?",
    "floor-up": "Pass, or a minute more?",
    "heard": "Your floor · being heard",
    "clarifying": "Saying it again",
    "agreeing": "Together",
    "listening": "Listening",
    "alongside": "On their side · you may speak",
    "waiting": "Waiting for an answer",
    "finished": "Finished",
}

# What a paused role keeps when the whole does not fit: a floor being said back is still being heard (its
# first words alone, "Your floor", would read as if this one were to speak). Others keep their first words.
PAUSED_WORDS = {"heard": "being heard"}


# What a partner wrote at the compromise, on their own pane (the two stand side by side).
WRITTEN_WORDS = {"core-need": "• can't give up: ", "flexible": "• can bend: "}


def clock_text(seconds: float) -> str:
    return format_duration(max(0.0, seconds))


def length_words(seconds: float) -> str:
    """A length in words that stand still beside the moving clock: "7 s", "2 min", "1 min 30 s" (rounded up,
    as the clock counts)."""
    total = math.ceil(max(0.0, seconds) - EPSILON)
    minutes, secs = divmod(total, 60)
    if not minutes:
        return f"{secs} s"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


# A 3×5 pixel font for the clock when a pane has room to spare (a large window): each pixel is drawn
# `scale` rows high and twice as many cells wide, so it looks square.
PIXELS = {
    "0": ("###", "#.#", "#.#", "#.#", "###"), "1": ("##.", ".#.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"), "3": ("###", "..#", "###", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"), "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"), "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"), "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
}


def big_lines(value: str, scale: int) -> list[str]:
    """`value` ("12:05") in the pixel font at `scale`; [] when a character has no pixels."""
    if not value or scale < 1 or any(c not in PIXELS for c in value):
        return []
    block = "█" if not ascii_mode() else "#"
    rows = []
    for y in range(5):
        row = (" " * 2 * scale).join("".join((block if px == "#" else " ") * 2 * scale for px in PIXELS[c][y]) for c in value)
        rows += [row] * scale
    return rows


class BigClock(Digits):
    """The turn's clock: Textual's three-row digits, or larger pixel digits when the pane has room (`scale`)."""

    scale = 0  # 0: Textual's digits; 1, 2, 3: the pixel font, each pixel that many rows high

    def set_scale(self, scale: int) -> None:
        if scale != self.scale:
            self.scale = scale
            self.refresh(layout=True)

    def render(self):
        lines = big_lines(self.value, self.scale)
        if not lines:
            return super().render()
        return Align(Text("\n".join(lines), style=self.rich_style, no_wrap=True, overflow="crop"), "center")

    def get_content_width(self, container, viewport) -> int:
        lines = big_lines(self.value, self.scale)
        return len(lines[0]) if lines else super().get_content_width(container, viewport)

    def get_content_height(self, container, viewport, width: int) -> int:
        lines = big_lines(self.value, self.scale)
        return len(lines) if lines else 3


class TurnBar(ProgressBar):
    """The turn's bar, moved by the screen's redraws alone.

    Textual's ProgressBar also updates itself every second on a timer of its
    own (for an estimate this bar never shows): one more wake-up and frame a
    second in each pane, hidden or not.
    """

    _bar: Widget | None = None  # Textual's bar inside, found once

    def on_mount(self, event) -> None:
        event.prevent_default()  # no ProgressBar.on_mount: its once-a-second timer
        self.update()

    def move(self, total: float, progress: float) -> None:
        """The turn's seconds so far; the bar is drawn again only when a half cell of it changes.

        A long turn's bar moves a half cell every half minute or so: until then
        the figure is kept (`progress` stays the engine's) and nothing is repainted.
        """
        if self._bar is None:
            self._bar = self.query_one("Bar")
        cells = self._bar.size.width * 2  # the bar inside draws in half cells (none while hidden)

        def drawn(of: float | None, done: float) -> int:
            return int(max(0.0, min(1.0, done / of)) * cells) if of else -1

        if cells and total == self.total and drawn(total, progress) == drawn(self.total, self.progress):
            self.set_reactive(ProgressBar.progress, progress)
            return
        self.update(total=total, progress=progress)


class PartnerPane(Vertical):
    """A partner's pane; the screen calls `show()` with each new engine state."""

    HIDE_WHEN_EMPTY = ("repair", "timeline", "istatement", "guidance", "requests", "nudge")

    def __init__(self, side: str, **kwargs) -> None:
        super().__init__(id=f"pane-{side}", classes=f"pane -{side}", **kwargs)
        self.side = side
        self._last: dict[str, object] = {}
        self._state: State | None = None  # the last shown, for the time line when the big digits come or go
        self._reshaped = False  # whether this show() changed what takes room
        self.you = False  # this machine's own partner, in a session apart: "· you" after the name
        self.elsewhere = False  # the other partner, in a session apart: their keys are on their own machine

    def compose(self) -> ComposeResult:
        yield Label(id="who", classes="who", markup=False)
        yield Label(id="role", classes="role", markup=False)
        yield Label(id="phase", classes="phase", markup=False)
        yield Static(id="repair", classes="repair", markup=False)  # a repair phrase, on both panes while it holds
        yield BigClock(id="clock", classes="clock")
        yield TurnBar(id="bar", show_eta=False, show_percentage=False, total=100)
        yield Static(id="timeline", classes="timeline", markup=False)
        yield Static(id="istatement", classes="istatement", markup=False)
        yield Static(id="guidance", classes="guidance", markup=False)
        yield Static(id="requests", classes="requests", markup=False)  # Imago: the requests, and the gift chosen
        yield Static(id="nudge", classes="nudge", markup=False)

    def _set(self, widget_id: str, value) -> None:
        """Update a child only when its content changed: redraws stay cheap."""
        old = self._last.get(widget_id)
        if old == value:
            return
        self._last[widget_id] = value
        widget = self.query_one(f"#{widget_id}")
        update_text(widget, old, value)
        if not same_shape(shown(old), shown(value)):
            self._reshaped = True  # the words may need other room: fit them again
        if widget_id in self.HIDE_WHEN_EMPTY:
            widget.display = bool(str(value).strip())  # an empty line would take room a hint needs

    def show(self, state: State, nudge: str = "") -> None:
        me = state.side(self.side)
        step = state.step
        holds = me.holds_floor
        before = set(self.classes)
        self.set_class(holds, "-floor", update=False)  # styles once below: each update restyles the whole pane
        self.set_class(not holds, "-waiting", update=False)
        self.set_class(getattr(self.app.config, "quiet_clock", False), "-quiet", update=False)  # a calm bar
        self.set_class(state.paused, "-paused", update=False)
        asking = bool(step and step.added in ("confirm", "more"))  # a yes-or-no: never hurried
        self.set_class(state.in_grace and holds and not asking, "-grace", update=False)
        self.set_class(bool(state.repair), "-repair", update=False)  # the phrase takes the big clock's place
        self._reshaped = set(self.classes) != before
        if self._reshaped:
            self.update_node_styles()
        self._set("who", Text(f"{me.name} · you" if self.you else me.name, style="bold"))
        words = ACTIVITY_WORDS.get(me.activity, "")
        if me.activity == "confirming" and step is not None:
            words = step.title  # the question this check asks the speaker: "Did they get it all?"
        elif me.activity == "waiting" and step is not None and step.phase.ask:
            words = f"“{step.phase.ask}”"  # the listener's own question: "Did I get it all?"
        elif me.activity == "clarifying" and step is not None and step.phase.clarify:
            words = step.phase.clarify[:1].upper() + step.phase.clarify[1:]  # "Naming the feeling", as the pane asks
        kept_by_other = bool(step and not step.together and state.floor_owner not in (None, self.side))
        role = f"▶ {words} ◀" if (holds and not kept_by_other) or me.keeps_floor else words  # the floor's, not the talk's
        if state.paused:
            role = self._paused_role(role, words, PAUSED_WORDS.get(me.activity, ""))
        self._set("role", role)
        title = step.title if step else ""
        if step and step.is_confirm and step.phase.ask and not holds:
            title = step.phase.ask  # the one who asked reads their own question, not the one put to the other
        phase = title
        if step and step.part and step.part.casefold().rstrip("s") not in title.casefold():
            phase = f"{title} · {step.part}"
        self._set("phase", phase)
        self._set("repair", Text(f"“{repair_words(state.repair)}”", style="bold") if state.repair else "")
        self._clock(state)
        self._state = state
        self._set("timeline", self._timeline(state))
        written = [f"{WRITTEN_WORDS.get(kind, '')}{' '.join(text.split())}" for kind, text in me.written]
        self._set("guidance", "" if state.repair else "\n".join((*me.guidance, *written)))  # a repair holds: just it
        self._set("istatement", Text(f"Your words: “{me.i_statement}”") if me.show_i_statement else "")
        self._set("requests", "" if state.repair else self._requests(state, me.choose))
        if step and not nudge and (holds or step.together) and not state.repair and self.elsewhere:
            if me.not_solvable_now:  # only what they are at: the letters here are this machine's partner's keys
                nudge = "✓ said: not solvable today"
            elif me.agreed_now:
                nudge = "✓ agreed — waiting for the other"
        elif step and not nudge and (holds or step.together) and not state.repair:
            done, not_quite = key(self.side, "done"), key(self.side, "not_quite")
            if me.done_means == "got-it":  # each check its own answers: "yes, that makes sense"
                nudge = f"{done}: {step.phase.yes} · {not_quite}: {step.phase.not_quite}"
            elif me.done_means == "pass-floor":
                nudge = f"{done}: pass the floor · {not_quite}: a minute more"
            elif me.done_means == "pass":
                nudge = f"{done}: that's all · {not_quite}: there's more"
            elif me.not_solvable_now:
                nudge = f"✓ you said: not solvable today — {done} if you'd rather agree after all"
            elif me.done_means == "agree" and me.not_quite_means == "not-solvable":
                nudge = (f"{key(self.side, 'note')}: write it down · {done}: I agree\n"
                         f"{not_quite}: not solvable today (both say it)")
            elif me.done_means == "agree" and me.note in ("core-need", "flexible"):
                nudge = f"{key(self.side, 'note')}: write it down · {done}: we're ready (you both say it)"
            elif me.done_means == "agree":
                nudge = f"{done}: I agree (you both say it)"
            elif me.agreed_now:
                nudge = "✓ you agreed — waiting for the other"
            elif me.note in ("appreciation", "commitment"):
                nudge = f"{key(self.side, 'note')}: write it down · {done}: done"
            elif me.note == "request":
                nudge = f"{key(self.side, 'note')}: write request {len(state.requests) + 1} of 3 · {done}: done"
            elif me.choose:
                numbers = " ".join(mood_key(self.side, n) for n in range(1, len(state.requests) + 1))
                nudge = f"{numbers}: choose one" + (f" · {done}: give it" if state.gift else "")
            elif me.not_quite_means == "skip":
                nudge = f"{done}: done · {not_quite}: skip it for today"
        if state.park and not nudge and not state.repair and not state.paused:
            nudge = f"{keys.current().first('park')}: about us? keep it for our state of the union"
        self._set("nudge", nudge)
        if self._reshaped:  # a countdown's second takes the room the last one did: nothing to fit
            self._fit()

    @property
    def counts_itself(self) -> bool:
        """Whether the holder's time line counts the seconds (no big digits: the quiet clock, or no room for them)."""
        return self.has_class("-quiet") or self.has_class("-compact")

    def _clock(self, state: State) -> None:
        """The one clock that moves each second: the turn's, then its grace (a question is never hurried); the bar."""
        if not state.side(self.side).holds_floor:
            return
        left = state.time_left
        asking = bool(state.step and state.step.added in ("confirm", "more"))
        self._set("clock", clock_text(state.grace_left if state.in_grace and not asking else left))
        spent = whole_seconds(min(state.planned, state.planned - max(0.0, left)))  # as next_change counts them
        if self._last.get("bar") != (state.planned, spent):
            self._last["bar"] = (state.planned, spent)
            self.query_one("#bar", TurnBar).move(max(1.0, state.planned), spent)

    def tick(self, state: State) -> None:
        """A second of the turn, when the screen knows nothing but the seconds moved: the big clock and the bar."""
        self._reshaped = False
        self._state = state
        self._clock(state)
        if self._reshaped:  # "10:00" → "9:59": the big digits may take other room
            self._fit()

    def _timeline(self, state: State) -> str:
        """Whose turn it is and what to do, in words that stand still: the big clock above is the one that moves.

        Only when the big digits are not shown (the quiet clock, or a pane too
        small for them) does the holder's line count the seconds itself.
        """
        me, step = state.side(self.side), state.step
        holds = me.holds_floor
        asking = bool(step and step.added in ("confirm", "more"))
        kept_by_other = bool(step and not step.together and state.floor_owner not in (None, self.side))
        left = state.time_left
        counted = holds and self.counts_itself

        def count(words: str) -> str:  # "0:12 left · words" when this pane has no big clock to read
            return f"{clock_text(left)} left · {words}" if counted else words[:1].upper() + words[1:]

        if state.repair:
            return f"The clock waits — {keys.current().first('pause')} when you are both ready to go on."
        if state.unanswered:
            return f"No answer yet, and that's all right — {keys.current().first('pause')} to carry on."
        if state.paused:
            return f"Paused — {keys.current().first('pause')} to carry on."
        if holds and state.writing and self.side in state.writers and not state.step.together:
            return count("your clock waits while you write")
        if state.writing and len(state.writers) == 1 and self.side not in state.writers:
            return f"{state.side(next(iter(state.writers))).name} is writing a note · the clock waits"
        if state.writing:
            return "A note is being written · the clock waits"
        if asking and holds and state.asked_again:  # the same question, asked once more, on a clock of its own
            return count("asked again")
        if asking and holds and state.in_grace:
            return "No hurry — answer when you are ready."
        # A question's clock runs beside these (the engine asks again when it runs out): no "no hurry" beside it.
        if asking and state.floor is not None and not holds and state.asked_again:
            return f"{state.side(state.floor).name} is asked again"
        if asking and state.floor is not None and not holds:
            return f"Waiting for {state.side(state.floor).name}'s answer"
        if holds and kept_by_other and not state.in_grace:
            owner = state.side(state.floor_owner).name
            return f"{clock_text(left)} left · {owner}'s floor" if counted else f"Saying it back, on {owner}'s floor"
        if me.keeps_floor and state.floor is not None:
            holder = state.side(state.floor).name
            return f"{holder} is saying it back" if not state.in_grace else f"{holder} is wrapping up"
        if holds and state.in_grace:  # the big clock now counts the grace: say so, as it jumps up again
            return f"Time — please wrap up  ({clock_text(state.grace_left)} to finish)" if counted \
                else "Time — please wrap up: the clock above is your time to finish"
        if holds and state.warning in ("30", "10") and getattr(self.app.config, "warnings", True):
            return "Under 10 seconds left — start to wrap up" if state.warning == "10" else "Under 30 seconds left"
        if holds and state.floor_left is not None and me.role == "speaker":  # one clock: the rest in words
            listener = state.side(other_side(self.side)).name
            more_after = state.floor_after  # floor time left once this turn's clock runs out
            if step is not None and step.added == "clarify":  # its own length: it may run past the floor time
                if more_after:
                    return count(f"then {listener} tries once more")
                return count(f"then {listener} tries once more; this may run past your floor time, and the floor "
                             "stays yours until you pass it")
            if more_after:  # a chunk: why the clock shows less than the speak time chosen
                share = (f"this part is {length_words(state.planned)} of the {length_words(state.floor_turn)} left of "
                         "your floor" if state.floor_turn is not None else "a part of your floor")
                return count(f"{share}. Then {listener} says it back, and you can go on")
            return count("the last of your floor")
        if holds:
            return f"{clock_text(left)} left" if counted else "Your turn — the clock above is yours"
        if state.floor is not None:
            holder = state.side(state.floor).name
            return f"{holder} has the floor" if not state.in_grace else f"{holder} is wrapping up"
        return ""

    def _requests(self, state: State, choosing: bool) -> Text | str:
        """The requests written on this floor, numbered (by the chooser's own keys on their pane), the gift marked.
        Their words are data: plain text, never markup."""
        if not state.requests:
            return ""
        text = Text()
        for n, words in enumerate(state.requests, 1):
            label = mood_key(self.side, n) if choosing else str(n)
            gift = n == state.gift
            text.append(f"{'✓' if gift else ' '} {label}  ", style="bold")
            text.append(words, style="bold" if gift else "")
            text.append("\n")
        text.rstrip()
        return text

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """When the words would not fit, the big digits give way first (the bar and the time line stay); then,
        beside a list of requests to choose from, the guidance (the list is what matters then)."""
        width, room = self.content_region.width, self.content_region.height
        if width <= 0 or room <= 0:
            return
        guidance = self.query_one("#guidance")
        guidance.display = bool(str(self._last.get("guidance", "")).strip())  # again, when there is room now
        needed = 0
        for widget_id in ("who", "role", "phase", "repair", "timeline", "istatement", "guidance", "requests", "nudge"):
            widget = self.query_one(f"#{widget_id}")
            if widget.display:
                margin = widget.styles.margin
                needed += widget.get_content_height(self.size, self.app.size, width) + margin.top + margin.bottom
        clock = self.query_one("#clock", BigClock)
        digits = 0
        if self.has_class("-floor"):
            needed += 1  # the bar
            if not self.has_class("-quiet") and not self.has_class("-repair"):
                clock.set_scale(self._clock_scale(room - needed, width, room, clock.value or "0:00"))
                digits = 3  # the big digits
        if self.query_one("#requests").display and guidance.display and needed > room:
            needed -= guidance.get_content_height(self.size, self.app.size, width)
            guidance.display = False
        compact = needed + digits > room
        if compact != self.has_class("-compact"):
            self.set_class(compact, "-compact")
            if self._state is not None:  # the big digits came or went: the holder's line counts, or stops counting
                self._set("timeline", self._timeline(self._state))

    @staticmethod
    def _clock_scale(spare: int, width: int, room: int, value: str) -> int:
        """How large the clock grows: by the pane's size (so it keeps its size from turn to turn), when it fits."""
        for scale, (wide, tall) in ((2, (70, 40)), (1, (52, 30))):  # a pane of a 200×50 window; of 120×36
            lines = big_lines(value, scale)
            if width >= wide and room >= tall and lines and len(lines) + 2 <= spare and len(lines[0]) + 2 <= width:
                return scale
        return 0

    def _paused_role(self, role: str, words: str, keep: str = "") -> str:
        """"⏸ Paused · " and the role, on one line of the pane: what follows a " · " in the role gives way first
        ("⏸ Paused · On their side"), or `keep` stands for it all ("⏸ Paused · being heard": a floor being said
        back is not one to speak on), then the word "Paused" (the banner and time line say it too)."""
        room = self.screen.size.width // 2 - 4  # the pane's half of the screen, less its border and padding
        short = keep or (role.replace(words, words.split(" · ")[0]) if words else role)
        for line in (f"⏸ Paused · {role}", f"⏸ Paused · {short}", f"⏸ {role}"):
            if cell_len(shown(line)) <= room:
                return line
        return f"⏸ {short}"

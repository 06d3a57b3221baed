"""Setting up a session: who sits where, which ritual, how long, and what about.

The choices are remembered as next time's defaults. Every value is checked by
the same rules as the command line's (`SessionPlan.checked`), and a problem is
said in a line under the form, with the field focused.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch

from heartline.sessions import parked
from heartline.sessions import prefs as prefs_store
from heartline.sessions.durations import format_duration, human_duration, parse_duration
from heartline.sessions.engine import estimate_seconds, own_lengths
from heartline.sessions.prompts import decks_for, deeper_than, draw, load_decks
from heartline.sessions.setup import SessionPlan, taking_turns

from ..glyphs import glyph
from ..routes import Go
from ..widgets.toggle import Toggle
from ..widgets.too_small import GuardedScreen

PRESETS = {  # speak, reflect seconds; None: the ritual's own
    "default": None,
    "short": (60, 30),
    "long": (240, 120),
}


class ListSelect(Select):
    """A dropdown that opens only on enter or the arrows, never on typing.

    A name typed one Tab too far once chose a ritual (space opened the list,
    the letters searched it, enter picked). Now typing here changes nothing
    and the form says where the keys went.
    """

    BINDINGS = [Binding("enter,down,up", "show_overlay", "Show menu", show=False, id="list-select.open")]
    inherit_bindings = False

    class Typed(Message):
        """Printable keys reached the closed list."""

        def __init__(self, select: ListSelect) -> None:
            super().__init__()
            self.select = select

        @property
        def control(self) -> ListSelect:
            return self.select

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, type_to_search=False, **kwargs)

    def on_key(self, event: events.Key) -> None:
        if not self.expanded and event.character and event.character.isprintable():
            event.stop()
            event.prevent_default()
            self.post_message(self.Typed(self))


class SetupScreen(GuardedScreen, Screen):
    """The form before a session."""

    CSS_PATH = "setup.tcss"
    BINDINGS = [
        Binding("ctrl+s", "start", "Start", id="setup.start"),
        Binding("ctrl+r", "draw", "Draw a prompt", id="setup.draw"),
        Binding("ctrl+o", "deeper", "Go deeper", id="setup.deeper"),
        Binding("f2", "swap", "Swap sides", id="setup.swap"),
        Binding("f3", "start(True)", "One of us is elsewhere", id="setup.apart", show=False),  # the key bar is full at 80
        Binding("escape", "back", "Back", id="setup.back"),
        Binding("f1", "help", "Help", id="setup.help", show=False),  # ? is typed into the names
    ]

    def action_help(self) -> None:
        """The general help; no session here, so nothing is paused."""
        from .dialogs import HelpScreen

        self.app.push_screen(HelpScreen(None))

    def __init__(self, plan: SessionPlan | None = None) -> None:
        super().__init__()
        self.initial = plan
        self.drawn: tuple[str, str] | None = None  # (deck id, prompt) of the last draw
        self._replace_asked = ""  # a typed topic the couple was asked about replacing
        self._parked: list | None = None  # topics kept for a state of the union, read once when it is chosen
        self._parked_filled = False

    def compose(self) -> ComposeResult:
        app = self.app
        saved = prefs_store.load(app.config.config_dir)
        self.prefs = saved
        plan = self.initial
        self.decks, self.deck_errors = load_decks(app.config.config_dir / "decks")
        self._recent = self._last_sessions()
        rituals = list(app.rituals)
        protocol = plan.protocol if plan else saved.protocol
        if app.rituals.get(protocol) is None:
            protocol = rituals[0].id
        speak = (plan.speak if plan else None) or saved.speak or None
        reflect = (plan.reflect if plan else None) or saved.reflect or None
        preset = "default"
        if speak or reflect:
            preset = next((k for k, v in PRESETS.items() if v == (speak, reflect)), "custom")
        with VerticalScroll(id="form"):
            yield Static("Set up a session — who sits on the left, and who on the right?", id="title")
            with Horizontal(classes="row"):
                yield Label("Left", classes="key")
                yield Input(value=(plan.left if plan and plan.left else saved.left), placeholder="left partner's name",
                            id="left", max_length=40)
                swap = Button(glyph("swap"), id="swap", tooltip="swap sides (f2)")
                swap.can_focus = False  # tab goes straight from one name to the other
                yield swap
                yield Input(value=(plan.right if plan and plan.right else saved.right),
                            placeholder="right partner's name", id="right", max_length=40)
                yield Label("Right", classes="key")
            with Horizontal(classes="row"):
                yield Label("Ritual", classes="key")
                yield ListSelect([(r.name, r.id) for r in rituals], value=protocol, allow_blank=False, id="ritual")
            yield Static(id="ritual-about", markup=False)
            with Horizontal(classes="row"):
                yield Label("Starts", classes="key")
                yield ListSelect(self._first_options(), value=(plan.first if plan and plan.first else "auto"),
                                 allow_blank=False, id="first")
            with Horizontal(classes="row"):
                yield Label("Turns", classes="key")
                yield ListSelect(
                    [
                        ("the ritual's own lengths", "default"),
                        ("short: 1:00 speak, 0:30 reflect", "short"),
                        ("unhurried: 4:00 speak, 2:00 reflect", "long"),
                        ("custom… (type 90s, 2m or 1:30)", "custom"),
                    ],
                    value=preset,
                    allow_blank=False,
                    id="preset",
                )
            with Horizontal(classes="row", id="lengths"):
                yield Label("", classes="key")
                yield Label("speak", classes="first")
                yield Input(value=format_duration(speak) if speak else "", placeholder="2m", id="speak")
                yield Label("reflect")
                yield Input(value=format_duration(reflect) if reflect else "", placeholder="1m", id="reflect")
                yield Label("rounds")
                rounds = (plan.rounds if plan else None) or saved.rounds or None
                yield Input(value=str(rounds) if rounds else "", placeholder="own", id="rounds",
                            type="integer", max_length=2)
            with Horizontal(classes="row"):
                yield Label("Topic", classes="key")
                yield Input(value=plan.topic if plan else "", placeholder="type one, or draw a prompt from a deck",
                            id="topic", max_length=200)
            with Horizontal(classes="row"):
                yield Label("", classes="key")
                suited = decks_for(self.decks, protocol)
                deck = saved.deck if saved.deck in suited else next(iter(suited), None)
                yield ListSelect([(d.name, d.id) for d in suited.values()], value=deck or Select.BLANK,
                             allow_blank=not suited, id="deck")
                yield Button("Draw a prompt (ctrl+r)", id="draw", tooltip="a prompt from the deck: the first is light")
                deeper = Button("Deeper", id="deeper", disabled=True,
                                tooltip="ctrl+o: a prompt from the next level (light, deeper, deep)")
                yield deeper
            with Horizontal(classes="row switches"):
                yield Toggle("Sealed check-in", plan.checkin if plan else saved.checkin, id="checkin")
                yield Toggle("Closing appreciations",
                             plan.closing_appreciation if plan else saved.closing_appreciation, id="closing")
            with Horizontal(classes="row"):
                yield Button("Start  (ctrl+s)", id="start", variant="primary")
                yield Static(id="error", markup=False)
        yield Footer()

    def _last_sessions(self) -> list[dict]:
        """The last sessions (at most three records read): who began last time, so the other one starts."""
        from heartline.sessions import index

        try:
            return index.recent(self.app.config.data_dir)[0]
        except OSError:
            return []  # nothing to go by: the left starts

    def _names(self) -> tuple[str, str]:
        if not self.is_mounted:
            plan, saved = self.initial, self.prefs
            return ((plan.left if plan and plan.left else saved.left).strip(),
                    (plan.right if plan and plan.right else saved.right).strip())
        return self.query_one("#left", Input).value.strip(), self.query_one("#right", Input).value.strip()

    def _first_options(self) -> list[tuple[str, str]]:
        """Who starts: taking turns from last time (said with the name), or either of you."""
        left, right = self._names()
        names = {"left": left or "the left partner", "right": right or "the right partner"}
        side, began = taking_turns(self._recent, left, right)
        if began:
            auto = f"{names[side]} — taking turns: {began} began last time"
        else:
            auto = f"{names[side]} — no last time to take turns from"
        return [(Text(auto), "auto"), (Text(f"{names['left']} (left)"), "left"),  # names are data, never markup
                (Text(f"{names['right']} (right)"), "right")]

    @on(Input.Changed, "#left")
    @on(Input.Changed, "#right")
    def _renamed(self) -> None:
        """Who starts is said by name: the list follows the names as they are typed."""
        select = self.query_one("#first", ListSelect)
        current = select.value
        with select.prevent(Select.Changed):
            select.set_options(self._first_options())
            select.value = current
        select.mutate_reactive(Select.value)  # the same value, said with the new names

    def on_mount(self) -> None:
        self._describe_ritual()
        for problem in self.deck_errors:
            self.notify(str(problem), title="A prompt deck was skipped", severity="warning", markup=False)
        self.query_one("#left", Input).focus()  # always the same first field: names, ritual, who starts, lengths, topic, start

    # ----- reacting to the form ----------------------------------------

    def _lengths(self) -> tuple[int | None, int | None]:
        """Speak and reflect seconds from the boxes (blank: the ritual's own); ValueError if unreadable."""
        out = []
        for which in ("speak", "reflect"):
            text = self.query_one(f"#{which}", Input).value
            try:
                out.append(parse_duration(text) if text.strip() else None)
            except ValueError as exc:
                raise ValueError(f"{which}: {exc}") from None
        return out[0], out[1]

    def _rounds(self) -> int | None:
        text = self.query_one("#rounds", Input).value.strip()
        return int(text) if text else None

    @on(Select.Changed, "#preset")
    def _preset_chosen(self, event: Select.Changed) -> None:
        """A preset fills the boxes; the ritual's own empties them (their placeholders show its lengths)."""
        if event.value == "custom":
            if event.select.has_focus:  # chosen by a person now, not filled in from last time
                self.query_one("#speak", Input).focus()
            return
        values = PRESETS.get(event.value) or (None, None)
        self._filling = True
        for which, value in zip(("speak", "reflect"), values):
            self.query_one(f"#{which}", Input).value = format_duration(value) if value else ""
        self._filling = False

    @on(Input.Changed, "#speak")
    @on(Input.Changed, "#reflect")
    def _typed_length(self) -> None:
        """Typing a length makes the choice custom, unless it matches a preset exactly."""
        if getattr(self, "_filling", False):
            return
        try:
            values = self._lengths()
        except ValueError:
            values = None
        preset = next((k for k, v in PRESETS.items() if (v or (None, None)) == values), "custom")
        select = self.query_one("#preset", Select)
        if select.value != preset:
            with select.prevent(Select.Changed):
                select.value = preset

    @on(Select.Changed, "#ritual")
    def _decks_that_suit(self, event: Select.Changed) -> None:
        """Only decks that suit the ritual are offered (no repair prompts in a stress-reducing talk)."""
        if not isinstance(event.value, str):
            return
        suited = decks_for(self.decks, event.value)
        select = self.query_one("#deck", Select)
        current = select.value
        with select.prevent(Select.Changed):
            select.set_options([(d.name, d.id) for d in suited.values()])
            if current in suited:
                select.value = current
            elif suited:
                select.value = next(iter(suited))

    @on(Select.Changed, "#ritual")
    @on(Select.Changed, "#preset")
    @on(Input.Changed, "#speak")
    @on(Input.Changed, "#reflect")
    @on(Input.Changed, "#rounds")
    @on(Switch.Changed, "#closing Switch")
    def _describe_ritual(self) -> None:
        ritual = self.app.rituals.get(self.query_one("#ritual", Select).value)
        if ritual is None:
            return
        try:
            speak, reflect = self._lengths()
            settings = SessionPlan(ritual.id, "", "", speak=speak, reflect=reflect, rounds=self._rounds(),
                                   closing_appreciation=self.query_one("#closing", Toggle).value,
                                   **self.prefs.timing()).settings(ritual)  # what the engine will plan
            rounds = settings.rounds
            minutes = human_duration(estimate_seconds(ritual, settings))
            timing = (f"With these choices: about {minutes} if every turn takes all its time — "
                      f"{rounds} round{'s' if rounds != 1 else ''}, "
                      f"{format_duration(settings.speak_seconds)} to speak, "
                      f"{format_duration(settings.reflect_seconds)} to reflect.")
            own = " · ".join(f"{title} ({format_duration(seconds)})" for title, seconds in own_lengths(ritual, settings))
            if own and (speak or reflect):  # only worth saying when typed lengths change the others
                timing += f"\nThese keep their own length: {own}."
        except ValueError:
            timing = "With these choices: — (fix the custom lengths)"
        offer = self._parked_offer(ritual.id)
        self.query_one("#ritual-about", Static).update(
            f"{ritual.description or ritual.summary}\n{timing}" + (f"\n{offer}" if offer else ""))
        self.query_one("#speak", Input).placeholder = format_duration(ritual.speak_seconds)
        self.query_one("#reflect", Input).placeholder = format_duration(ritual.reflect_seconds)

    def _parked_offer(self, ritual_id: str) -> str:
        """A state of the union offers the topics kept for it in a stress-reducing talk since the last one:
        a line under the ritual, and the first one's words in an empty topic box."""
        if ritual_id != parked.UNION:
            return ""
        if self._parked is None:
            try:
                self._parked = parked.waiting(self.app.config.data_dir)
            except Exception:  # a store that cannot be read only means no offer
                self._parked = []
        topic = self.query_one("#topic", Input)
        said = next((p.text for p in self._parked if p.text), "")
        if said and not topic.value.strip() and not self._parked_filled:
            self._parked_filled = True  # once: a topic cleared by hand stays cleared
            topic.value = said[:topic.max_length or 200]
        return parked.offer_words(self._parked)

    @on(Button.Pressed, "#swap")
    def action_swap(self) -> None:
        left, right = self.query_one("#left", Input), self.query_one("#right", Input)
        left.value, right.value = right.value, left.value

    @on(Button.Pressed, "#draw")
    def action_draw(self) -> None:
        """Another prompt at the same level as the one shown, or lighter; the first is light."""
        self._draw(deeper=False)

    @on(Button.Pressed, "#deeper")
    def action_deeper(self) -> None:
        """Only when asked: a prompt from the next level down (light → deeper → deep)."""
        self._draw(deeper=True)

    def _draw(self, deeper: bool) -> None:
        deck_id = self.query_one("#deck", Select).value
        deck = self.decks.get(deck_id) if isinstance(deck_id, str) else None
        if deck is None:
            self._error("Choose a deck to draw from.")  # cleared by the next change
            return
        typed = self.query_one("#topic", Input).value.strip()
        if typed and not (self.drawn and typed == self.drawn[1]) and self._replace_asked != typed:
            self._replace_asked = typed  # words someone typed are not thrown away on one key
            key = "ctrl+o" if deeper else "ctrl+r"
            self.notify(f"Press {key} again to replace the topic you typed with a prompt.", title="Your topic")
            return
        self._replace_asked = ""
        avoid = self.drawn[1] if self.drawn and self.drawn[0] == deck.id else None
        level = None
        if deeper:
            level = deeper_than(deck, avoid)
            if level is None and avoid is not None:
                self.notify("This is the deck's deepest level; ctrl+r draws another like it.", title="Deeper")
                return
        prompt = draw(deck, self.app.rng, avoid=avoid, intensity=level)
        self.drawn = (deck.id, prompt)
        topic = self.query_one("#topic", Input)
        topic.value = prompt
        shown = deck.level(prompt)
        # a drawn prompt is an offer, never a task; its level is said in words, not colour
        topic.border_subtitle = f"{shown} · pass is always fine" if shown else "pass is always fine"
        self.query_one("#draw", Button).label = "Draw another (ctrl+r)"
        self.query_one("#deeper", Button).disabled = deeper_than(deck, prompt) is None
        topic.scroll_visible(animate=False)  # at 80×24 the topic can sit below the fold: show what was drawn

    @on(Input.Changed, "#topic")
    def _own_topic(self, event: Input.Changed) -> None:
        """A topic typed by hand is not a drawn prompt: its level is no longer said."""
        if not (self.drawn and event.value.strip() == self.drawn[1]):
            event.input.border_subtitle = ""

    @on(Select.Changed, "#deck")
    def _new_deck_new_prompt(self, event: Select.Changed) -> None:
        """A prompt drawn from the deck before is replaced by one from the deck now chosen; typed words stay."""
        if not isinstance(event.value, str) or self.drawn is None or self.drawn[0] == event.value:
            return
        if self.query_one("#topic", Input).value.strip() == self.drawn[1]:
            self.action_draw()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        """Enter goes on to the next field; from the topic, the last box, it starts (or says what is missing)."""
        event.stop()
        if event.input.id == "topic":
            self.action_start()
        else:
            self.focus_next()

    @on(ListSelect.Typed)
    def _typed_into_a_list(self, event: ListSelect.Typed) -> None:
        what = {"first": "the list of who starts", "ritual": "the ritual list", "preset": "the list of turn lengths", "deck": "the list of decks"}
        self._error(f"Those keys reached {what.get(event.control.id, 'a list')}, which only opens with enter or "
                    "the arrows. Names go in the boxes above (shift+tab goes back).")

    @on(Input.Changed)
    @on(Select.Changed)
    def _recheck(self) -> None:
        """A shown problem goes away as soon as the form is right again (or changes to the next one)."""
        if not self._shown_error:
            return
        try:
            self._plan()
        except ValueError as exc:
            if self._shown_error != "typed":
                self._error(str(exc))
            return
        self._clear_error()

    def _plan(self) -> SessionPlan:
        speak, reflect = self._lengths()
        rounds = self._rounds()
        topic = self.query_one("#topic", Input).value
        deck = self.drawn[0] if self.drawn and topic.strip() == self.drawn[1] else ""
        return SessionPlan(
            protocol=self.query_one("#ritual", Select).value,
            left=self.query_one("#left", Input).value,
            right=self.query_one("#right", Input).value,
            speak=speak,
            reflect=reflect,
            rounds=rounds,
            topic=topic,
            topic_deck=deck,
            checkin=self.query_one("#checkin", Toggle).value,
            closing_appreciation=self.query_one("#closing", Toggle).value,
            first=first if (first := self.query_one("#first", Select).value) in ("left", "right") else "",
            good_time=True,  # "Is now a good time?" first, in a ritual that asks it
            **self.prefs.timing(),
        ).checked().taking_turns(self._recent)

    @on(Button.Pressed, "#start")
    def action_start(self, apart: bool = False) -> None:
        try:
            plan = self._plan()
        except ValueError as exc:
            self._error(str(exc), focus=self._field_for(str(exc)))
            return
        ritual = self.app.rituals.get(plan.protocol)
        if ritual is not None and ritual.calm_first:  # the aftermath of a fight waits out a time-out's minimum
            from heartline.sessions import index

            why = plan.not_yet(ritual, index.recent(self.app.config.data_dir)[0], self.app.config.clock.now())
            if why:
                self._error(why + ".")  # focus stays on start: the message in sight beside it
                return
        deck_choice = self.query_one("#deck", Select).value
        remembered = self.prefs.remember(
            left=plan.left, right=plan.right, protocol=plan.protocol, speak=plan.speak or 0,
            reflect=plan.reflect or 0, rounds=plan.rounds or 0, checkin=plan.checkin,
            closing_appreciation=plan.closing_appreciation,
            deck=deck_choice if isinstance(deck_choice, str) else "",
        )
        try:
            prefs_store.save(self.app.config.config_dir, remembered)
        except OSError as exc:
            self.notify(f"Could not remember these choices: {exc}", severity="warning")
        if apart:  # the code to read out first (tui/apart/)
            from ..apart.entry import start_apart

            start_apart(self.app, plan)
            return
        self.post_message(Go("session", plan, switch=True))

    def _field_for(self, message: str) -> str:
        for needle, field in (("who starts", "#first"), ("left", "#left"), ("right", "#right"), ("same name", "#right"), ("speak", "#speak"),
                              ("reflect", "#reflect"), ("rounds", "#rounds"), ("topic", "#topic")):
            if needle in message:
                return field
        return "#start"

    _shown_error = ""

    def _clear_error(self) -> None:
        self._shown_error = ""
        self.query_one("#error", Static).update("")

    def _error(self, message: str, focus: str | None = None) -> None:
        self._shown_error = "typed" if message.startswith("Those keys") else message
        self.query_one("#error", Static).update(Text(f"{glyph('warning')} {message[0].upper()}{message[1:]}"))
        if focus:
            self.query_one(focus).focus()
        error = self.query_one("#error")
        self.call_after_refresh(error.scroll_visible, animate=False)  # once laid out: a long message shows whole

    def action_back(self) -> None:
        self.app.pop_screen()

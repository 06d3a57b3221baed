"""Small modal screens: a one-line note, the I-statement, a yes/no question, deleting a session, help."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from heartline.sessions.istatement import HINTS, flags, gentle_note
from heartline.sessions.istatement import compose as i_statement
from heartline.sessions.rituals import Ritual

from .. import keys
from ..glyphs import shown
from ..keys import default
from ..routes import Go
from ..widgets.too_small import GuardedScreen

# ctrl+c over a dialog: a modal screen hides the app's own keys, so without these it did nothing there (tried
# in a time-out). A selection is copied as Textual does; otherwise it asks to quit, as on the floor.
QUIT_KEYS = [Binding("ctrl+c", "screen.copy_text", show=False, id="quit"),  # fixed, as ctrl+q is: never remapped
             Binding("ctrl+c", "app.help_quit", show=False, id="quit")]


def cancel_asking(dialog: ModalScreen, typed: bool) -> None:
    """Escape in a text box: closes it at once when nothing was typed; words typed are never thrown away unasked."""
    if not typed:
        dialog.dismiss(None)
        return

    def answer(throw_away: bool | None) -> None:
        if throw_away:
            dialog.dismiss(None)

    dialog.app.push_screen(
        ConfirmScreen("Throw away what you typed?", "It is not kept anywhere.", yes="Throw it away",
                      no="Keep writing"),
        answer,
    )


class NoteScreen(GuardedScreen, ModalScreen[str | None]):
    """One line of text from one partner, shown on their side of the screen."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding(default("note.cancel"), "cancel", "Cancel", id="note.cancel"), *QUIT_KEYS]

    def __init__(self, side: str, title: str, masked: bool = False, value: str = "", hint: str = "",
                 longest: int = 500, kept: str = "") -> None:
        super().__init__(classes=f"-{side}")
        self.side = side
        self.kept_words = kept  # whether what is typed goes into the session's file (`keep.note_words`)
        self.title_text = title
        self.hint = hint  # a line under the title: what makes a good one
        self.longest = longest  # a request is small: a line or two
        self.masked = masked
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(self.title_text, classes="title", markup=False)
            if self.hint:
                yield Label(self.hint, classes="muted", id="hint", markup=False)
            yield Input(value=self.value, password=self.masked, max_length=self.longest, id="text")
            if self.kept_words:
                yield Label(self.kept_words, id="kept", classes="muted", markup=False)
            yield Label("While you type, the keyboard is yours and the turn's clock waits; the other keys wait too.",
                        classes="muted")
            yield Label(f"enter: keep it · {keys.current().first('note.cancel')}: cancel", classes="muted", markup=False)
            yield Label(f"Even while typing: {keys.typing_hint()}", classes="muted typing-keys", markup=False)

    @on(Input.Submitted)
    def keep(self, event: Input.Submitted) -> None:
        self.dismiss(self.kept(event.value))

    @staticmethod
    def kept(value: str) -> str | None:
        """What enter hands back: the words, or None for nothing typed."""
        return value.strip() or None

    def action_cancel(self) -> None:
        cancel_asking(self, self.query_one(Input).value.strip() != self.value.strip())


class ParkScreen(NoteScreen):
    """"Let's keep this for our state of the union": a few words, or none (enter keeps it; escape does not)."""

    def __init__(self, side: str, kept: str = "") -> None:
        super().__init__(side, "For our state of the union — a few words, or none", kept=kept)

    @staticmethod
    def kept(value: str) -> str | None:
        return value.strip()  # "" keeps it without words; only escape keeps nothing


class IStatementScreen(GuardedScreen, ModalScreen[str | None]):
    """A softened start-up: "I feel … about … and I need …", prepared before speaking."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding(default("note.cancel"), "cancel", "Cancel", id="note.cancel"), *QUIT_KEYS]

    INTRO = "Speak about yourself, not about them. Each part is optional."

    def __init__(self, side: str, name: str, kept: str = "") -> None:
        super().__init__(classes=f"-{side} -wide")
        self.side = side
        self.partner = name
        self.kept_words = kept  # whether the I-statement goes into the session's file (`keep.note_words`)

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(f"{self.partner} — your I-statement, to start gently", classes="title", markup=False)
            yield Label(self.INTRO, id="intro", classes="muted")
            # each box says what it is on its top edge and a hint on its bottom edge: no extra lines at 80×24
            yield self._field("I feel …", placeholder="worried", id="feel", max_length=120)
            yield self._field("about … / when …", placeholder="when we plan the holidays at the last minute",
                              id="about", max_length=200)
            yield self._field("and I need …", placeholder="us to choose the dates together this week", id="need",
                              max_length=200)
            yield Label(id="soften", classes="soften", markup=False)  # a gentle flag, shown before the pane shows it
            if self.kept_words:
                yield Label(self.kept_words, id="kept", classes="muted", markup=False)
            yield Label(f"enter in the last box: keep it · {keys.current().first('note.cancel')}: cancel", classes="muted", markup=False)
            yield Label(f"Even while typing: {keys.typing_hint()}", classes="muted typing-keys", markup=False)

    @staticmethod
    def _field(title: str, **kwargs) -> Input:
        """A box named on its top edge, with its hint under it: "what happened, as a camera would see it"."""
        box = Input(**kwargs)
        box.border_title = shown(title)  # "I feel ..." in ASCII, not "I feel ."
        box.border_subtitle = shown(HINTS[kwargs["id"]])
        return box

    def _parts(self) -> list[str]:
        return [self.query_one(f"#{i}", Input).value for i in ("feel", "about", "need")]

    def _words(self) -> str:
        return i_statement(*self._parts())

    @on(Input.Changed)
    def show_words(self) -> None:
        """Once typing starts, the line under the title shows the sentence as it will be kept (it reads once);
        a harsh word ("always", "you are", a name) gets a gentle thought under the boxes. Nothing is blocked."""
        words = self._words()
        intro = self.query_one("#intro", Label)
        intro.update(Text(f"Kept as: “{words}”") if words else self.INTRO)
        intro.set_class(bool(words), "-preview")
        note = gentle_note(flags(*self._parts()))
        soften = self.query_one("#soften", Label)
        soften.update(Text(note))
        soften.set_class(bool(note), "-shown")

    @on(Input.Submitted)
    def next_or_keep(self, event: Input.Submitted) -> None:
        if event.input.id != "need":
            self.focus_next()
            return
        self.dismiss(self._words() or None)

    def action_cancel(self) -> None:
        cancel_asking(self, any(box.value.strip() for box in self.query(Input)))


class ConfirmScreen(GuardedScreen, ModalScreen[bool]):
    """A calm yes/no question; escape means no."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding(default("confirm.no"), "answer(False)", "No", id="confirm.no"),
        Binding(default("confirm.yes"), "answer(True)", "Yes", id="confirm.yes"),
        *QUIT_KEYS,
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.detail, self.yes, self.no = question, detail, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Label(self.question, classes="title")
            if self.detail:
                yield Label(self.detail, classes="detail")
            with Horizontal(classes="buttons"):
                yield Button(Text(f"{self.no} ({keys.current().first('confirm.no')})"), id="no", variant="primary")
                yield Button(Text(f"{self.yes} ({keys.current().first('confirm.yes')})"), id="yes", variant="error")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class DeleteScreen(GuardedScreen, ModalScreen[str]):
    """Delete one past session: to the trash (it can be moved back) or for good; escape keeps it.

    Dismissed with "trash", "for-good" or "" (keep it). The words say what
    deleting reaches, and honestly what it cannot.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape,n", "choose('')", "Keep it", id="delete.keep"),
        Binding("t", "choose('trash')", "Move to trash", id="delete.trash"),
        Binding("g", "choose('for-good')", "Delete for good", id="delete.for-good"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what
        self.add_class("-wide")

    def compose(self) -> ComposeResult:
        from heartline.sessions.store import BEYOND_REACH

        with Vertical(classes="box"):
            yield Label("Delete this session?", classes="title")
            yield Label(Text(self.what), classes="muted")
            yield Label("Move to trash (t): it goes to trash/ in the data folder; move it back to restore it. "
                        "Delete for good (g): the file goes now.", classes="muted")
            yield Label(Text(f"Either way its exports and its line in the list go too; {BEYOND_REACH}."),
                        classes="muted")
            with Horizontal(classes="buttons"):
                yield Button("Keep it (esc)", id="keep", variant="primary")
                yield Button("Trash (t)", id="trash")
                yield Button("For good (g)", id="for-good", variant="error")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss("" if event.button.id == "keep" else str(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


NOTHING_SAID = "Nothing was said yet, so nothing is kept."  # ended while "Is now a good time?" is asked


class QuitScreen(ConfirmScreen):
    """ctrl+q or ctrl+c during a session: asked first, as escape is. What the keep choice keeps is kept (while
    "Is now a good time?" is asked nothing was said yet, and nothing is kept)."""

    def __init__(self, in_time_out: bool = False, before_begun: bool = False, keep: str = "shape") -> None:
        from heartline.sessions.keep import ending_words

        detail = ("Your time-out stays: the next start offers it again." if in_time_out
                  else NOTHING_SAID if before_begun else ending_words(keep, summary=False))
        super().__init__("Quit heartline now?", detail, yes="Quit", no="Carry on")


class HelpScreen(GuardedScreen, ModalScreen[None]):
    """Every key, whose it is, and the ground rules to read again.

    Opened during a turn, it pauses the turn; closing it carries on, unless one
    of you pressed pause meanwhile or it was paused before.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding(default("help.close"), "close", "Close", id="help.close"),
        Binding(default("help"), "close", "Close", id="help"),  # the help keys open and close it
        Binding(default("help.anywhere"), "close", "Close", id="help.anywhere"),
        Binding(default("help.safety"), "safety", "Is this right for us?", id="help.safety"),
        *QUIT_KEYS,
    ]

    def __init__(self, ritual: Ritual | None, left: str = "Left", right: str = "Right") -> None:
        super().__init__(classes="-wide")
        self.ritual, self.left, self.right = ritual, left, right

    PARTNER_KEYS = (("done", "done · yes, to a check · agree"), ("not_quite", "not quite · there's more · skip"),
                    ("note", "parking-lot note · a word"))
    MOOD_WORDS = "how I feel (struggling … great)"
    BLOCKED_WORDS = ("A key that would end or take the floor while the other partner holds it is gently "
                     "blocked: the floor stays with them. Pause and time-out always work, for both of you, even "
                     "while a note is typed.")

    def _partner_table(self) -> Table:
        """Each partner's keys, in a column of their own."""
        mine = Table(box=None, padding=(0, 1), show_header=True, header_style="bold", expand=True)
        mine.add_column("", ratio=1)  # the words wrap; the keys never do
        mine.add_column(Text(self.left), min_width=9, no_wrap=True)  # room for "1 2 3 4 5" on one line
        mine.add_column(Text(self.right), min_width=9, no_wrap=True)
        for what, words in self.PARTNER_KEYS:
            mine.add_row(words, keys.key("left", what), keys.key("right", what))
        mine.add_row(self.MOOD_WORDS, keys.mood_keys("left"), keys.mood_keys("right"))
        return mine

    def compose(self) -> ComposeResult:
        k = keys.current()
        mine = self._partner_table()
        shared = Table(box=None, padding=(0, 1), show_header=True, header_style="bold", expand=True)
        shared.add_column("either of you", ratio=1)
        shared.add_column("", min_width=9, no_wrap=True)
        shared.add_column("while typing", no_wrap=True)
        for plain, words in (("pause", "pause / resume"), ("time-out", "time-out (a breathing break)"),
                             ("end", "end the session (asks first)"), ("help", "help")):
            shared.add_row(words, k.first(plain), k.first(f"{plain}.anywhere"))
        shared.add_row("a repair: steadying words", k.first("repair"), "")
        with VerticalScroll(classes="box"):
            yield Label("Help", classes="title")
            yield Label(id="help-close", classes="muted", markup=False)  # first: in sight without scrolling
            yield Static(mine, id="help-keys")
            yield Static("The bar under your pane says what each of your keys does now.", classes="muted",
                         id="help-bar")
            yield Static(shared, id="help-shared")
            yield Static(self.BLOCKED_WORDS, classes="muted", id="help-blocked", markup=False)
            if self.ritual is not None:
                rules = Text()
                rules.append(f"\n{self.ritual.name}: our ground rules\n", style="bold")
                for rule in self.ritual.ground_rules:
                    rules.append(f"  •  {rule}\n")
                yield Static(rules)
            yield Static(f"{keys.current().first('help.safety')}: is this right for us? (heartline is not therapy;"
                         " where to find help)", id="help-safety", markup=False)

    def on_mount(self) -> None:
        self.app.hold_pause("help")
        self.show_pause()

    def show_pause(self) -> None:
        """Help's first line says what closing it does to the turn, and the bars beneath say it too."""
        k = keys.current()
        session = self.app.session()
        paused = session is not None and session.engine.state().pause_kind == "pause"
        if "help" in self.app.holds:
            then = "; the turn is paused until then"
        elif paused:
            then = f"; the turn stays paused until one of you presses {k.first('pause')}"
        else:
            then = ""
        self.query_one("#help-close", Label).update(f"{k.first('help.close')} or {k.first('help')} closes this{then}")
        if session is not None:
            session.repaint_keys()

    def on_unmount(self) -> None:
        self.app.release_pause("help")
        session = self.app.session()
        if session is not None:
            session.repaint_keys()  # the bars beneath offer the session's keys again

    def action_close(self) -> None:
        self.dismiss(None)

    def action_safety(self) -> None:
        self.post_message(Go("safety"))

"""The heartline Textual app, built by one factory for the command line and the tests.

Everything that could make a run differ from the next (the clock, the data and
config folders, the bell, the random draw of prompts) comes in through
`AppConfig`, so tests and snapshots can freeze it.
"""

from __future__ import annotations

import asyncio
import gc
import random
import signal
from dataclasses import dataclass, field
from functools import partial
from importlib import import_module
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen

from heartline.sessions.clock import Clock, RealClock
from heartline.sessions.engine import SETTLE_SECONDS, Stage
from heartline.sessions.rituals import RitualSet, load_rituals
from heartline.sessions.setup import SessionPlan
from heartline.themes import DEFAULT as DEFAULT_THEME
from heartline.themes import builtin_theme, load_themes, variable_defaults

from . import glyphs, keys
from .routes import ROUTES, Go
from .widgets.too_small import MIN_HEIGHT, MIN_WIDTH


@dataclass
class AppConfig:
    data_dir: Path
    config_dir: Path
    clock: Clock = field(default_factory=RealClock)
    theme: str = DEFAULT_THEME
    bell: bool = True
    seed: int | None = None  # prompt draws; fixed in tests
    redraw_seconds: float = 0.25  # the time-out's breathing pacer only; the floor redraws when a figure changes
    nudge_seconds: float = 4.0
    keymap: dict = field(default_factory=dict)  # the `keymap` table of settings.toml: a layout and changed keys
    ascii: bool | None = None  # plain ASCII for borders, bars and symbols; None: decided by $TERM
    quiet_clock: bool = False  # a calm bar instead of big digits
    warnings: bool = True  # "under 30 seconds" before a turn ends
    reduced_motion: bool = False  # the breathing pacer and flashes become still text
    prefs_problem: str = ""  # what is wrong with settings.toml, said once at start
    prefs_title: str = "settings.toml was not used (it is left as it is)"  # or: a setting in it was not
    rituals: RitualSet | None = None  # already read (by the command line); None: read from config_dir
    first_safety: bool = False  # show "Is this right for us?" once before the first session (the real app; tests opt in)


SCREENS = Path(__file__).resolve().parent / "screens"


def _first_sheets(plan: SessionPlan | None) -> list[Path]:
    """The app's style sheet and those of the screen shown first.

    Read with the app's own at start: a screen whose sheet is not read yet
    makes Textual parse every sheet again when it is pushed, just before the
    first frame. The other screens' sheets wait until they are opened.
    """
    first = "session.tcss" if plan is not None and plan.left and plan.right else "home.tcss"
    return [Path(__file__).resolve().parent / "global.tcss", SCREENS / first]


def _safety_bindings() -> list[Binding]:
    """Pause, time-out, end and help, for every screen and dialog of a session.

    Priority bindings of the app, so no dialog swallows them. A text box still
    takes the plain keys (space, t, ?) as text, and a dialog keeps escape as
    its way out; the "anywhere" keys are ones a text box does not take.
    """
    out = []
    for spec, action in zip(keys.SHARED, ("pause", "time_out", "end", "help")):
        out.append(Binding(keys.default(spec.id), action, spec.words.capitalize(), id=spec.id, show=False,
                           priority=True))
    for spec, action in zip(keys.ANYWHERE, ("pause", "time_out", "end(True)", "help")):
        out.append(Binding(keys.default(spec.id), action, spec.words.capitalize(), id=spec.id, show=False,
                           priority=True))
    return out


_gc_frozen = False  # gc.freeze() once a process, after the first app's first frame


class HeartlineApp(App):
    """Two partners, one keyboard: the screens of heartline."""

    CSS_PATH = "global.tcss"
    TITLE = "heartline"
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (80, "-roomy")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (24, "-tall")]
    BINDINGS = [
        Binding("ctrl+q", "ask_quit", "Quit", priority=True, id="quit", show=False),
        *_safety_bindings(),
    ]
    SAFETY_ACTIONS = {"pause", "time_out", "end", "help"}

    def __init__(self, config: AppConfig, plan: SessionPlan | None = None) -> None:
        super().__init__(css_path=_first_sheets(plan))
        self.config = config
        self.plan = plan
        self.rituals: RitualSet = (config.rituals if config.rituals is not None
                                   else load_rituals(config.config_dir / "rituals"))
        self.rng = random.Random(config.seed)
        self.bells = 0  # counted, because App.bell() is silent when headless
        self._warned: set[str] = set()
        self.first_frame_shown = False
        self._after_first_frame: list = []
        self.ascii = glyphs.terminal_wants_ascii() if config.ascii is None else config.ascii
        glyphs.set_ascii(self.ascii)
        self._ascii_filter = glyphs.ascii_filter()
        self._safe_filter = glyphs.safe_filter()
        self.theme_errors: list[str] = []
        first = builtin_theme(config.theme)  # a built-in is all the first frame needs: the others wait until asked for
        self._themes_read = False
        if first is not None:
            self._offer_themes({first.name: first})
        else:
            self._read_themes()
        self._first_theme(config.theme if config.theme in self._registered_themes else DEFAULT_THEME)
        self.after_first_frame(self._theme_notices)
        self.after_first_frame(self._ritual_notices)
        if self.ascii:
            self.add_class("-ascii")
        if self.console.color_system in ("standard", "windows"):  # 8 or 16 colours: see global.tcss
            self.add_class("-few-colours")
        self.keymap_problem = ""
        try:
            keymap = keys.validate_keymap(config.keymap)
        except keys.KeymapError as exc:
            self.keymap_problem = str(exc)
            try:  # the layout alone, if the trouble was in a changed key
                keymap = keys.resolve(config.keymap.get("layout", keys.DEFAULT_LAYOUT))
            except (keys.KeymapError, TypeError):
                keymap = keys.resolve()
        self.use_keys(keymap)
        self._holds: set[str] = set()
        self._holds_session: object | None = None
        self._last_key: str | None = None  # the key being handled now (None: a click)
        self._spent: tuple[str, float] | None = None  # a key that changed the screen, and until when it is spent

    @property
    def available_themes(self) -> dict:
        """Every theme offered (the palette, settings): the built-ins and the user's, read when first asked for."""
        self._read_themes()
        return super().available_themes

    def get_theme(self, theme_name: str):
        """The theme in use needs no other theme file read (the first frame asks for it)."""
        theme = self._registered_themes.get(theme_name)
        return theme if theme is not None else super().get_theme(theme_name)

    def _read_themes(self) -> None:
        if not getattr(self, "_themes_read", True):  # (Textual asks for its default theme before __init__ is done)
            self._themes_read = True
            themes, self.theme_errors = load_themes(self.config.config_dir / "themes")
            self._offer_themes(themes)

    def _offer_themes(self, themes: dict) -> None:
        """Only these themes are offered (their contrast is checked): not Textual's own; in the order they were read."""
        for name in list(self._registered_themes):
            self.unregister_theme(name)
        for theme in themes.values():
            self.register_theme(theme)

    def _theme_notices(self) -> None:
        """The theme files that did not load, said once the first frame is out (reading them all waits for it)."""
        self._read_themes()
        for problem in self.theme_errors:
            self.notify(problem, title="A theme file was skipped", severity="warning", timeout=10, markup=False)

    def _ritual_notices(self) -> None:
        """The ritual files that did not load, said once the first frame is out (reading them all waits for it)."""
        for problem in self.rituals.errors:
            self.notify(str(problem), title="A ritual file was skipped", severity="warning", timeout=10, markup=False)
        for notice in self.rituals.notices:
            self.notify(notice, title="One of your rituals replaces a built-in", timeout=10, markup=False)

    def _first_theme(self, name: str) -> None:
        """The theme the app starts with, set before Textual has parsed a style sheet.

        `self.theme = name` would make Textual parse every sheet again and
        restyle every widget just before the first frame (its watcher queues
        `refresh_css`); here the sheets are read once, with this theme's
        colours. What the watcher does besides is done the same way.
        """
        self.set_reactive(App.theme, name)
        theme = self.current_theme
        classes = {c: False for c in self.classes if c.startswith("-theme-")}
        classes.update({f"-theme-{theme.name}": True, "-dark-mode": theme.dark, "-light-mode": not theme.dark})
        self.update_classes(classes, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    def use_keys(self, keymap: keys.KeyMap) -> None:
        """Make `keymap` live: the bindings (through `set_keymap`) and every hint drawn after this."""
        keys.use(keymap)
        self.set_keymap(keymap.textual())

    def on_load(self) -> None:
        """Hold the cyclic garbage collector until the first frame is written.

        Building the first screen allocates enough for a full collection to
        fall just before the first frame, and it walks every object the
        imports made (tens of milliseconds). After the first frame those are
        frozen (once: they live as long as the process) and collection resumes.
        """
        self._gc_held = gc.isenabled()
        gc.disable()

    def _release_gc(self) -> None:
        if getattr(self, "_gc_held", False):
            self._gc_held = False
            global _gc_frozen
            if not _gc_frozen:
                _gc_frozen = True
                gc.freeze()
            gc.enable()

    def on_unmount(self) -> None:
        self._release_gc()  # an app that stopped before its first frame

    def on_mount(self) -> None:
        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._hang_up)
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            pass  # not on the main thread (tests) or no such signal: ctrl+q still saves
        from heartline.sessions import journal

        put_away: list[str] = []  # empty journals (a start that stopped at once): put away, told once
        found, problems = journal.unfinished(self.config.data_dir, set_aside=put_away)
        if found:  # a session that was not finished comes first
            from .screens.home import HomeScreen
            from .screens.recover import RecoverScreen

            self.push_screen(HomeScreen())
            self.push_screen(RecoverScreen(found), self._recovered)
        else:
            self._open_plan()
        self._start_notices(problems, put_away)  # once the first screen is there: a session shows them in its own row

    def _start_notices(self, journal_problems, put_away=()) -> None:
        if self.keymap_problem:
            label = keys.LAYOUTS[keys.current().layout].label
            self.notify(f"{self.keymap_problem} Until then the {label} keys are used.",
                        title="Your keys in settings.toml were not used", severity="warning", timeout=15,
                        markup=False)
        if self.config.prefs_problem:
            self.notify(self.config.prefs_problem, title=self.config.prefs_title,
                        severity="warning", timeout=15, markup=False)
        for problem in journal_problems:
            self.notify(problem, title="A journal could not be read", severity="warning", timeout=10, markup=False)
        for line in put_away:
            self.notify(line, title="An empty journal was put away", timeout=10, markup=False)

    def _recovered(self, result: tuple | None) -> None:
        """After the offer: the resumed session, or what was asked for at start."""
        if result and result[0] == "resume":
            from .screens.session import SessionScreen

            _, engine, journal = result
            plan = SessionPlan(engine.ritual.id, engine.partners["left"].name, engine.partners["right"].name,
                               topic=engine.topic, checkin=engine.checkin, rules=engine.rules,
                               good_time=engine.good_time)
            self.push_screen(SessionScreen(plan, resumed=(engine, journal)))
            return
        from .screens.home import HomeScreen

        if self.plan is not None:
            if isinstance(self.screen, HomeScreen):
                self.pop_screen()  # the home screen under the offer; `_open_plan` puts its own
            self._open_plan()
        elif isinstance(self.screen, HomeScreen):
            self.screen.reload()
        if result and result[0] == "told":  # what the offer did last ("Put away in …"), said once the next
            self.notify(result[1], markup=False)  # screen is there: a session shows it in its own row, not a toast

    def _open_plan(self) -> None:
        plan = self.plan
        if plan is not None and plan.left and plan.right:
            from .screens.session import SessionScreen

            self.push_screen(self._sized(SessionScreen(plan)))
            return
        from .screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if plan is not None:  # `heartline start` without both names: the form, with what was given
            from .screens.setup import SetupScreen

            self.push_screen(SetupScreen(plan))

    def _sized(self, screen):
        """`screen` with the window's size classes on already, as its first resize sets them.

        Pushed without them, its widgets are styled as they are built and
        styled again when the classes land, just before the first frame.
        """
        for size, points in ((self.size.width, screen.HORIZONTAL_BREAKPOINTS or self.HORIZONTAL_BREAKPOINTS),
                             (self.size.height, screen.VERTICAL_BREAKPOINTS or self.VERTICAL_BREAKPOINTS)):
            classes = dict.fromkeys((name for _, name in points), False)
            classes.update(dict.fromkeys(screen._get_breakpoint_classes(size, points), True))
            screen.update_classes(classes, update=False)
        screen._styled_as_built = True  # its first resume need not restyle it (GuardedScreen)
        return screen

    def set_ascii(self, on: bool) -> None:
        """ASCII mode on or off, now: symbols, borders and bars are drawn again."""
        self.ascii = bool(on)
        glyphs.set_ascii(self.ascii)
        self.set_class(self.ascii, "-ascii")
        self.refresh_css()
        for screen in self.screen_stack:
            for widget in screen.walk_children(with_self=True):
                widget._styles_cache.clear()  # painted lines are cached with the filters they had
                widget.refresh()

    def get_line_filters(self):
        """Textual's filters (NO_COLOR's monochrome), the net that keeps escape codes from the terminal, and ASCII
        mode's when it is on."""
        filters = [self._safe_filter, *super().get_line_filters()]
        if getattr(self, "ascii", False):
            filters.append(self._ascii_filter)
        return filters

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {**super().get_theme_variable_defaults(), **variable_defaults()}

    def on_ready(self) -> None:
        """The first screen is laid out; once its frame is written, the work that could wait for it.

        Textual sends Ready while the start-up batch still holds the first
        frame back, so running that work here would delay the frame it waits
        for: it runs after the next refresh instead.
        """
        self.call_after_refresh(self._first_frame_written)

    def _first_frame_written(self) -> None:
        self.first_frame_shown = True
        self._release_gc()
        waiting, self._after_first_frame = self._after_first_frame, []
        for callback in waiting:
            callback()

    def after_first_frame(self, callback) -> None:
        """Run `callback` once the app has painted its first frame (at once if it has)."""
        if self.first_frame_shown:
            self.call_later(callback)
        else:
            self._after_first_frame.append(callback)

    def warn_damaged(self, problems) -> None:
        """Say once per run, not on every screen, that some session files were skipped."""
        new = [p for p in problems if str(p) not in self._warned]
        if not new:
            return
        self._warned.update(str(p) for p in new)
        files = "file" if len(new) == 1 else "files"
        self.notify(
            "\n".join(str(p) for p in new[:3]) + ("\n…" if len(new) > 3 else ""),
            title=f"{len(new)} damaged session {files} skipped (the others are fine)",
            severity="warning",
            timeout=10,
            markup=False,
        )

    def ring(self) -> None:
        """The end-of-turn bell, unless silenced."""
        if self.config.bell:
            self.bells += 1
            self.bell()

    def save_open_sessions(self) -> None:
        """Whatever is in progress is saved before the app goes: nothing is lost."""
        from .screens.session import SessionScreen

        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen):
                screen.save_now(early=True)

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """A notice: in a session, in the session's own row above the panes (a toast covers the right partner's
        pane and keys); elsewhere, Textual's toast."""
        from .screens.session import SessionScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, SessionScreen) and (screen.engine is None or screen.engine.stage is not Stage.ENDED):
                screen.notice(message, title, severity, self.NOTIFICATION_TIMEOUT if timeout is None else timeout)
                return
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # ----- a key pressed twice ------------------------------------------

    def spend_key(self) -> None:
        """The key being handled changed what is on screen (the offer at start: resume, save, put away, later).

        The same key again within the settle time, before any other, is that press carried over (a double tap,
        a held key), not one meant for what has just come up: `p p` would open Past sessions, `s s` the setup
        form, `r r` a repair on a session nobody had seen.
        """
        if self._last_key is not None:
            self._spent = (self._last_key, self.config.clock.monotonic() + SETTLE_SECONDS)

    async def on_event(self, event: events.Event) -> None:
        if type(event) is events.Key and not event.is_forwarded:
            if self._spent is not None:
                key, until = self._spent
                if key == event.key and self.config.clock.monotonic() < until:
                    return  # carried over: dropped
                self._spent = None  # another key, or later: meant
            self._last_key = event.key
        elif isinstance(event, events.MouseDown):
            self._last_key = None  # a click, not a key, did what follows
        await super().on_event(event)

    # ----- the safety keys: pause, time-out, end, help ------------------

    def session(self):
        """The session in progress, under whatever dialogs are open over it."""
        from .screens.session import SessionScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, SessionScreen):
                return screen if screen.engine is not None and screen.engine.stage is not Stage.ENDED else None
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in self.SAFETY_ACTIONS:
            return True
        if self.session() is None:
            return False  # outside a session the key means whatever the screen says
        from .screens.dialogs import ConfirmScreen
        from .screens.timeout import TimeoutScreen

        if action == "end":
            if isinstance(self.screen, ConfirmScreen):
                return False  # already asking
            anywhere = bool(parameters and parameters[0])
            if not anywhere and isinstance(self.screen, ModalScreen) and not isinstance(self.screen, TimeoutScreen):
                return False  # in a dialog the plain end key (escape) closes the dialog
        return True

    @property
    def holds(self) -> set[str]:
        """Why the app itself paused this session's turn ("help", "too-small"); a new session starts with none."""
        session = self.session()
        if session is None:
            return set()
        if self._holds_session is not session:
            self._holds_session, self._holds = session, set()
        return self._holds

    def action_pause(self) -> None:
        from .screens.dialogs import HelpScreen

        session = self.session()
        state = session.engine.state()
        over_help = isinstance(self.screen, HelpScreen)
        if self.holds and state.pause_kind == "pause":
            self.holds.clear()  # the pause is now theirs: it stays when help closes or the window grows
            if over_help:
                self.screen.show_pause()  # a notice would be beneath help: help's own first line says it
            else:
                self.notify("Paused. It stays paused until one of you presses "
                            f"{keys.current().first('pause')}.", timeout=4, markup=False)
            session.refresh_state()
            return
        too_small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        if too_small and state.paused:
            return  # nobody can see the panes: the turn waits until the window is larger, as it says
        if over_help and state.pause_kind == "pause" and state.stage is Stage.FLOOR:
            self.holds.add("help")  # carry on, but never under help: the turn carries on when help closes
            self.screen.show_pause()
            return
        self.holds.clear()
        session.action_pause()

    def action_time_out(self) -> None:
        self.session().action_time_out()

    def action_end(self, anywhere: bool = False) -> None:
        self.session().action_end()

    def action_help(self) -> None:
        from .screens.dialogs import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        elif not any(isinstance(s, HelpScreen) for s in self.screen_stack):
            self.session().action_help()

    def hold_pause(self, why: str) -> None:
        """Pause the turn for the app's own reason (help is open, the window is too small)."""
        session = self.session()
        if session is None or why in self.holds:
            return
        state = session.engine.state()
        if self.holds or (state.stage is Stage.FLOOR and not state.paused):
            if not self.holds:
                session.engine.toggle_pause(why)
            self.holds.add(why)
            session.refresh_state()

    def release_pause(self, why: str) -> None:
        """The reason has gone: resume, unless another reason or a person still wants the pause."""
        if why not in self.holds:
            return
        self.holds.discard(why)
        session = self.session()
        if session is not None and not self.holds and session.engine.state().pause_kind == "pause":
            session.engine.toggle_pause()
            session.refresh_state()

    # ----- where screens go next (they never import each other) ---------

    def screen_class(self, where: str) -> type:
        module, name = ROUTES[where]
        return getattr(import_module(f"{__package__}.screens.{module}"), name)

    def on_go(self, message: Go) -> None:
        """The one place that decides what comes next: a screen asked for `message.where`."""
        screen = self.screen_class(message.where)(*message.args, **message.kwargs)
        if message.switch:
            self.switch_screen(screen)
        else:
            self.push_screen(screen, message.then)

    def on_resize(self, event) -> None:
        if event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT:
            self.hold_pause("too-small")
        else:
            self.release_pause("too-small")

    def get_driver_class(self):
        """Textual's driver for this terminal; in place of its Linux one, heartline's, which also saves and exits
        when the terminal goes away without a SIGHUP (tui/terminal.py)."""
        from textual.drivers.linux_driver import LinuxDriver

        driver = super().get_driver_class()
        if driver is LinuxDriver:
            from .terminal import Driver

            return Driver
        return driver

    def _hang_up(self) -> None:
        self.save_open_sessions()
        self.exit()

    async def action_quit(self) -> None:
        """Quit now, saving first (the answer to the question below, and a closed terminal)."""
        self.save_open_sessions()
        self.exit()

    async def action_ask_quit(self) -> None:
        """ctrl+q (and ctrl+c): in a session, asked first, as escape is; pressed again while asked, it quits."""
        from .screens.dialogs import QuitScreen

        if self.session() is None or isinstance(self.screen, QuitScreen):
            await self.action_quit()
            return
        state = self.session().engine.state()
        in_time_out = state.pause_kind == "time-out"

        def answer(yes: bool | None) -> None:
            if yes:
                self.save_open_sessions()
                self.exit()

        session = self.session()
        session.ask(QuitScreen(in_time_out, state.stage is Stage.GOOD_TIME, session.keep_now()), answer)

    async def action_help_quit(self) -> None:
        """ctrl+c: people press it to leave a terminal program; it means what ctrl+q means (Textual's own
        answer is a notice, "Press ctrl+q to quit the app", over the right partner's pane)."""
        await self.action_ask_quit()


def _config(options, remembered=None) -> AppConfig:
    """The app's settings: the options given, then settings.toml (`remembered`, when already read)."""
    if remembered is None:
        from heartline.sessions import prefs

        remembered = prefs.load(options.config_dir)
    return AppConfig(
        data_dir=options.data_dir,
        config_dir=options.config_dir,
        theme=options.theme or remembered.theme or DEFAULT_THEME,
        bell=remembered.bell,
        keymap=remembered.keymap,
        ascii=True if remembered.ascii else None,
        quiet_clock=remembered.quiet_clock,
        warnings=remembered.warnings,
        reduced_motion=remembered.reduced_motion,
        prefs_problem=remembered.problem,
        prefs_title=("A setting in settings.toml was not used (the file is left as it is)" if remembered.refused
                     else "settings.toml was not used (it is left as it is)"),
        first_safety=not remembered.told_safety,
    )


def run_session(options) -> int:
    """`heartline start`: straight into a session (the CLI has checked the options)."""
    app = start_app(options)
    app.run()
    return app.return_code or 0


def start_app(options, clock: Clock | None = None) -> HeartlineApp:
    """The one factory for `heartline start`: the command line runs it, tests inspect and drive it."""
    remembered = getattr(options, "prefs", None)  # the command line read settings.toml already
    if remembered is None:
        from heartline.sessions import prefs as prefs_store

        remembered = prefs_store.load(options.config_dir)
    plan = SessionPlan(
        **remembered.timing(),
        protocol=options.protocol,
        left=options.left or "",
        right=options.right or "",
        speak=options.speak,
        reflect=options.reflect,
        rounds=options.rounds,
        topic=options.topic or "",
        checkin=options.checkin,
        first=getattr(options, "first", None) or "",
        good_time=True,  # "Is now a good time?" first, in a ritual that asks it
    )
    if plan.left and plan.right and not plan.first:  # straight into a session: the other one from last time
        from heartline.sessions import recentcache

        try:
            records = recentcache.answer(options.data_dir)[0]  # kept as home keeps it: not every file stat'ed
        except OSError:
            records = []  # the folder's trouble is said where the session is saved; left starts
        plan = plan.taking_turns(records)
    config = _config(options, remembered)
    if clock is not None:
        config.clock = clock
    config.rituals = getattr(options, "rituals", None)
    app = HeartlineApp(config, plan)
    if options.left and options.right:  # remembered however they were given, once the session is on screen
        app.after_first_frame(partial(_remember_names, options.config_dir, options.left, options.right))
    return app


def _remember_names(config_dir: Path, left: str, right: str) -> None:
    from heartline.sessions import prefs

    remembered = prefs.load(config_dir)
    if not remembered.problem:
        try:
            prefs.save(config_dir, remembered.remember(left=left, right=right))
        except OSError:
            pass  # remembering is a kindness, not a reason to stop


def run_home(options) -> int:
    """`heartline`: the home screen."""
    app = HeartlineApp(_config(options))
    app.run()
    return app.return_code or 0

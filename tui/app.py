"""The heartline Textual app, built by one factory for the command line and the tests.

Everything that could make a run differ from the next (the clock, the data and
config folders, the bell, the random draw of prompts) comes in through
`AppConfig`, so tests and snapshots can freeze it.
"""

from __future__ import annotations

import asyncio
import random
import signal
from dataclasses import dataclass, field
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from heartline.sessions.clock import Clock, RealClock
from heartline.sessions.rituals import RitualSet, load_rituals
from heartline.sessions.setup import SessionPlan
from heartline.themes import DEFAULT as DEFAULT_THEME
from heartline.themes import load_themes


@dataclass
class AppConfig:
    data_dir: Path
    config_dir: Path
    clock: Clock = field(default_factory=RealClock)
    theme: str = DEFAULT_THEME
    bell: bool = True
    seed: int | None = None  # prompt draws; fixed in tests
    redraw_seconds: float = 0.25  # the countdown is derived from the clock; this only repaints
    nudge_seconds: float = 4.0


class HeartlineApp(App):
    """Two partners, one keyboard: the screens of heartline."""

    CSS_PATH = "global.tcss"
    TITLE = "heartline"
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (80, "-roomy")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (24, "-tall")]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit", show=False),
    ]

    def __init__(self, config: AppConfig, plan: SessionPlan | None = None) -> None:
        super().__init__()
        self.config = config
        self.plan = plan
        self.rituals: RitualSet = load_rituals(config.config_dir / "rituals")
        self.rng = random.Random(config.seed)
        self.bells = 0  # counted, because App.bell() is silent when headless
        self._warned: set[str] = set()
        themes, self.theme_errors = load_themes(config.config_dir / "themes")
        for theme in themes.values():
            self.register_theme(theme)
        self.theme = config.theme if config.theme in themes else DEFAULT_THEME

    def on_mount(self) -> None:
        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._hang_up)
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            pass  # not on the main thread (tests) or no such signal: ctrl+q still saves
        for problem in self.rituals.errors:
            self.notify(str(problem), title="A ritual file was skipped", severity="warning", timeout=10, markup=False)
        from .screens.home import HomeScreen

        plan = self.plan
        if plan is not None and plan.left and plan.right:
            from .screens.session import SessionScreen

            self.push_screen(SessionScreen(plan))
            return
        self.push_screen(HomeScreen())
        if plan is not None:  # `heartline start` without both names: the form, with what was given
            from .screens.setup import SetupScreen

            self.push_screen(SetupScreen(plan))

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

    def _hang_up(self) -> None:
        self.save_open_sessions()
        self.exit()

    async def action_quit(self) -> None:
        self.save_open_sessions()
        self.exit()


def _config(options) -> AppConfig:
    from heartline.sessions import prefs

    remembered = prefs.load(options.config_dir)
    return AppConfig(
        data_dir=options.data_dir,
        config_dir=options.config_dir,
        theme=options.theme or remembered.theme or DEFAULT_THEME,
        bell=remembered.bell,
    )


def run_session(options) -> int:
    """`heartline start`: straight into a session (the CLI has checked the options)."""
    plan = SessionPlan(
        protocol=options.protocol,
        left=options.left or "",
        right=options.right or "",
        speak=options.speak,
        reflect=options.reflect,
        rounds=options.rounds,
        topic=options.topic or "",
        checkin=options.checkin,
    )
    if options.left and options.right:  # names are remembered however they were given
        from heartline.sessions import prefs

        remembered = prefs.load(options.config_dir)
        if not remembered.problem:
            try:
                prefs.save(options.config_dir, remembered.remember(left=options.left, right=options.right))
            except OSError:
                pass  # remembering is a kindness, not a reason to stop
    app = HeartlineApp(_config(options), plan)
    app.run()
    return app.return_code or 0


def run_home(options) -> int:
    """`heartline`: the home screen."""
    app = HeartlineApp(_config(options))
    app.run()
    return app.return_code or 0

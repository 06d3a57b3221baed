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

from sessions.clock import Clock, RealClock
from sessions.rituals import RitualSet, load_rituals
from sessions.setup import SessionPlan
from themes import DEFAULT as DEFAULT_THEME
from themes import load_themes


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
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
    ]

    def __init__(self, config: AppConfig, plan: SessionPlan | None = None) -> None:
        super().__init__()
        self.config = config
        self.plan = plan
        self.rituals: RitualSet = load_rituals(config.config_dir / "rituals")
        self.rng = random.Random(config.seed)
        self.bells = 0  # counted, because App.bell() is silent when headless
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
            self.notify(str(problem), title="A ritual file was skipped", severity="warning", timeout=10)
        if self.plan is not None:
            from .screens.session import SessionScreen

            self.push_screen(SessionScreen(self.plan))
        else:
            from .screens.home import HomeScreen

            self.push_screen(HomeScreen())

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


def make_config(data_dir: Path, config_dir: Path, theme: str | None = None, **extra) -> AppConfig:
    return AppConfig(data_dir=data_dir, config_dir=config_dir, theme=theme or DEFAULT_THEME, **extra)


def run_session(options) -> int:
    """`heartline start`: straight into a session (the CLI has checked the options)."""
    from sessions import prefs

    config = make_config(options.data_dir, options.config_dir, options.theme, bell=prefs.load(options.config_dir).bell)
    plan = SessionPlan(
        protocol=options.protocol,
        left=options.left,
        right=options.right,
        speak=options.speak,
        reflect=options.reflect,
        rounds=options.rounds,
        topic=options.topic or "",
        checkin=options.checkin,
    )
    app = HeartlineApp(config, plan if options.left and options.right else None)
    if not (options.left and options.right):
        app.pending_plan = plan  # the setup screen opens with these filled in
    app.run()
    return app.return_code or 0


def run_home(options) -> int:
    """`heartline`: the home screen."""
    from sessions import prefs

    config = make_config(options.data_dir, options.config_dir, options.theme, bell=prefs.load(options.config_dir).bell)
    app = HeartlineApp(config)
    app.run()
    return app.return_code or 0

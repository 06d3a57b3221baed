"""The rituals available: what each is for and how long it takes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from heartline.sessions import prefs as prefs_store
from heartline.sessions.durations import human_duration
from heartline.sessions.engine import estimate_seconds
from heartline.sessions.setup import SessionPlan

from ..widgets.too_small import GuardedScreen


def usual_estimate(ritual, prefs: prefs_store.Prefs) -> int:
    """What setup says for this ritual before anything is changed there: the same plan from the same settings.

    (The ritual's bare lengths left out the closing appreciations and the
    remembered lengths: "about 24 min" here, "about 25 min" in setup.)
    """
    plan = SessionPlan(ritual.id, "", "", speak=prefs.speak or None, reflect=prefs.reflect or None,
                       rounds=prefs.rounds or None, closing_appreciation=prefs.closing_appreciation, **prefs.timing())
    return estimate_seconds(ritual, plan.settings(ritual))


class RitualsScreen(GuardedScreen, Screen):
    """A readable list; your own ritual files show here too, and broken ones say why."""

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="rituals.back"),
        Binding("f1,question_mark", "help", "Help", id="rituals.help", show=False),
    ]

    def action_help(self) -> None:
        """The general help; no session here, so nothing is paused."""
        from .dialogs import HelpScreen

        self.app.push_screen(HelpScreen(None))
    DEFAULT_CSS = """
    RitualsScreen VerticalScroll { padding: 1 2; }
    RitualsScreen .ritual { margin-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        prefs = prefs_store.load(self.app.config.config_dir)
        with VerticalScroll():
            yield Static(Text("Rituals — each about as long as when every turn takes all its time", style="bold"))
            for ritual in self.app.rituals:
                text = Text()
                text.append(f"{ritual.name}", style="bold")
                text.append(f"  ({ritual.id}) · about {human_duration(usual_estimate(ritual, prefs))}\n")
                text.append(ritual.description or ritual.summary)
                yield Static(text, classes="ritual")
            if self.app.rituals.errors:
                problems = Text("Skipped files\n", style="bold")
                for err in self.app.rituals.errors:
                    problems.append(f"  • {err}\n")
                yield Static(problems)
            yield Static(f"Add your own: drop a TOML file in {self.app.config.config_dir / 'rituals'}",
                         classes="muted", markup=False)
        yield Footer()

    def action_back(self) -> None:
        self.app.pop_screen()

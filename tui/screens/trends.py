"""Trends as pictures: how often you meet, how you felt, the floor, reflections, time-outs, rituals.

Textual's own `Sparkline` draws each series (one bar a session, oldest on the
left; with more sessions than cells, a bar is their mean, so years of them
still show a shape rather than a wall of maxima) and plain text bars show rituals and commitments: they need no extra
library, follow the theme, and keep to a few cells a row, so the whole view
fits 80×24. (textual-plotext would add axes, but at this size the axes would
take the room the pictures need, and it is one more dependency to install.)
Every picture is shared; the sentences come from `sessions/stats.py`.
"""

from __future__ import annotations

from statistics import fmean

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Sparkline, Static

from heartline.sessions import index, stats

from ..widgets.too_small import GuardedScreen

BAR = 20


def bar(part: float, whole: float, width: int = BAR) -> str:
    filled = round(width * part / whole) if whole > 0 else 0
    return "█" * filled + "░" * (width - filled)


class TrendsScreen(GuardedScreen, Screen):
    """Patterns over all sessions, or the last 10 or 30."""

    CSS_PATH = "trends.tcss"
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="trends.back"),
        Binding("f1,question_mark", "help", "Help", id="trends.help", show=False),
        Binding("a", "window(0)", "All", id="trends.all"),
        Binding("1", "window(10)", "Last 10", id="trends.last10"),
        Binding("3", "window(30)", "Last 30", id="trends.last30"),
    ]

    def action_help(self) -> None:
        """The general help; no session here, so nothing is paused."""
        from .dialogs import HelpScreen

        self.app.push_screen(HelpScreen(None))
    last: reactive[int] = reactive(0, init=False)

    ROWS = (
        ("gaps", "days between"),
        ("mood", "mood, lower change"),  # per session, the lower of the two: a drop is never averaged away
        ("balance", "time each one spoke"),
        ("reflections", "reflections confirmed"),
        ("timeouts", "time-outs taken"),
    )

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="trends"):
            yield Static(id="window")
            for key, label in self.ROWS:
                with Horizontal(classes="row"):
                    yield Static(label, classes="label")
                    yield Sparkline([], id=f"spark-{key}", summary_function=fmean)
                    yield Static(id=f"figure-{key}", classes="figure")
            yield Static(id="bars")
            yield Static(id="sentences")
        yield Footer()

    def on_mount(self) -> None:
        listing = index.load(self.app.config.data_dir)
        self.entries = listing.entries
        self.app.warn_damaged(listing.errors)
        self.show()

    def watch_last(self) -> None:
        self.show()

    def action_window(self, last: int) -> None:
        self.last = last

    def show(self) -> None:
        t = stats.compute(self.entries, self.last or None, now=self.app.config.clock.now())
        self.trends = t
        which = "all sessions" if not self.last else f"the last {self.last} sessions"
        self.query_one("#window", Static).update(
            Text(f"Trends over {which} ({t.sessions:,})", style="bold"))
        self.query_one("#sentences", Static).update(Text("\n".join(t.sentences)))
        left, right = t.names
        series = {
            "gaps": (t.gaps_days, f"usually {t.median_gap_days:g} days" if t.median_gap_days is not None else "–"),
            "mood": ([c + 5 for c in t.mood_lowest_change],  # shifted so a drop still draws a short bar
                     _lower_words(t)),
            "balance": (t.balance, f"{left} {round(100 * t.mean_balance)}% · {right} {100 - round(100 * t.mean_balance)}%"
                        if t.mean_balance is not None else "–"),
            "reflections": (t.reflections_per_session, f"{t.reflections_confirmed:,} in all"),
            "timeouts": (t.time_outs_per_session, f"{t.time_outs:,} in all"),
        }
        for key, (data, figure) in series.items():
            self.query_one(f"#spark-{key}", Sparkline).data = list(data)
            self.query_one(f"#figure-{key}", Static).update(Text(figure))
        text = Text()  # no "commitments kept: X of Y": that is a score
        if t.rituals:
            text.append("Rituals used\n", style="bold")
            names = {r.id: r.name for r in self.app.rituals}
            most = max(t.rituals.values())
            for rid, n in t.rituals.items():
                text.append("  ")
                text.append(_fit(names.get(rid, rid), 24))
                text.append(f" {bar(n, most)} {n}\n")
        if t.recurring_topics:
            text.append("Topics that come back\n", style="bold")
            for topic, n in t.recurring_topics[:6]:
                text.append("  ")
                text.append(_fit(topic, 50, pad=False))
                text.append(f" ({n} times)\n")
        self.query_one("#bars", Static).update(text)

    def action_back(self) -> None:
        self.app.pop_screen()


def _lower_words(t: stats.Trends) -> str:
    """How often one of you (never who) left lower; no average, which would hide it."""
    if not t.mood_sessions:
        return "no check-ins"
    if not t.one_left_lower:
        return "no one left lower"
    n = t.one_left_lower
    return f"lower in {n:,} session{'s' if n != 1 else ''}"


def _fit(words: str, width: int, pad: bool = True) -> Text:
    """A name in `width` cells: cut with an ellipsis, never mid-word without one ("Daily temperature readin")."""
    text = Text(words)
    text.truncate(width, overflow="ellipsis", pad=pad)
    return text

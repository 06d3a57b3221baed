"""The end of a session: what you did together, and where the file is.

Read together, never scored (DESIGN's "Care"): time together, the floor as one
bar between the two names, what was heard, thoughts held for later,
appreciations, commitments, and how each felt in their own words. The figures
come from `heartline.sessions.summary`, shared with every other view; names and
notes go in as `Text`, never as markup.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from heartline.sessions import outlook
from heartline.sessions.store import StoreError
from heartline.sessions.summary import summarize, together_words

from ..routes import Go
from ..widgets.figures import shared_summary
from ..widgets.too_small import GuardedScreen

class SummaryScreen(GuardedScreen, Screen):
    """Shown when a session ends, however it ended."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("enter,h", "home", "Home", id="home"),
        Binding("q", "quit_app", "Quit", id="quit-summary", show=False),
        Binding("r", "retry", "Try saving again", id="summary.retry"),
        Binding("e", "elsewhere", "Save elsewhere", id="summary.elsewhere"),
        # not keys of a session (no carried-over tap marks a topic): said in the words under the figures
        Binding("v", "outlook('solvable')", "We can solve this", id="summary.solvable", show=False),
        Binding("g", "outlook('gridlocked')", "This keeps coming back", id="summary.gridlocked", show=False),
        Binding("w", "dreams", "Dreams within conflict, next", id="summary.dreams", show=False),
    ]

    def __init__(self, record: dict, path: Path | None, error: str = "", saver=None) -> None:
        super().__init__()
        self.record, self.path, self.error = record, path, error
        self.saver = saver  # tui.saving.SessionSaver: how to try again when the first save failed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retry", "elsewhere"):
            return self.path is None and self.saver is not None
        if action == "outlook":
            return self.path is not None and bool(" ".join(str(self.record.get("topic", "")).split()))
        if action == "dreams":
            return self._offers_dreams()
        return True

    def _offers_dreams(self) -> bool:
        data = getattr(getattr(self.app, "config", None), "data_dir", None)
        try:
            return outlook.offers_dreams(self.record, data if self.path is not None else None,
                                         {r.id for r in self.app.rituals})
        except Exception:  # an index that cannot be read only means no offer
            return False

    def _outlook_words(self) -> Text:
        """The question after a talk on a topic, and what the couple said; the offer when it comes back."""
        kind = self.record.get("topic_outlook")
        text = Text()
        if kind in outlook.OUTLOOKS:
            text.append(f"You marked this topic together: {outlook.OUTLOOKS[kind]}.", style="bold")
            text.append("  (v or g changes it)")
        else:
            text.append("This topic, for the two of you: v  we can solve this  ·  g  this keeps coming back")
            text.append("\nBoth are normal: most couples have topics that come back, and live with them kindly.")
        if self._offers_dreams():
            text.append("\nw: next time, dreams within conflict: the dream or story behind each position, "
                        "asked both ways, without solving.")
        return text

    def _title(self) -> str:
        if self.record["status"] == "completed":
            return "Thank you both."
        if self.path is not None:
            return "You stopped early, and that is fine: all of it is kept."
        return "You stopped early, and that is fine."

    def _saved_line(self) -> str:
        """Where the record is, or plainly that it is not written, and what still holds it."""
        if self.path is not None:
            return f"Saved to {self.path}"
        kept = self.saver is not None and self.saver.journal_kept
        where = ("It is still here, and in its journal: if you leave, heartline offers it again when it next starts."
                 if kept else "It is only here, on this screen, until you leave it.")
        again = "\nr: try again · e: save it in another folder" if self.saver is not None else ""
        return f"This session could not be saved: {self.error}.\n{where}{again}"

    def compose(self) -> ComposeResult:
        rec = self.record
        title = self._title()
        with VerticalScroll(id="summary"):
            yield Static(title, id="title")
            ritual = self.app.rituals.get(rec["protocol"])
            subtitle = Text(f"{ritual.name if ritual else rec['protocol']} · {together_words(summarize(rec))}")
            if rec.get("topic"):
                subtitle.append(f" · “{' '.join(rec['topic'].split())}”")
            yield Static(subtitle, id="subtitle")
            yield Static(shared_summary(rec), id="shared")
            if self.path is not None and " ".join(str(rec.get("topic", "")).split()):
                yield Static(self._outlook_words(), id="outlook")
            yield Static(self._saved_line(), id="saved", classes="" if self.path else "-error", markup=False)
        yield Footer()

    def on_unmount(self) -> None:
        if self.saver is not None:
            self.saver.close()  # unsaved, the journal stays for the next start to offer

    def _refresh_saved(self) -> None:
        self.query_one("#title", Static).update(self._title())
        saved = self.query_one("#saved", Static)
        saved.update(self._saved_line())
        saved.set_class(self.path is None, "-error")
        self.refresh_bindings()

    def action_retry(self) -> None:
        self.path = self.saver.save()
        self.error = self.saver.error
        self._refresh_saved()

    def action_elsewhere(self) -> None:
        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.path = self.saver.save_elsewhere(folder)
                self.error = self.saver.error
                self._refresh_saved()

        self.post_message(Go("save-elsewhere", then=chosen))

    def action_home(self) -> None:
        if self.path is None and self.saver is not None and not self.saver.journal_kept:
            from .dialogs import ConfirmScreen

            def answer(leave: bool | None) -> None:
                if leave:
                    self.post_message(Go("home", switch=True))

            self.app.push_screen(ConfirmScreen("Leave without saving?", "This session is not saved anywhere yet.",
                                               yes="Leave", no="Stay"), answer)
            return
        self.post_message(Go("home", switch=True))

    def action_outlook(self, kind: str) -> None:
        """The couple's mark on the topic: a shared fact in the saved file, changed as often as they like."""
        try:
            self.record = outlook.mark(self.app.config.data_dir, self.record["id"], kind)
        except (ValueError, OSError, StoreError) as exc:
            self.notify(str(exc), title="The topic was not marked", severity="warning")
            return
        self.query_one("#outlook", Static).update(self._outlook_words())
        self.refresh_bindings()

    def action_dreams(self) -> None:
        from heartline.sessions.setup import SessionPlan

        names = {p["side"]: p["name"] for p in self.record["partners"]}
        plan = SessionPlan(outlook.DREAMS_RITUAL, names["left"], names["right"], topic=self.record["topic"])
        self.post_message(Go("setup", plan, switch=True))

    def action_quit_app(self) -> None:
        self.app.exit()

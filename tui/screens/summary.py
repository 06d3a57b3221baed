"""The end of a session: what you did together, and where the file is.

Read together, never scored (DESIGN's "Care"): time together, the floor as one
bar between the two names, what was heard, thoughts held for later,
appreciations, commitments, and how each felt in their own words. The figures
come from `heartline.sessions.summary`, shared with every other view; names and
notes go in as `Text`, never as markup.
"""

from __future__ import annotations

import copy
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from heartline.sessions import outlook
from heartline.sessions.store import StoreError
from heartline.sessions import keep as keeping
from heartline.sessions.summary import low_words, summarize, together_words

from .. import keys
from ..keys import default
from ..routes import Go
from ..widgets.figures import shared_summary
from ..widgets.too_small import GuardedScreen


KEEP_CHOICES = (  # (setting, key, words)
    ("shape", "1", "The shape: when, which ritual, the turns. None of your words."),
    ("words", "2", "Your words too: feelings, I-statements, thanks, commitments."),
    ("nothing", "3", "Nothing: no file at all. This summary is gone when you leave."),
)


class KeepQuestion:
    """What the couple keeps of a session, asked at its end: the choice, then what needs both to say yes.

    Plain state (no widget), so it is tested without a screen: `choose` a
    setting; then, one at a time, the questions that need both partners'
    yes (the check-in moods as numbers; with `words`, the topics for later).
    A "no" from either, or escape, is a no.
    """

    def __init__(self, record: dict, keep: str) -> None:
        self.record, self.keep = record, keep
        self.moods: bool | None = None if keeping.has_moods(record) else False
        self.topics: bool | None = None if keeping.has_topics(record) else False
        self.yes: set[str] = set()

    def choose(self, keep: str) -> None:
        self.keep = keep
        self.yes = set()

    @property
    def asking(self) -> str:
        """"moods", "topics" or "" (nothing left to ask for this choice)."""
        if self.keep == "nothing":
            return ""
        if self.moods is None:
            return "moods"
        if self.keep == "words" and self.topics is None:
            return "topics"
        return ""

    def answer(self, side: str, yes: bool) -> bool:
        """One partner's answer to the question asked now; True when it is settled."""
        asking = self.asking
        if not asking:
            return False
        if yes:
            self.yes.add(side)
        if not yes or self.yes >= {"left", "right"}:
            setattr(self, asking, yes and self.yes >= {"left", "right"})
            self.yes = set()
            return True
        return False

    def result(self) -> tuple[str, bool, bool]:
        return self.keep, bool(self.moods), bool(self.topics) and self.keep == "words"


class SummaryScreen(GuardedScreen, Screen):
    """Shown when a session ends, however it ended; asks what the couple keeps of it."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("enter,h,escape", "home", "Home", id="home"),
        Binding("q", "quit_app", "Quit", id="quit-summary", show=False),
        Binding("r", "retry", "Try saving again", id="summary.retry"),
        Binding("e", "elsewhere", "Save elsewhere", id="summary.elsewhere"),
        # not keys of a session (no carried-over tap marks a topic): said in the words under the figures
        Binding("v", "outlook('solvable')", "We can solve this", id="summary.solvable", show=False),
        Binding("g", "outlook('gridlocked')", "This keeps coming back", id="summary.gridlocked", show=False),
        Binding("w", "dreams", "Dreams within conflict, next", id="summary.dreams", show=False),
        Binding("1", "keep('shape')", "Keep the shape", id="summary.keep-shape", show=False),
        Binding("2", "keep('words')", "Keep your words too", id="summary.keep-words", show=False),
        Binding("3", "keep('nothing')", "Keep nothing", id="summary.keep-nothing", show=False),
        # after a low check-out (or a low check-in you stopped at): the safety page, a key away
        Binding(default("session.safety"), "safety", "Is this right for us?", id="session.safety", show=False),
        Binding(default("left.done"), "agree('left', True)", "Left partner: yes", id="left.done", show=False),
        Binding(default("right.done"), "agree('right', True)", "Right partner: yes", id="right.done", show=False),
        Binding(default("left.not-quite"), "agree('left', False)", "Left partner: no", id="left.not-quite",
                show=False),
        Binding(default("right.not-quite"), "agree('right', False)", "Right partner: no", id="right.not-quite",
                show=False),
    ]

    def __init__(self, record: dict, path: Path | None, error: str = "", saver=None) -> None:
        super().__init__()
        self.record, self.path, self.error = keeping.strip(copy.deepcopy(record)), path, error
        self.saver = saver  # tui.saving.SessionSaver: how to try again when the first save failed
        self.question = KeepQuestion(self.record, saver.keep) if self._may_ask() else None

    def _may_ask(self) -> bool:
        """Asked when the record is in heartline's own folder, or nothing was kept (not after a failure)."""
        saver = self.saver
        if saver is None or not hasattr(saver, "rekeep"):
            return False
        if saver.kept_nothing:
            return True
        return self.path is not None and self.path.parent == Path(saver.data_dir) / "sessions"

    @property
    def kept_nothing(self) -> bool:
        return self.saver is not None and getattr(self.saver, "kept_nothing", False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retry", "elsewhere"):
            return self.path is None and self.saver is not None and not self.kept_nothing
        if action == "keep":
            return self.question is not None
        if action == "agree":
            return self.question is not None and bool(self.question.asking)
        if action == "outlook":
            return self.path is not None and bool(" ".join(str(self.record.get("topic", "")).split()))
        if action == "dreams":
            return self._offers_dreams()
        if action == "safety":
            return bool(self._low_words())
        return True

    def _low_words(self) -> str:
        """The gentle word after a low check-out (never who), or "" when nobody felt low."""
        return low_words(summarize(self.record))

    def _gentle(self) -> Text:
        text = Text(self._low_words())
        text.append(f"\n{keys.current().first('session.safety')}: is this right for us?", style="bold")
        return text

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
            return "You stopped early, and that is fine: it is kept as you chose."
        return "You stopped early, and that is fine."

    def _saved_line(self) -> str:
        """Where the record is, or plainly that it is not written, and what still holds it."""
        if self.kept_nothing:
            return "Nothing of this session is kept: no file, no journal. This summary is gone when you leave."
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
            if self._low_words():
                yield Static(self._gentle(), id="gentle")
            if self.question is not None:
                yield Static(self._keep_text(), id="keep")
            yield Static(shared_summary(rec), id="shared")
            notes_line = self._notes_words()
            if notes_line:
                yield Static(notes_line, id="notes-kept", markup=False)
            if " ".join(str(rec.get("topic", "")).split()):
                words = Static(self._outlook_words(), id="outlook")
                words.display = self.path is not None
                yield words
            yield Static(self._saved_line(), id="saved", classes=self._saved_class(), markup=False)
        yield Footer()

    def _notes_words(self) -> str:
        """What becomes of the written notes above: true whichever of 1, 2 or 3 is chosen (the notes stay on screen)."""
        if not summarize(self.record).notes():
            return ""
        if self.question is None:  # no choice to make here: say it only when the words are not in the file
            keep = getattr(self.saver, "keep", None)
            return "" if keep in (None, "words") else "These notes are in no file: they are here until you leave."
        line = "These notes go in the file only with 2 (your words too)"
        if keeping.has_topics(self.record):
            line += "; topics for later only if you both say yes"
        return line + "."

    def _saved_class(self) -> str:
        return "" if self.path or self.kept_nothing else "-error"

    def _keep_text(self) -> Text:
        """The question, the three choices (the one in use marked, not by colour alone) and what needs both."""
        q = self.question
        names = {p["side"]: " ".join(str(p["name"]).split()) for p in self.record["partners"]}
        text = Text()
        text.append("What do you keep of this session? ", style="bold")
        text.append(self._choose_hint())
        for setting, key, words in KEEP_CHOICES:
            mark = "▶" if q.keep == setting else " "
            text.append(f" {mark} {key} {words}\n", style="bold" if q.keep == setting else "")
        asking = q.asking
        yes_keys = f"{keys.key('left', 'done')} / {keys.key('right', 'done')}"
        no_keys = f"{keys.key('left', 'not-quite')} / {keys.key('right', 'not-quite')}"
        if asking == "moods":
            text.append("Keep your check-in numbers? Only if you both say yes.\n", style="bold")
        elif asking == "topics":
            text.append("Keep these topics for later? You'll both see them.\n", style="bold")
            for note in self.record["notes"]:
                if note.get("kind") in keeping.TOPIC_KINDS and str(note.get("text", "")).strip():
                    text.append(f"   • {' '.join(str(note['text']).split())}\n")
        if asking:
            said = " · ".join(f"{names[side]}: {'yes ✓' if side in q.yes else '…'}" for side in ("left", "right"))
            text.append(f"   {yes_keys}: yes · {no_keys}: no   ({said})\n")
        else:
            kept = []
            if q.keep != "nothing" and keeping.has_moods(self.record):
                kept.append("the check-in numbers kept" if q.moods else "no check-in numbers")
            if q.keep == "words" and keeping.has_topics(self.record):
                kept.append("the topics for later kept" if q.topics else "no topics for later")
            if kept:
                text.append(f"   ({', '.join(kept)})\n")
        return text

    def _choose_hint(self) -> str:
        return "(1, 2 or 3, until you leave)\n"

    def _kept(self) -> None:
        """Write the record again with what is kept now (or remove it), and say so."""
        keep, moods, topics = self.question.result()
        self.path = self.saver.rekeep(keep, topics=topics, moods=moods)
        self.error = self.saver.error
        mark = self.record.get("topic_outlook")
        if mark and self.path is not None:  # the file was written anew: the couple's mark on the topic stays
            try:
                outlook.mark(self.app.config.data_dir, self.record["id"], mark)
            except (ValueError, OSError, StoreError) as exc:
                self.notify(str(exc), title="The topic's mark was not kept", severity="warning")
        self._show_outlook()
        self.query_one("#keep", Static).update(self._keep_text())
        self._refresh_saved()

    def action_keep(self, keep: str) -> None:
        if self.question.keep == keep:
            return
        self.question.choose(keep)
        self._kept()

    def action_agree(self, side: str, yes: bool) -> None:
        if self.question.answer(side, yes):
            self._kept()
        else:
            self.query_one("#keep", Static).update(self._keep_text())

    def on_unmount(self) -> None:
        if self.saver is not None:
            self.saver.close()  # unsaved, the journal stays for the next start to offer

    def _refresh_saved(self) -> None:
        self.query_one("#title", Static).update(self._title())
        saved = self.query_one("#saved", Static)
        saved.update(self._saved_line())
        saved.set_class(self._saved_class() == "-error", "-error")
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
        if getattr(self, "_leaving", False):
            return  # Enter twice in one read: home once (a second switch replaced a home not yet built)
        if self.path is None and self.saver is not None and not self.saver.journal_kept and not self.kept_nothing:
            from .dialogs import ConfirmScreen

            def answer(leave: bool | None) -> None:
                if leave:
                    self.post_message(Go("home", switch=True))

            self.app.push_screen(ConfirmScreen("Leave without saving?", "This session is not saved anywhere yet.",
                                               yes="Leave", no="Stay"), answer)
            return
        self._leaving = True
        self.post_message(Go("home", switch=True))

    def action_outlook(self, kind: str) -> None:
        """The couple's mark on the topic: a shared fact in the saved file, changed as often as they like."""
        try:
            marked = outlook.mark(self.app.config.data_dir, self.record["id"], kind)
        except (ValueError, OSError, StoreError) as exc:
            self.notify(str(exc), title="The topic was not marked", severity="warning")
            return
        self.record["topic_outlook"] = marked.get("topic_outlook")  # the words on screen stay as they were
        self._show_outlook()
        self.refresh_bindings()

    def _show_outlook(self) -> None:
        """The topic question only while there is a saved file to mark."""
        for widget in self.query("#outlook").results(Static):
            widget.display = self.path is not None
            widget.update(self._outlook_words())

    def action_dreams(self) -> None:
        from heartline.sessions.setup import SessionPlan

        names = {p["side"]: p["name"] for p in self.record["partners"]}
        plan = SessionPlan(outlook.DREAMS_RITUAL, names["left"], names["right"], topic=self.record["topic"])
        self.post_message(Go("setup", plan, switch=True))

    def action_safety(self) -> None:
        self.post_message(Go("safety"))

    def action_quit_app(self) -> None:
        self.app.exit()

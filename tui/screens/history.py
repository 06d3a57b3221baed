"""Past sessions, newest first: type to filter, enter opens one in full, delete moves it to the trash.

Rows come from the index (`sessions/index.py`), so opening this screen reads
no record; only the session opened is read from its file. Columns give way
in a fixed order as the window narrows (the ritual's name and the topic are
shortened first, then "how it ended" takes its short words); nothing is
dropped at 80×24.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from heartline.sessions import index, store
from heartline.sessions.export import clock_time, file_name, timeline, to_markdown, to_svg, to_toml
from heartline.sessions.files import write_private

from ..cells import cut
from ..widgets.figures import summary_table
from ..widgets.session_table import SessionTable
from ..widgets.too_small import GuardedScreen

ENDED = {"completed": ("completed", "done"), "ended-early": ("ended early", "early"),
         "recovered": ("recovered", "recovered"), "not-started": ("not started", "not started")}
BALANCE_CELLS = 6


def balance_bar(entry: dict, cells: int = BALANCE_CELLS) -> str:
    """One shared bar: the left partner's share of the floor filled from the left, the right's after it."""
    left, right = (p["speaking_seconds"] for p in entry["partners"])
    if left <= 0 or right <= 0 or entry.get("status") == "not-started":  # barely held: no bar (summary.balance_shown)
        return "·" * cells
    filled = round(cells * left / (left + right))
    return "█" * filled + "░" * (cells - filled)


def felt(entry: dict) -> str:
    """'3→4 2→4': each partner's mood before → after, left first; '–' where not asked."""
    parts = []
    for p in entry["partners"]:
        if "mood_before" not in p and "mood_after" not in p:
            return "–"
        parts.append(f"{p.get('mood_before', '–')}→{p.get('mood_after', '–')}")
    return " ".join(parts)


def minutes(seconds: float) -> str:
    return f"{max(1, round(seconds / 60))} min" if seconds >= 30 else "<1 min"


def _fit(text: str, width: int) -> str:
    """In `width` cells (the table crops what is wider, without an ellipsis): a CJK character or emoji takes two."""
    return cut(" ".join(text.split()), max(1, width))


def layout(width: int) -> dict[str, int]:
    """Column widths for a table `width` cells wide (two cells of padding a column, a scrollbar)."""
    wide = width >= 110
    fixed = {"when": 16 if wide else 11, "ritual": 26 if wide else 9, "length": 6, "floor": BALANCE_CELLS,
             "felt": 7, "ended": 12 if wide else 9}
    spare = width - 2 - 2 * (len(fixed) + 1) - sum(fixed.values())
    fixed["topic"] = max(8, spare)
    return fixed


class _Rows(Sequence):
    """The table's rows, formatted only when drawn (and then kept): opening 20,000 costs nothing more."""

    def __init__(self, entries: list, cache: dict[int, tuple], cells: Callable[[index.Row], tuple]) -> None:
        self.entries, self.cache, self.cells = entries, cache, cells

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index):  # type: ignore[override]
        entry = self.entries[index]
        key = id(entry)  # the same row object while this listing is shown
        row = self.cache.get(key)
        if row is None:
            row = self.cache[key] = self.cells(entry)
        return row


class HistoryScreen(GuardedScreen, Screen):
    """Every past session as a row; the index keeps it fast with years of them."""

    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="history.back"),
        Binding("enter", "open", "Open", id="history.open", show=False),
        Binding("delete", "trash", "Delete…", id="history.trash"),
        Binding("f2", "handoff", "For a therapist", id="history.handoff"),
        Binding("f1", "help", "Help", id="history.help", show=False),  # ? is typed into the filter
    ]

    def action_help(self) -> None:
        """The general help; no session here, so nothing is paused."""
        from .dialogs import HelpScreen

        self.app.push_screen(HelpScreen(None))
    COLUMNS = (("when", "when"), ("ritual", "ritual"), ("topic", "topic"), ("length", "length"),
               ("floor", "spoke"), ("felt", "felt"), ("ended", "how it ended"))

    def compose(self) -> ComposeResult:
        yield Static(id="count")
        yield Input(placeholder="type to filter by topic, ritual, name or a note's words", id="filter", select_on_focus=False)
        yield SessionTable(id="sessions")
        yield Static("type to filter · enter opens · delete: to the trash, or for good",
                     id="history-hint", classes="muted")
        yield Footer()

    def on_mount(self) -> None:
        self.entries: list[index.Row] = []
        self.shown: list[index.Row] = []
        self._layout: dict[str, int] = {}
        self._words: list[str] = []
        self.reload()
        self.query_one(SessionTable).focus()

    def reload(self) -> None:
        listing = index.load(self.app.config.data_dir)
        self.entries = listing.entries
        self._cache: dict[int, tuple] = {}
        self._this_year = f"{self.app.config.clock.now():%Y}"
        names = {r.id: r.name for r in self.app.rituals}
        self._ritual = {protocol: names.get(protocol, protocol) for protocol in {e[index.PROTOCOL] for e in self.entries}}
        # what a filter looks in, lower-cased once: a keystroke is then one substring test a session
        ritual = self._ritual
        self._haystack = [f"{topic}\t{protocol}\t{ritual[protocol]}\t{left[0]}\t{right[0]}\t{words}".casefold()
                          for _, _, _, _, protocol, topic, _, _, _, _, _, _, left, right, words, *_ in self.entries]
        self._words = []
        self._matching = list(range(len(self.entries)))
        self.app.warn_damaged(listing.errors)
        self.refill()

    def on_resize(self) -> None:
        if hasattr(self, "entries") and layout(self.size.width) != self._layout:
            self.refill()

    def _cells(self, e: index.Row, widths: dict[str, int]) -> tuple:
        wide = widths["when"] > 11
        started, protocol, topic, status, seconds = (e[index.STARTED], e[index.PROTOCOL], e[index.TOPIC],
                                                     e[index.STATUS], e[index.DURATION])
        if wide:
            when = started[:16].replace("T", " ")
        elif started[:4] == self._this_year:  # "11-26 19:05": two sessions of one day told apart
            when = f"{started[5:10]} {started[11:16]}"
        else:
            when = started[:10]  # another year: its date in full
        status = ENDED.get(status, (status, status))[0 if wide else 1]
        return (when, _fit(self._ritual[protocol], widths["ritual"]), _fit(topic, widths["topic"]) or "—",
                minutes(seconds), balance_bar(e), felt(e), status)

    def _match(self, words: list[str]) -> list[int]:
        """The positions of the sessions holding every word; narrowed from the last answer while typing on."""
        previous, hay = self._words, self._haystack
        if previous and len(words) >= len(previous) and all(
                old in new for old, new in zip(previous, words[:len(previous)])):
            candidates = self._matching  # every earlier word is inside a new one: only earlier matches can match
        else:
            candidates = range(len(hay))
        if len(words) == 1:
            word = words[0]
            return [n for n in candidates if word in hay[n]]
        return [n for n in candidates if all(w in hay[n] for w in words)]

    def refill(self) -> None:
        """Fill the table with the sessions that match the filter, keeping the cursor on the same one if shown."""
        table = self.query_one(SessionTable)
        widths = layout(self.size.width or self.app.size.width)
        keep = self.highlighted()
        if widths != self._layout:
            labels = tuple("ended" if key == "ended" and widths["when"] <= 11 else label for key, label in self.COLUMNS)
            table.set_columns(labels, tuple(widths[key] for key, _ in self.COLUMNS))
            self._layout = widths
            self._cache = {}
        words = self.query_one("#filter", Input).value.casefold().split()
        if words != self._words:
            self._matching = self._match(words) if words else list(range(len(self.entries)))
            self._words = words
        entries = self.entries
        self.shown = [entries[n] for n in self._matching] if words else entries
        cursor = 0
        if keep is not None:  # the same row, or after a reload the same session
            cursor = next((n for n, e in enumerate(self.shown) if e is keep), None)
            if cursor is None:
                sid = keep[index.ID]
                cursor = next((n for n, e in enumerate(self.shown) if e[index.ID] == sid), 0)
        table.set_rows(_Rows(self.shown, self._cache, lambda e: self._cells(e, widths)), cursor)
        total = len(self.entries)
        if not total:
            count = "No sessions yet. When you have had one, it shows here."
        elif words:
            count = f"{len(self.shown):,} of {total:,} sessions match."
        else:
            count = f"{total:,} session{'s' if total != 1 else ''}, newest first. " \
                    "Spoke: who talked how long, the left one from the left; felt: before→after, left then right."
        self.query_one("#count", Static).update(count)

    def highlighted(self) -> index.Row | None:
        """The session under the cursor, if any is shown."""
        table = self.query_one(SessionTable)
        shown = getattr(self, "shown", [])
        if not shown or not 0 <= table.cursor_row < len(shown):
            return None
        return shown[table.cursor_row]

    def highlighted_id(self) -> str | None:
        entry = self.highlighted()
        return None if entry is None else entry[index.ID]

    # ----- typing filters; arrows, enter and delete act on the table ----

    def on_key(self, event) -> None:
        table = self.query_one(SessionTable)
        box = self.query_one("#filter", Input)
        if self.focused is table and event.is_printable and event.character and event.character.isprintable():
            box.focus()
            box.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()
        elif self.focused is box and event.key in ("down", "up", "pagedown", "pageup"):
            table.focus()
        elif self.focused is box and event.key == "escape" and box.value:
            box.value = ""
            table.focus()
            event.stop()
            event.prevent_default()

    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        self.refill()

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.action_open()

    @on(SessionTable.Selected)
    def row_selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        entry = self.highlighted()
        if entry is None:
            return
        path = index.path_of(self.app.config.data_dir, entry)
        try:
            record = store.load_record(path)
        except store.StoreError as exc:
            self.notify(str(exc), title="This session cannot be opened", severity="warning")
            return
        self.app.push_screen(SessionDetail(record), callback=self._back_from_detail)

    def _back_from_detail(self, changed: bool | None) -> None:
        if changed:
            self.reload()

    def action_trash(self) -> None:
        sid = self.highlighted_id()
        if sid is None:
            return
        from .dialogs import DeleteScreen

        def answered(choice: str | None) -> None:
            if choice == "trash":
                self.trash(sid)
            elif choice == "for-good":
                self.delete_for_good(sid)

        entry = self.highlighted()
        what = f"{entry[index.STARTED][:16].replace('T', ' ')}, {self._ritual[entry[index.PROTOCOL]]}"
        self.app.push_screen(DeleteScreen(what), answered)

    def trash(self, sid: str) -> None:
        try:
            entry = next(e for e in self.entries if e[index.ID] == sid)
            moved = store.move_to_trash(self.app.config.data_dir, sid, entry[index.FILE])
        except (store.StoreError, OSError) as exc:
            self.notify(str(exc), title="The session was not moved", severity="warning")
            return
        self.notify(f"Moved to {moved}", title="In the trash")
        self.reload()

    def action_handoff(self) -> None:
        """A hand-off to a therapist of the sessions listed (type to narrow them): made only when both agree."""
        records = []
        for entry in self.shown:
            try:
                records.append(store.load_record(index.path_of(self.app.config.data_dir, entry)))
            except store.StoreError:
                continue  # a damaged file is left out; the rest can still go
        if not records:
            self.notify("There are no sessions listed to hand off.", title="For a therapist")
            return
        from ..routes import Go

        self.post_message(Go("handoff", records, then=lambda handoff: self._handed_off(records, handoff)))

    def _handed_off(self, records: list[dict], handoff) -> None:
        from heartline.sessions.handoff import build
        from heartline.sessions.rituals import load_rituals
        from heartline.sessions import paths

        if handoff is None or not handoff.both_agree:
            self.notify("Nothing was made.", title="For a therapist")
            return
        names = {r.id: r.name for r in load_rituals(paths.rituals_dir(self.app.config.config_dir))}
        folder = Path(self.app.config.data_dir) / "exports"
        stamp = max(r["started_at"] for r in records).strftime("%Y%m%d")
        path, n = folder / f"for-therapist-{stamp}.md", 1
        while path.exists():  # never over an earlier one
            n += 1
            path = folder / f"for-therapist-{stamp}-{n}.md"
        try:
            write_private(path, build(records, handoff, names), overwrite=False)
        except (OSError, ValueError) as exc:
            self.notify(str(exc), title="Not written", severity="warning")
            return
        self.notify(str(path), title="Written, readable only by you")

    def delete_for_good(self, sid: str) -> None:
        try:
            entry = next(e for e in self.entries if e[index.ID] == sid)
            store.delete_for_good(self.app.config.data_dir, sid, entry[index.FILE])
        except (store.StoreError, OSError) as exc:
            self.notify(str(exc), title="The session was not deleted", severity="warning")
            return
        self.notify("The session, its exports and its line in the list are gone.", title="Deleted for good")
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()


class SessionDetail(GuardedScreen, Screen[bool]):
    """One session in full: who and what, the shared figures once, the timeline, the notes."""

    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="detail.back"),
        Binding("e", "export", "Export", id="detail.export"),
        Binding("f1,question_mark", "help", "Help", id="detail.help", show=False),
    ]

    def action_help(self) -> None:
        """The general help; no session here, so nothing is paused."""
        from .dialogs import HelpScreen

        self.app.push_screen(HelpScreen(None))

    def __init__(self, record: dict) -> None:
        super().__init__()
        self.record = record

    def ritual_name(self) -> str:
        ritual = self.app.rituals.get(self.record["protocol"])
        return ritual.name if ritual else self.record["protocol"]

    def compose(self) -> ComposeResult:
        from heartline.sessions.durations import human_duration
        from heartline.sessions.export import NOTE_TITLES, STATUS_WORDS

        r = self.record
        left, right = (p["name"] for p in r["partners"])
        with VerticalScroll(id="detail"):
            head = Text(f"{left} & {right}", style="bold")
            head.append(f" — {r['started_at']:%A %-d %B %Y, %H:%M}", style="")
            yield Static(head)
            about = Text(f"{self.ritual_name()} · {human_duration(r['duration_seconds'])} · "
                         f"{STATUS_WORDS.get(r['status'], r['status'])}")
            if r["topic"]:
                about.append("\nTopic: ")
                about.append(r["topic"])
            yield Static(about, classes="about")
            yield Static(summary_table(r), classes="figures")
            yield Static(Text("Timeline", style="bold"), classes="heading")
            rows = Text()
            for offset, words in timeline(r):
                rows.append(f"{clock_time(offset):>7}  ", style="dim")
                rows.append(words + "\n")
            yield Static(rows or Text("No turns were taken."), classes="timeline")
            kinds: dict[str, list[dict]] = {}
            for note in r["notes"]:
                kinds.setdefault("parking-lot" if note["kind"] == "topic-for-later" else note["kind"], []).append(note)
            names = {"left": left, "right": right, "both": f"{left} & {right}"}
            for kind, notes in kinds.items():
                yield Static(Text(NOTE_TITLES.get(kind, kind.replace("-", " ").capitalize()), style="bold"),
                             classes="heading")
                text = Text()
                for note in notes:
                    box = {"kept": "[kept] ", "open": ""}.get(note.get("status", ""), "")
                    if "by" in note:  # a commitment's owner; other notes keep no author
                        text.append(f"• {box}{names.get(note['by'], note['by'])}: ")
                    else:
                        text.append(f"• {box}")
                    text.append(note["text"] + "\n")
                yield Static(text, classes="notes")
        yield Footer()

    def action_export(self) -> None:
        self.app.push_screen(ExportScreen(), self._export)

    def _export(self, fmt: str | None) -> None:
        if not fmt:
            return
        record = self.record
        text = {"md": lambda: to_markdown(record, self.ritual_name()), "toml": lambda: to_toml(record),
                "svg": lambda: to_svg(record, self.ritual_name())}[fmt]()
        folder = Path(self.app.config.data_dir) / "exports"
        path, n = folder / file_name(record, fmt), 1
        while path.exists():  # never over an earlier export
            n += 1
            path = folder / f"{record['id']}-{n}.{fmt}"
        try:
            write_private(path, text, overwrite=False)
        except OSError as exc:
            self.notify(str(exc), title="Not exported", severity="warning")
            return
        self.exported = path
        self.notify(str(path), title="Exported")

    def action_back(self) -> None:
        self.dismiss(False)


class ExportScreen(GuardedScreen, ModalScreen[str | None]):
    """Which kind of file: Markdown to read or print, TOML as saved, or an SVG picture."""

    CSS_PATH = "history.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="box"):
            yield Static(Text("Export this session", style="bold"))
            yield OptionList(
                Option("Markdown: to read, print or take to a counsellor", id="md"),
                Option("SVG: a picture of the summary and timeline", id="svg"),
                Option("TOML: the file exactly as saved", id="toml"),
                id="formats",
            )
            yield Static("enter: export · escape: cancel. Files go to the exports folder, readable only by you.",
                         classes="muted")

    def on_mount(self) -> None:
        formats = self.query_one(OptionList)
        formats.highlighted = 0
        formats.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)

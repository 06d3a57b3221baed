"""The README's key tables are complete and true: every binding of every screen is there, under its screen.

Issue 16 found keys that existed and were not in "The keys" (`c` for a gentler talk, `i` for the safety page,
`a` for the time to come back). A screen or key added later without its line in the README fails here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from textual.binding import Binding
from textual.keys import format_key

import heartline.tui.screens as screens_pkg
from heartline.tui import keys
from heartline.tui.app import HeartlineApp

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SECTION = README.split("\n## The keys\n", 1)[1].split("\n## The command line\n", 1)[0]

# The main table: keys of a session (its screen, the time-out over it, the app's keys, a question, the list of
# repair phrases: its numbers and escape, which the table names already; the rituals branch brings it).
SESSION = {"SessionScreen", "TimeoutScreen", "ConfirmScreen", "RepairScreen"}
# Every other screen: the row of "Keys on the other screens" that lists its keys.
OTHER = {
    "HomeScreen": "Home", "SetupScreen": "Setup", "ListSelect": "Setup", "SummaryScreen": "Summary",
    "HistoryScreen": "Past sessions", "SessionDetail": "A session in full", "DeleteScreen": "Delete",
    "ExportScreen": "Export, Save elsewhere", "SaveElsewhereScreen": "Export, Save elsewhere",
    "TrendsScreen": "Trends", "RitualsScreen": "Rituals", "SettingsScreen": "Settings",
    "HandoffScreen": "For a therapist", "AgreeScreen": "For a therapist", "RecoverScreen": "An unfinished session",
    "HelpScreen": "Help", "SafetyScreen": "Is this right for us?", "NoteScreen": "A note box, the return time",
    "IStatementScreen": "A note box, the return time", "ReturnTimeScreen": "A note box, the return time",
    "ConnectScreen": "Apart, connecting", "LaterScreen": "Later, within a day",
}


def _classes_with_bindings() -> dict[str, list[Binding]]:
    modules = [importlib.import_module(f"heartline.tui.screens.{m.name}") for m in pkgutil.iter_modules(screens_pkg.__path__)]
    modules.append(importlib.import_module("heartline.tui.apart.screens"))
    found: dict[str, list[Binding]] = {}
    for module in modules:
        for name, cls in inspect.getmembers(module, inspect.isclass):
            own = cls.__dict__.get("BINDINGS")
            if cls.__module__ == module.__name__ and own:
                found[name] = [b for b in own if isinstance(b, Binding)]
    return found


def _tokens(text: str) -> set[str]:
    """Every key written in backticks (`1 2 3 4 5` is five keys)."""
    return {t for chunk in re.findall(r"`([^`]+)`", text) for t in chunk.split()}


def _names(binding: Binding) -> list[set[str]]:
    """Each key of a binding, as the names a person may read it by ("escape" or "esc", "question_mark" or "?")."""
    return [{k, format_key(k), keys.show(k)} for k in (part.strip() for part in binding.key.split(","))]


def _table(header: str) -> list[str]:
    lines = SECTION.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def _missing(bindings: list[Binding], text: str) -> list[str]:
    written = _tokens(text)
    return [f"{b.key} ({b.description})" for b in bindings for names in _names(b) if not names & written]


def test_every_screen_with_keys_is_in_the_readme():
    assert set(_classes_with_bindings()) - SESSION - set(OTHER) == set()


def test_the_keys_table_holds_every_key_of_a_session():
    found = _classes_with_bindings()
    table = "\n".join(_table("| action |"))
    bindings = [b for name in SESSION for b in found.get(name, [])] + [b for b in HeartlineApp.BINDINGS if isinstance(b, Binding)]
    assert _missing(bindings, table) == []


def test_each_other_screen_lists_its_keys_on_its_own_row():
    rows = {line.split("|")[1].strip(): line for line in _table("| screen |")}
    found = _classes_with_bindings()
    for name, label in OTHER.items():
        assert label in rows, label
        assert _missing(found.get(name, []), rows[label]) == [], (name, label)


def test_every_key_id_of_the_keymap_is_named_in_the_readme():
    assert "(and the same for `right.`)" in README
    ids = {i.replace("right.", "left.", 1) for i in keys.SPECS}  # "the same for right."
    ids -= {f"left.mood-{n}" for n in range(2, 5)}  # "left.mood-1 … left.mood-5"
    assert sorted(i for i in ids if f"`{i}`" not in README) == []


def test_the_main_table_says_what_c_i_and_a_do():
    rows = _table("| action |")
    for key, words in (("c", "gentler"), ("i", "is this right for us?"), ("a", "agree a time to come back")):
        assert any(f"`{key}`" in row and words in row for row in rows), key

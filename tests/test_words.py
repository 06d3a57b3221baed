"""Words that must never be shown (DESIGN's "Care"): over the app's strings, every screen of a session, every export."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from heartline.sessions.export import to_markdown, to_svg
from heartline.sessions.summary import shared_lines, summarize
from tests.records import make_record

NEVER = ("fail", "score", "streak", "wrong", "loser", "winner")
PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in NEVER) + r")", re.IGNORECASE)
SHOUTING = re.compile(r"\b[A-Z]{4,}(?: [A-Z]{2,})+\b")  # "WAITING FOR A YES", "TIME — please"
ROOT = Path(__file__).resolve().parent.parent
# Words issue 16 took out: each blamed, hurried, scored or averaged a partner away. Never shown again.
REMOVED = (
    "the part they missed",  # "Say again, briefly, the part they missed." blames the listener
    "Not quite yet",
    "Hold the thought",  # the blocked listener is not asked to hold anything; a topic is parked
    "jot it down",
    "felt, on average",  # per-name averages in trends
    "heard the first time",
    "commitments kept",  # "X of Y" is a score
    "about as you came in",  # said when one went 2→1 and the other 4→5
    "hearing each other",  # said over a session one of you left "unheard"
    "on average you both",
    "raised a hand",  # "Jon raised a hand — when you're ready." hurried the speaker; the key now does nothing
    "raise hand",
    "raise a hand",
)


def shown_strings(path: Path) -> list[str]:
    """String literals a person could read: not docstrings, not keys, ids or imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_app_string_holds_a_never_word():
    found = []
    for folder in ("tui", "sessions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for text in shown_strings(path):
                if PATTERN.search(text):
                    found.append(f"{path.relative_to(ROOT)}: {text!r}")
    for path in sorted((ROOT / "sessions").rglob("*.toml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if PATTERN.search(line):
                found.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert not found, "\n".join(found)


def test_no_app_string_holds_a_removed_phrase():
    found = []
    for folder in ("tui", "sessions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for text in shown_strings(path):
                found += [f"{path.relative_to(ROOT)}: {text!r}" for w in REMOVED if w.casefold() in text.casefold()]
        for path in sorted((ROOT / folder).rglob("*.toml")):
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(ROOT)}: {w!r}" for w in REMOVED if w.casefold() in text.casefold()]
    assert not found, "\n".join(found)


def test_no_shouting_capitals_in_screen_words():
    found = []
    for path in sorted((ROOT / "tui").rglob("*.py")):  # the engine's status words: issue 8 is removing them
        for text in shown_strings(path):
            if SHOUTING.search(text):
                found.append(f"{path.relative_to(ROOT)}: {text!r}")
    assert not found, "\n".join(found)


def test_exports_and_summary_hold_no_never_word():
    record = make_record(notes=[{"by": "left", "kind": "parking-lot", "text": "the flights"}])
    for text in (to_markdown(record), to_svg(record), "\n".join(shared_lines(summarize(record)))):
        assert not PATTERN.search(text), PATTERN.search(text)


async def test_every_screen_of_a_full_session_holds_no_never_word(tmp_path):
    from heartline.sessions.clock import ManualClock
    from heartline.sessions.engine import Stage
    from heartline.sessions.setup import SessionPlan
    from tests.apps import make_app

    def seen(app) -> str:
        """Every word on the screen now: each Static and Label, rendered to plain text."""
        import io

        from rich.console import Console

        console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
        for widget in app.screen.query("Static"):
            console.print(widget.render())
        return console.export_text()

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("speaker-listener", "Alex", "Sam", speak=10, reflect=5, rounds=1))
    shown = []
    async with app.run_test(size=(100, 40)) as pilot:
        session = app.screen
        shown.append(seen(app))
        for keys in (("f", "j"), ("1", "f", "7", "j"), ("f", "j")):  # rules, a hard check-in, ready
            clock.advance(2)
            await pilot.press(*keys)
            await pilot.pause()
            shown.append(seen(app))
        clock.advance(2)
        await pilot.press("j")  # blocked
        await pilot.pause()
        shown.append(seen(app))
        await pilot.press("t")
        await pilot.pause()
        shown.append(seen(app))
        await pilot.press("t")  # taken back
        await pilot.pause()
        for _ in range(30):
            if session.engine.stage is not Stage.FLOOR:
                break
            state = session.engine.state()
            clock.advance(14)  # into the wrap-up time
            session.refresh_state()
            await pilot.pause()
            shown.append(seen(app))
            await pilot.press("f" if state.floor == "left" else "j")
        await pilot.pause()
        for keys in (("4", "f", "9", "j"), ("f", "j")):
            clock.advance(2)
            await pilot.press(*keys)
            await pilot.pause()
            shown.append(seen(app))
    assert session.engine.stage is Stage.ENDED, session.engine.stage
    text = "\n".join(shown)
    assert "Alex" in text and "How the floor was shared" in shown[-1], shown[-1]  # the summary was seen too
    assert not PATTERN.search(text), PATTERN.search(text)
    assert not [w for w in REMOVED if w.casefold() in text.casefold()]


def test_the_panes_status_words_do_not_shout():
    """The engine gives activity codes; the words a pane shows for them are calm, in sentence case."""
    from heartline.tui.widgets.pane import ACTIVITY_WORDS

    words = set(ACTIVITY_WORDS.values())
    assert words and not [w for w in words if SHOUTING.search(w) or w.isupper()], words

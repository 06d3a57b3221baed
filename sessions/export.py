"""A saved session as Markdown (to read, print or keep) or as its own TOML.

The Markdown is the shared summary (`sessions/summary.py`): what a couple reads
together; no file keeps per-partner counts of blocked keys, retries or
overtime, or a note's author (`sessions/keep.py`). Names, topics, notes and words are data, not Markdown:
each character Markdown would read as markup is escaped with a backslash, so
a viewer (and `heartline show`) shows exactly what was typed — never a link,
a heading, a hidden HTML tag or an emphasis the person did not write. A note's
later lines are indented so they stay inside their list item.
"""

from __future__ import annotations

import re

from .durations import format_duration, human_duration
from .store import dumps_record
from .summary import NOTE_TITLES, STATUS_WORDS, balance_bar, feeling_words, shared_lines, summarize

__all__ = ["NOTE_TITLES", "STATUS_WORDS", "to_markdown", "to_toml"]


def _line(value: object) -> str:
    """One line of text: a stray newline must not break a heading or a list."""
    return " ".join(str(value).split())


_INLINE = re.compile(r"([\\`*_\[\]<~|]|&(?=#?\w+;))")  # markup anywhere in a line (with tables, strikethrough)
_LINE_START = re.compile(r"^(?:([-+=#>])|(\d+)(?=[.)]))")  # a list item, a heading, a quote, a numbered item


def _escape_start(m: re.Match) -> str:
    """`- x` → `\\- x`; `1. x` → `1\\. x` (a digit cannot be escaped, the dot after it can)."""
    return f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\"


def md(text: object) -> str:
    """Person's text as Markdown that renders as exactly that text, line breaks kept.

    A line's leading spaces go (a renderer drops them anyway, and four of them
    after a blank line would make a code block that shows the escapes).
    """
    return "\n".join(_LINE_START.sub(_escape_start, _INLINE.sub(r"\\\1", line.lstrip()))
                     for line in str(text).replace("\r\n", "\n").split("\n"))


def _names(record: dict) -> dict[str, str]:
    names = {p["side"]: _line(p["name"]) for p in record["partners"]}
    names["both"] = f"{names['left']} & {names['right']}"
    return names


def to_markdown(record: dict, ritual_name: str | None = None) -> str:
    """A summary of one validated record, to read together: shared figures, never a score by name."""
    s = summarize(record)
    start, end = record["started_at"], record["ended_at"]
    lines = [
        f"# {md(_line(s.names))} — {start:%A %d %B %Y}",
        "",
        f"- **When:** {start:%Y-%m-%d %H:%M}–{end:%H:%M} (UTC{start:%z})",
        f"- **Ritual:** {md(_line(ritual_name or record['protocol']))}",
    ]
    if record["topic"]:
        lines.append(f"- **Topic:** {md(_line(record['topic']))}")
    lines += [
        f"- **Time together:** {human_duration(s.together_seconds)} ({format_duration(s.together_seconds, elapsed=True)})",
        f"- **Status:** {STATUS_WORDS.get(record['status'], record['status'])}",
        f"- **Session:** `{record['id']}`",
        "",
        "## Together",
        "",
        *(f"- {md(line)}" for line in shared_lines(s)),
        "",
        *([f"    {balance_bar(s)}"] if balance_bar(s) else []),  # an indented code block: shown as it is
    ]
    if any(f.answered for f in s.feelings):
        lines += ["", "## How you felt, before → after", ""]
        lines += [f"- {md(feeling_words(f))}" for f in s.feelings if f.answered]
    for heading, notes in s.notes():
        lines += ["", f"## {heading}", ""]
        for note in notes:
            box = "" if note.kept is None else ("[x] " if note.kept else "[ ] ")
            text = md(note.text).replace("\n", "\n  ")
            who = f"**{md(_line(note.name))}:** " if note.name else ""  # only a commitment keeps its owner
            lines.append(f"- {box}{who}{text}")
    return "\n".join(lines) + "\n"


def to_toml(record: dict) -> str:
    """The record exactly as heartline saves it."""
    return dumps_record(record)


# ----- one session in full: the timeline, and a picture of it (issue 11) ----

PHASE_WORDS = {  # "{name} …" for a turn of this kind
    "speak": "had the floor", "send": "had the floor", "support": "listened and took their side",
    "reflect": "reflected back", "mirror": "mirrored back", "confirm": "was asked “did they get it?”",
    "validate": "validated", "empathize": "imagined how it felt", "appreciate": "shared appreciations",
    "went-well": "said what went well", "loved": "answered “what makes you feel loved”",
    "new-information": "shared news", "puzzles": "shared a puzzle", "complaint-request": "made a request",
    "wishes": "shared wishes and hopes",
    "clarify": "said it again", "more": "was asked “is there more?”", "summary": "summed it all up",
    "choose-issue": "chose an issue together", "compromise": "looked for a compromise together",
    "ask-loved": "asked “what would make you feel loved?”", "answer-loved": "said what would make them feel loved",
    "offer-loved": "offered something for the week", "puzzle-answer": "answered a puzzle",
    "affection": "shared a moment of affection",
    "requests": "made requests", "gift": "chose a request as a gift", "thanks": "said thank you",
    "thank-you": "said “thank you for telling me”",
}
EVENT_WORDS = {  # shared moments; blocked keys are not shown one by one (DESIGN: "Care")
    "pause": "paused", "resume": "carried on", "time-out": "took a time-out",
    "pause-help": "paused while help was open", "pause-too-small": "paused while the window was too small",
    "pause-resumed": "came back to the session (paused until you were both ready)",
    "time-out-ended": "came back from the time-out", "repair": "reached for a repair", "ended-early": "ended the session early",
    "return-agreed": "agreed a time to come back",
    "pause-unanswered": "paused while a question waited for its answer", "time-out-extended": "took more time in the time-out",
}
CONFIRM_WORDS = {"done": "“yes”", "not-quite": "“not quite”", "time": "time ran out",
                 "session-end": "the session ended"}
# A check's yes in its own words, by the phase it checked (the turn just before it); "“yes”" for any other
CHECK_YES = {"reflect": "“you got it”", "mirror": "“you got it”", "summarize": "“you got it”",
             "summary": "“you got it all”", "validate": "“that makes sense”", "empathize": "“that's what I feel”"}


def clock_time(seconds: float) -> str:
    """An offset into the session as m:ss (or h:mm:ss)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _taken_back(events: list[dict]) -> set[int]:
    """The positions of time-outs taken back (pressed by mistake) and of their undoing: not a time-out taken."""
    gone: set[int] = set()
    open_at: int | None = None
    for i, e in enumerate(events):
        if e.get("kind") == "time-out":
            open_at = i
        elif e.get("kind") == "time-out-undone" and open_at is not None:
            gone |= {open_at, i}
            open_at = None
    return gone


def _answered_at(check: dict, following: dict | None) -> float:
    """When a check's answer was said: as the next turn began (at once, a pause before it included), else when its
    own active time ran out."""
    start = check["started_offset_seconds"]
    if following is not None and following["started_offset_seconds"] >= start:
        return following["started_offset_seconds"]
    return round(start + check["actual_seconds"], 3)


def timeline(record: dict) -> list[tuple[float, str]]:
    """Every floor, reflection, confirmation, pause, time-out and note, in order, as (offset, words)."""
    names = _names(record)
    rows: list[tuple[float, int, str]] = []
    checked = ""  # the phase a confirm turn checks: the turn just before it
    turns = record["turns"]
    for n, t in enumerate(turns):
        # a step the two take together (choosing an issue, a compromise) is neither one's: `by` only began it
        who = names["both"] if t.get("together") else names.get(t["by"], t["by"])
        if t["phase"] == "confirm":
            said = CHECK_YES.get(checked, CONFIRM_WORDS["done"]) if t["ended_by"] == "done" else \
                CONFIRM_WORDS.get(t["ended_by"], t["ended_by"])
            words = f"{who}: {said}"
            rows.append((_answered_at(t, turns[n + 1] if n + 1 < len(turns) else None), 0, words))  # when said
            continue
        words = f"{who} {PHASE_WORDS.get(t['phase'], t['phase'].replace('-', ' '))}"
        words += f" for {format_duration(t['actual_seconds'], elapsed=True)}"
        if t["ended_by"] == "time":
            words += " (time ran out)"
        checked = t["phase"]
        if t.get("floor") in names and t["floor"] != t["by"]:  # said back on the speaker's floor (PREP)
            words += f", on {names[t['floor']]}'s floor"
        rows.append((t["started_offset_seconds"], 0, words))
    taken_back = _taken_back(record["events"])
    for i, e in enumerate(record["events"]):
        if e["kind"] in EVENT_WORDS and i not in taken_back:
            rows.append((e["offset_seconds"], 1, f"Together you {EVENT_WORDS[e['kind']]}"))
    for note in record["notes"]:
        if "offset_seconds" in note and isinstance(note["offset_seconds"], (int, float)):
            kind = "parking-lot" if note["kind"] == "topic-for-later" else note["kind"]
            title = NOTE_TITLES.get(kind, kind.replace("-", " ").capitalize()).lower()
            who = f"{names.get(note['by'], note['by'])} noted" if "by" in note else "Noted"  # a commitment's owner
            rows.append((note["offset_seconds"], 2, f"{who} ({title}): {_line(note['text'])}"))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [(offset, words) for offset, _, words in rows]


def to_svg(record: dict, ritual_name: str | None = None, width: int = 100) -> str:
    """A picture of the session: its summary and timeline (Rich's recorded console as SVG).

    Rich is imported here only: the rest of the domain stays standard library.
    """
    from rich.console import Console
    from rich.text import Text

    names = _names(record)
    console = Console(record=True, width=width, file=_Null(), color_system="truecolor", force_terminal=True,
                      legacy_windows=False)
    start = record["started_at"]
    console.print(Text(f"{names['both']} — {start:%A %-d %B %Y, %H:%M}", style="bold"))
    about = f"{ritual_name or record['protocol']} · {human_duration(record['duration_seconds'])} · " \
            f"{STATUS_WORDS.get(record['status'], record['status'])}"
    console.print(Text(about))
    if record["topic"]:
        console.print(Text(f"Topic: {_line(record['topic'])}"))
    console.print()
    shared = summarize(record)  # read together: no per-partner counts of blocked keys, retries or overtime
    for line in shared_lines(shared):
        console.print(Text(line))
    if balance_bar(shared):
        console.print(Text(balance_bar(shared)))
    for feeling in shared.feelings:
        if feeling.answered:
            console.print(Text(feeling_words(feeling)))
    for heading, notes in shared.notes():  # what the Markdown keeps: appreciations, commitments, topics
        console.print()
        console.print(Text(heading, style="bold"))
        for note in notes:
            box = "" if note.kept is None else ("[x] " if note.kept else "[ ] ")
            console.print(Text(f"  {box}") + Text(f"{_line(note.name)}: ", style="bold") + Text(note.text))
    console.print()
    console.print(Text("Timeline", style="bold"))
    for offset, words in timeline(record):
        console.print(Text(f"{clock_time(offset):>8}  ") + Text(words))
    return console.export_svg(title=f"heartline — {names['both']}")


class _Null:
    """A file that drops what is written: the recording is what we want."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def file_name(record: dict, fmt: str) -> str:
    """The file an export of this record gets in a folder: `<id>.<fmt>`."""
    return f"{record['id']}.{fmt}"

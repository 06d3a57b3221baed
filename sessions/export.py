"""A saved session as Markdown (to read, print or keep) or as its own TOML.

Names, topics and notes are shown exactly as typed. The only changes are the
ones Markdown structure needs: a `|` inside a table cell is written `\\|`, and
a note's later lines are indented so they stay inside their list item.
"""

from __future__ import annotations

from collections import Counter

from .durations import format_duration, human_duration
from .engine import MOODS
from .store import dumps_record

NOTE_TITLES = {  # in the order the summary screen lists them
    "parking-lot": "Parking lot",
    "appreciation": "Appreciations",
    "commitment": "Commitments",
}
STATUS_WORDS = {"completed": "completed", "ended-early": "ended early", "recovered": "recovered after a crash"}


def _line(value: object) -> str:
    """One line of text: a stray newline must not break a heading or a list."""
    return " ".join(str(value).split())


def _cell(value: object) -> str:
    return _line(value).replace("|", "\\|")


def _row(*cells: object) -> str:
    texts = [_cell(c) for c in cells]
    return "|" + "|".join(f" {t} " if t else " " for t in texts) + "|"


def _feeling(partner: dict) -> str:
    def one(mood: int | None, word: str | None) -> str:
        return f"{mood} {MOODS.get(mood, '')}".rstrip() + (f" “{word}”" if word else "") if mood else "—"

    if partner.get("mood_before") is None and partner.get("mood_after") is None:
        return "—"
    return (f"{one(partner.get('mood_before'), partner.get('feeling_before'))} → "
            f"{one(partner.get('mood_after'), partner.get('feeling_after'))}")


def partner_rows(record: dict) -> list[tuple[str, ...]]:
    """The per-partner figures, worded once for the summary screen and the Markdown export alike."""
    partners = record["partners"]
    rows = [
        ("speaking time", *(format_duration(p["speaking_seconds"], elapsed=True) for p in partners)),
        ("overtime", *(format_duration(p["overtime_seconds"], elapsed=True) for p in partners)),
        ("interruptions blocked", *(str(p["interruptions_blocked"]) for p in partners)),
        ("hands raised", *(str(p.get("hands_raised", 0)) for p in partners)),
        ("reflections right first time", *(str(p["reflections_confirmed_first_time"]) for p in partners)),
        ("reflections tried again", *(str(p.get("reflection_retries", 0)) for p in partners)),
    ]
    if any("mood_before" in p or "mood_after" in p for p in partners):
        rows.append(("feeling before → after", *(_feeling(p) for p in partners)))
    return rows


def _names(record: dict) -> dict[str, str]:
    names = {p["side"]: _line(p["name"]) for p in record["partners"]}
    names["both"] = f"{names['left']} & {names['right']}"
    return names


def to_markdown(record: dict, ritual_name: str | None = None) -> str:
    """A readable summary of one validated record."""
    left, right = record["partners"]
    names = _names(record)
    start, end = record["started_at"], record["ended_at"]
    lines = [
        f"# {names['both']} — {start:%A %d %B %Y}",
        "",
        f"- **When:** {start:%Y-%m-%d %H:%M}–{end:%H:%M} (UTC{start:%z})",
        f"- **Ritual:** {ritual_name or record['protocol']}",
    ]
    if record["topic"]:
        lines.append(f"- **Topic:** {_line(record['topic'])}")
    lines += [
        f"- **Duration:** {human_duration(record['duration_seconds'])} ({format_duration(record['duration_seconds'], elapsed=True)})",
        f"- **Status:** {STATUS_WORDS.get(record['status'], record['status'])}",
        f"- **Session:** `{record['id']}`",
        "",
        "## Partners",
        "",
        _row("", f"{left['name']} (left)", f"{right['name']} (right)"),
        "|---|---|---|",
        *(_row(*row) for row in partner_rows(record)),
    ]
    if record["turns"]:
        lines += ["", "## Turns", "", _row("round", "phase", "by", "planned", "actual", "overtime", "ended by"),
                  "|---|---|---|---|---|---|---|"]
        for t in record["turns"]:
            lines.append(_row(t["round"], t["phase"], names.get(t["by"], t["by"]), format_duration(t["planned_seconds"]),
                              format_duration(t["actual_seconds"], elapsed=True), format_duration(t["overtime_seconds"], elapsed=True), t["ended_by"]))
    if record["events"]:
        counts = Counter(e["kind"] for e in record["events"])
        lines += ["", "## Moments", ""]
        lines += [f"- {kind.replace('-', ' ')}: {n}" for kind, n in sorted(counts.items())]
    kinds: dict[str, list[dict]] = {}
    for note in record["notes"]:
        kinds.setdefault(note["kind"], []).append(note)
    if kinds:
        lines += ["", "## Notes"]
    for kind, notes in kinds.items():
        lines += ["", f"### {NOTE_TITLES.get(kind, kind.replace('-', ' ').capitalize())}", ""]
        for note in notes:
            box = {"kept": "[x] ", "open": "[ ] "}.get(note.get("status", ""), "")
            text = note["text"].replace("\r\n", "\n").replace("\n", "\n  ")
            lines.append(f"- {box}**{names.get(note['by'], note['by'])}:** {text}")
    return "\n".join(lines) + "\n"


def to_toml(record: dict) -> str:
    """The record exactly as heartline saves it."""
    return dumps_record(record)

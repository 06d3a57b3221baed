"""A hand-off to a therapist: made only when both partners agree, at the moment of export.

What it holds, by default: each partner's own words (what they want
understood, what they have tried, what they want help with), and the rituals
the couple used, with their dates. What it leaves out unless both add it:
notes (and topics), moods, and feeling words (the check-in's words and the
I-statements). Nothing per partner is counted: no blocked keys, retries,
overtime or time on the floor.

This module only builds the text; the screen where both agree (and write
their part) is in the TUI, and `build` refuses without both agreements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .export import md
from .summary import NOTE_TITLES

SIDES = ("left", "right")
QUESTIONS = (
    ("understood", "What I want understood"),
    ("tried", "What we have tried"),
    ("help", "What I would like help with"),
)
EXTRAS = (
    ("notes", "notes and topics from the sessions"),
    ("moods", "moods before and after"),
    ("feelings", "feeling words (the check-in's words and I-statements)"),
)


class NotAgreed(ValueError):
    """Both partners have not agreed, here and now: nothing is written."""


@dataclass
class Part:
    """One partner's own words."""

    understood: str = ""
    tried: str = ""
    help: str = ""

    def answers(self) -> list[tuple[str, str]]:
        return [(title, " ".join(getattr(self, key).split())) for key, title in QUESTIONS]


@dataclass
class Handoff:
    """What both partners see and agree to: their words, the extras they both added, and the agreement."""

    parts: dict[str, Part] = field(default_factory=lambda: {s: Part() for s in SIDES})
    extras: set[str] = field(default_factory=set)  # of "notes", "moods", "feelings": only when both add them
    agreed: dict[str, bool] = field(default_factory=lambda: {s: False for s in SIDES})

    @property
    def both_agree(self) -> bool:
        return all(self.agreed.get(s) for s in SIDES)

    def what_it_holds(self) -> tuple[list[str], list[str]]:
        """(what goes in, what stays out), in words both can read before agreeing."""
        held = ["what each of you wrote here", "the rituals you used and their dates"]
        out = []
        for key, words in EXTRAS:
            (held if key in self.extras else out).append(words)
        out.append("any count of who did what (never kept for anyone)")
        return held, out


def _names(records: list[dict]) -> dict[str, str]:
    first = records[0]
    return {p["side"]: " ".join(str(p["name"]).split()) for p in first["partners"]}


def build(records: list[dict], handoff: Handoff, ritual_names: dict[str, str] | None = None,
          now: datetime | None = None) -> str:
    """The hand-off as Markdown; `NotAgreed` unless both partners agreed."""
    if not handoff.both_agree:
        raise NotAgreed("both of you need to agree, here and now, before anything is written")
    if not records:
        raise ValueError("no sessions to hand off")
    ritual_names = ritual_names or {}
    records = sorted(records, key=lambda r: r["started_at"])
    names = _names(records)
    when = (now or datetime.now().astimezone()).strftime("%d %B %Y")
    lines = [
        f"# For our therapist — {md(names['left'])} and {md(names['right'])}",
        "",
        f"Prepared together on {when}. Both of us agreed to share what follows, and only this.",
    ]
    for side in SIDES:
        lines += ["", f"## {md(names[side])}, in their own words", ""]
        for title, text in handoff.parts[side].answers():
            lines += [f"**{title}:** {md(text) if text else '(left blank)'}", ""]
        lines.pop()
    lines += ["", "## The rituals we used", ""]
    for rec in records:
        name = ritual_names.get(rec["protocol"], rec["protocol"])
        start = rec["started_at"]
        minutes = max(1, round(float(rec.get("duration_seconds", 0)) / 60))
        line = f"- {start:%Y-%m-%d}: {md(' '.join(str(name).split()))}, about {minutes} min"
        if "notes" in handoff.extras and rec.get("topic"):
            line += f" — topic: {md(' '.join(str(rec['topic']).split()))}"
        lines.append(line)
    if "moods" in handoff.extras or "feelings" in handoff.extras:
        lines += ["", "## How we felt", ""]
        for rec in records:
            for p in rec["partners"]:
                bits = []
                if "moods" in handoff.extras and ("mood_before" in p or "mood_after" in p):
                    bits.append(f"mood {p.get('mood_before', '–')} → {p.get('mood_after', '–')} (of 5)")
                if "feelings" in handoff.extras:
                    words = [p[k] for k in ("feeling_before", "feeling_after") if p.get(k)]
                    if words:
                        bits.append("feeling " + " → ".join(md(" ".join(str(w).split())) for w in words))
                    if p.get("i_statement"):
                        bits.append(f"“{md(' '.join(str(p['i_statement']).split()))}”")
                if bits:
                    lines.append(f"- {rec['started_at']:%Y-%m-%d}, {md(names.get(p['side'], p['side']))}: "
                                 + "; ".join(bits))
    if "notes" in handoff.extras:
        notes = [(rec, n) for rec in records for n in rec.get("notes", [])]
        if notes:
            lines += ["", "## Notes from the sessions", ""]
            for rec, n in notes:
                title = NOTE_TITLES.get(n.get("kind", ""), "Note")
                lines.append(f"- {rec['started_at']:%Y-%m-%d}, {md(title)}: {md(' '.join(str(n.get('text', '')).split()))}")
    lines += ["", "Made with heartline, which is not therapy; it keeps no count of either of us.", ""]
    return "\n".join(lines)

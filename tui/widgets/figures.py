"""The shared figures of one record as one `Text`: for the summary screen and the session detail in Past sessions.

Read together, never scored (DESIGN's "Care"); names and notes go in as text, never as markup.
"""

from __future__ import annotations

from rich.text import Text

from heartline.sessions.summary import (NOT_SOLVABLE_WORDS, balance_bar, balance_words, breaks_words, feeling_words,
                                        heard_words, parked_words, summarize)

BAR_WIDTH = 24


def shared_summary(record: dict, notes: bool = True) -> Text:
    """The shared figures of one record as one Text, for the summary screen and the session detail."""
    s = summarize(record)
    text = Text()
    if s.outcome == "not-solvable-today":  # a real ending, said first and calmly
        text.append(f"{NOT_SOLVABLE_WORDS}\n\n", style="bold")
    text.append("How the floor was shared\n", style="bold")
    if balance_bar(s, BAR_WIDTH):
        text.append(f"  {balance_bar(s, BAR_WIDTH)}\n")
    text.append(f"  {balance_words(s)}\n")
    gentle = breaks_words(s)
    if gentle:
        text.append(f"  {gentle}\n")
    if s.parked:
        text.append(f"  {parked_words(s)}\n")
    heard = heard_words(s)
    if heard:
        text.append("\nWhat was heard\n", style="bold")
        text.append(f"  {heard}.\n")
    if any(f.answered for f in s.feelings):
        text.append("\nHow you felt, before → after\n", style="bold")
        for f in s.feelings:
            if f.answered:
                text.append(f"  {feeling_words(f)}\n")
    for heading, group in s.notes() if notes else ():
        text.append(f"\n{heading}\n", style="bold")
        for n in group:
            box = "" if n.kept is None else ("[✓] " if n.kept else "[ ] ")
            who = f"{n.name}: " if n.name else ""  # a commitment's owner; other notes keep no author
            text.append(f"  • {box}{who}{' '.join(n.text.split())}\n")
    return text


def summary_table(record: dict) -> Text:
    """The shared figures without the notes, for the session detail (which lists the notes itself)."""
    return shared_summary(record, notes=False)

"""What is kept of a session: its shape, never a tally against one partner (DESIGN's "Care").

A record as the engine builds it knows everything that happened: each
partner's blocked keys, raised hands, retries and overtime, who wrote each
note, the feeling words and the I-statement. What reaches a file is less, and
the couple chooses how much:

- every record (schema 2), whatever is chosen: no per-partner counters, no
  blocked keys or other keys read as stray (`UNKEPT_EVENTS`), no note's author
  (a commitment keeps its owner: only they mark it kept);
- `shape` (the default): ritual, topic, times, turns, shared moments; the
  moods as numbers only when both said yes; no note's text, no feeling words,
  no I-statements;
- `words`: also the feeling words, the I-statements, appreciations and
  commitments, and the topics for later when both said yes to keeping them;
- `nothing`: no record at all.

An older (schema 1) file is read with its counters left out (`strip`), so no
view can show them. Pure functions over record dicts; no files, no Textual.
"""

from __future__ import annotations

import copy

KEEPS = ("shape", "words", "nothing")
DEFAULT = "shape"
KEEP_WORDS = {
    "shape": "the shape: when, which ritual, the turns; none of your words",
    "words": "your words too: feeling words, I-statements, appreciations, commitments",
    "nothing": "nothing: no record at all, this summary is shown once and gone",
}
# Ending now, as the end and quit questions say it: never more than the choice keeps (the `keep` setting,
# until the summary asks again). "" when this side does not decide (the joining side of a session apart).
ENDING_WORDS = {
    "shape": "Its shape is kept (when, which ritual, the turns), none of your words.",
    "words": "Its shape and your words are kept (feelings, I-statements, thanks, commitments).",
    "nothing": "Nothing of it is kept: no file at all.",
    "": "What is kept is asked on the summary of the heartline that started it.",
}
# What a note box says of the words typed in it, by the keep choice (the setting, or the summary's choice).
NOTE_WORDS = {
    "shape": "You keep the shape only: these words are not written to the file.",
    "words": "You keep your words: these go into the session's file.",
    "nothing": "You keep nothing: no file, so these words are not kept.",
    "": ENDING_WORDS[""],
}
# With `words`, what else a note needs before it reaches the file: both of you saying yes at the end.
NOTE_NEEDS_YES = {
    "parking-lot": "You keep your words: a topic for later goes into the file if you both say yes at the end.",
    "feeling": "You keep your words: this word goes into the file if you both say yes to keeping how you feel.",
}
SCHEMA = 2
# Per-partner counters of schema 1: never written, and ignored when read.
PARTNER_TALLIES = ("overtime_seconds", "interruptions_blocked", "hands_raised", "reflection_retries",
                   "reflections_confirmed_first_time")
# Each partner's floor time: a shared figure (the balance bar), but the turns hold it, so schema 2 leaves it out.
DERIVED = ("speaking_seconds",)
PARTNER_WORDS = ("feeling_before", "feeling_after", "i_statement")
MOODS = ("mood_before", "mood_after")
# Keys one partner pressed that changed nothing, or a retry asked of one of them: not a shared fact.
UNKEPT_EVENTS = frozenset({"interruption-blocked", "hand-raised", "tap-carried-over", "repeat-ignored",
                           "not-quite"})
TOPIC_KINDS = ("parking-lot", "topic-for-later")  # a topic for later ("parking-lot" in schema 1 and the engine)


def ending_words(keep: str, summary: bool) -> str:
    """What ending the session now keeps, in words; `summary`: one follows (escape) and asks again (quitting: none)."""
    words = ENDING_WORDS.get(keep, ENDING_WORDS[DEFAULT])
    return f"{words} The summary lets you choose again." if summary and keep else words


def note_words(keep: str, kind: str = "") -> str:
    """Whether the words typed in a note box of `kind` go into the session's file, for the keep choice `keep`
    (as `kept` decides: `shape` and `nothing` keep no words; with `words`, a topic for later and a feeling word
    only when both say yes)."""
    if keep == "words" and kind in NOTE_NEEDS_YES:
        return NOTE_NEEDS_YES[kind]
    return NOTE_WORDS.get(keep, NOTE_WORDS[DEFAULT])


def strip(record: dict) -> dict:
    """The record without per-partner counters, stray keys or note authors, in place (returned too).

    For a schema-1 file as read and for every record written. The floor time
    each partner held stays readable from the turns (`floor_seconds`).
    """
    for partner in record.get("partners", ()):
        if isinstance(partner, dict):
            for key in PARTNER_TALLIES:
                partner.pop(key, None)
    turns = record.get("turns")
    if isinstance(turns, list):
        for turn in turns:
            if isinstance(turn, dict):
                turn.pop("interruptions_blocked", None)
    events = record.get("events")
    if isinstance(events, list):
        record["events"] = [e for e in events
                            if not (isinstance(e, dict) and isinstance(e.get("kind"), str) and e["kind"] in UNKEPT_EVENTS)]
    notes = record.get("notes")
    if isinstance(notes, list):
        for note in notes:
            if isinstance(note, dict) and note.get("kind") != "commitment":
                note.pop("by", None)
    return record


def kept(record: dict, keep: str = DEFAULT, *, topics: bool = False, moods: bool = False) -> dict | None:
    """What a file keeps of `record` (a copy), or None for `nothing`.

    `topics`: both said yes to keeping the topics for later (only with
    `words`); `moods`: both said yes to keeping the check-in as numbers.
    """
    if keep not in KEEPS:
        raise ValueError(f"keep must be one of {', '.join(KEEPS)}, not {keep!r}")
    if keep == "nothing":
        return None
    out = strip(copy.deepcopy(record))
    out["schema"] = SCHEMA
    for partner in out.get("partners", ()):
        for key in DERIVED:
            partner.pop(key, None)
        if not moods:
            for key in MOODS:
                partner.pop(key, None)
        if keep == "shape" or not moods:
            for key in PARTNER_WORDS[:2]:  # a feeling word goes with its number
                partner.pop(key, None)
        if keep == "shape":
            partner.pop("i_statement", None)
    if keep == "shape":
        out["notes"] = []
    else:
        notes = []
        for note in out.get("notes", []):
            if note.get("kind") in TOPIC_KINDS:
                if not topics:
                    continue
                note = {**note, "kind": "topic-for-later"}
            notes.append(note)
        out["notes"] = notes
    return out


def has_topics(record: dict) -> bool:
    """Topics for later were written down in this session (so the couple is asked whether to keep them)."""
    return any(n.get("kind") in TOPIC_KINDS and str(n.get("text", "")).strip() for n in record.get("notes", ()))


def has_moods(record: dict) -> bool:
    return any(key in p for p in record.get("partners", ()) for key in MOODS)


def floor_seconds(record: dict) -> tuple[float, float]:
    """Each partner's time holding the floor (left, right), from the turns.

    A "did they get it?" or "is there more?" is a yes or no, not talk, and a
    step done together is neither partner's floor; a turn with a `floor` (a saying-back on the
    speaker's floor) is the floor's, not its `by`'s. A schema-1 record's own
    `speaking_seconds` (as the engine counted it) is used where it is there.
    """
    partners = record.get("partners") or ()
    if len(partners) == 2 and all("speaking_seconds" in p for p in partners):
        return float(partners[0]["speaking_seconds"]), float(partners[1]["speaking_seconds"])
    left = right = 0.0
    for t in record.get("turns") or ():
        if t.get("phase") in ("confirm", "more") or t.get("together"):
            continue
        side = t.get("floor", t.get("by"))  # a saying-back held on the speaker's floor (PREP) is the speaker's
        if side == "left":
            left += t.get("actual_seconds", 0.0)
        elif side == "right":
            right += t.get("actual_seconds", 0.0)
    return round(left, 1), round(right, 1)

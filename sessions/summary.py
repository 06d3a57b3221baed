"""The shared figures of one session: what a couple reads together afterwards.

DESIGN's "Care": together, never scored. The record keeps the conversation's
shape, never a tally of one partner (`sessions/keep.py`); this module chooses what a view shows
and the kind words for it: time together, how the floor was shared (one bar
between two names), what was heard, the thoughts held for later,
appreciations, commitments, and how each felt before and after in their own
words. No per-partner counts of blocked keys, retries or overtime leave here.

Every view (the summary screen, the session detail, `show`, the Markdown and
SVG exports, trends) builds on `summarize()`, so they all say the same thing.
Pure functions over a validated record dict; no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass

from .durations import format_duration, human_duration
from .engine import LOW_MOOD, MOODS
from .keep import floor_seconds

NOTE_TITLES = {  # in the order every view lists them
    "parking-lot": "Held for later",
    "appreciation": "Appreciations",
    "commitment": "Commitments",
    "core-need": "What each of you can't give up",
    "flexible": "Where each of you can bend",
    "parked": "For your next state of the union",  # a heading says no more than is sure: words go only with `words`
    "gift": "Chosen as a gift",  # Imago: a request one of you chose to give (never who chose)
    "request": "Requests",
}
NOT_SOLVABLE_WORDS = "Not solvable today — that's allowed. You can come back to it."
STATUS_WORDS = {
    "completed": "completed",
    "ended-early": "ended early, all of it kept",
    "recovered": "recovered after an interruption",
    "not-started": "stopped before the first turn ended",
}
EVEN_WITHIN = 0.10  # a floor share within 10 points of half is "shared about evenly"


@dataclass(frozen=True)
class Note:
    by: str  # a commitment's owner (side, or "both"); "" for other notes: a note keeps no author
    name: str  # the owner's name ("Alex & Sam" for both), "" for a note without one
    text: str
    kept: bool | None = None  # commitments: kept or open; None for other notes
    index: int = -1  # position in the record's notes (to mark a commitment kept)


@dataclass(frozen=True)
class Feeling:
    side: str
    name: str
    before: int | None
    before_word: str
    after: int | None
    after_word: str

    @property
    def answered(self) -> bool:
        return self.before is not None or self.after is not None


@dataclass(frozen=True)
class Summary:
    """The shared figures of one session."""

    left: str  # names
    right: str
    status: str
    together_seconds: float
    floor_left_seconds: float
    floor_right_seconds: float
    reflections_confirmed: int
    confirmed_after_retry: int  # of those, how many were heard after another try
    all_retries_second_try: bool  # every retried one was heard on the second try
    breaks: int  # pauses and time-outs, taken together
    time_outs: int
    parking_lot: tuple[Note, ...]
    appreciations: tuple[Note, ...]
    commitments: tuple[Note, ...]
    other_notes: tuple[Note, ...]
    feelings: tuple[Feeling, Feeling]
    core_needs: tuple[Note, ...] = ()
    flexible: tuple[Note, ...] = ()
    parked_notes: tuple[Note, ...] = ()
    parked: int = 0  # couple issues kept for the next state of the union (the shared event; words or not)
    outcome: str = ""  # how the talk ended, when somewhere of its own: "not-solvable-today"
    gifts: tuple[Note, ...] = ()
    requests: tuple[Note, ...] = ()

    @property
    def names(self) -> str:
        return f"{self.left} & {self.right}"

    @property
    def floor_seconds(self) -> float:
        return self.floor_left_seconds + self.floor_right_seconds

    @property
    def not_started(self) -> bool:
        """Stopped before a first turn ended (or, in a file from before that status, nobody held the floor)."""
        return self.status == "not-started" or (self.status != "completed" and self.floor_seconds <= 0)

    @property
    def balance_shown(self) -> bool:
        """The balance of the floor is drawn only once the floor has come round to both of you: a bar over a
        few seconds, or over one partner's turn alone, would read as a judgement it is not."""
        return not self.not_started and self.floor_left_seconds > 0 and self.floor_right_seconds > 0

    @property
    def left_share(self) -> float:
        """The left partner's part of the floor, 0..1 (0.5 when nobody spoke)."""
        total = self.floor_seconds
        return self.floor_left_seconds / total if total > 0 else 0.5

    def notes(self) -> list[tuple[str, tuple[Note, ...]]]:
        """(heading, notes) in the order views list them; empty groups left out."""
        groups = [
            (NOTE_TITLES["parking-lot"], self.parking_lot),
            (NOTE_TITLES["appreciation"], self.appreciations),
            (NOTE_TITLES["commitment"], self.commitments),
            (NOTE_TITLES["core-need"], self.core_needs),
            (NOTE_TITLES["flexible"], self.flexible),
            (NOTE_TITLES["parked"], self.parked_notes),
            (NOTE_TITLES["gift"], self.gifts),
            (NOTE_TITLES["request"], self.requests),
            ("Other notes", self.other_notes),
        ]
        return [(title, notes) for title, notes in groups if notes]


def _confirmations(record: dict) -> tuple[int, int, bool]:
    """(reflections confirmed, of those after another try, every retried one on its second try).

    Read from the turns: each confirm turn ends "done" (heard) or "not-quite"
    (said again). Older records without confirm turns fall back to the
    partners' first-time counts.
    """
    confirmed = later = 0
    only_second = True
    tries = 0
    saw_confirm = False
    for turn in record.get("turns", []):
        if turn.get("phase") != "confirm":
            continue
        saw_confirm = True
        if turn.get("ended_by") == "not-quite":
            tries += 1
        elif turn.get("ended_by") == "done":
            confirmed += 1
            if tries:
                later += 1
                only_second = only_second and tries == 1
            tries = 0
    if not saw_confirm:
        first = sum(int(p.get("reflections_confirmed_first_time", 0)) for p in record["partners"])
        return first, 0, True
    return confirmed, later, only_second


def _names(record: dict) -> dict[str, str]:
    names = {p["side"]: " ".join(str(p["name"]).split()) for p in record["partners"]}
    names["both"] = f"{names['left']} & {names['right']}"
    return names


def summarize(record: dict) -> Summary:
    """The shared figures of one validated record."""
    names = _names(record)
    left, right = record["partners"]
    floor_left, floor_right = floor_seconds(record)
    confirmed, later, only_second = _confirmations(record)
    kinds = [e.get("kind") for e in record.get("events", [])]
    groups: dict[str, list[Note]] = {kind: [] for kind in (*NOTE_TITLES, "")}
    for i, n in enumerate(record.get("notes", [])):
        kind = n.get("kind", "")
        kind = "parking-lot" if kind == "topic-for-later" else kind  # schema 2's name for a topic for later
        kept = (n.get("status") == "kept") if kind == "commitment" else None
        by = n.get("by", "")
        note = Note(by, names.get(by, by), n["text"], kept, i)
        groups.get(kind, groups[""]).append(note)
    feelings = tuple(
        Feeling(p["side"], names[p["side"]], p.get("mood_before"), p.get("feeling_before", ""),
                p.get("mood_after"), p.get("feeling_after", ""))
        for p in (left, right)
    )
    return Summary(
        left=names["left"],
        right=names["right"],
        status=record["status"],
        together_seconds=float(record["duration_seconds"]),
        floor_left_seconds=floor_left,
        floor_right_seconds=floor_right,
        reflections_confirmed=confirmed,
        confirmed_after_retry=later,
        all_retries_second_try=only_second,
        breaks=sum(1 for k in kinds if k in ("pause", "time-out")) - kinds.count("time-out-undone"),
        time_outs=kinds.count("time-out") - kinds.count("time-out-undone"),  # one pressed by mistake is not one
        parking_lot=tuple(groups["parking-lot"]),
        appreciations=tuple(groups["appreciation"]),
        commitments=tuple(groups["commitment"]),
        other_notes=tuple(groups[""]),
        gifts=tuple(groups["gift"]),
        requests=tuple(groups["request"]),
        feelings=feelings,  # type: ignore[arg-type]
        core_needs=tuple(groups["core-need"]),
        flexible=tuple(groups["flexible"]),
        parked_notes=tuple(groups["parked"]),
        parked=kinds.count("parked"),
        outcome=str(record.get("outcome", "")),
    )


# ----- the kind words, shared by every view ---------------------------------

def together_words(s: Summary) -> str:
    """'26 min together'."""
    return f"{human_duration(s.together_seconds)} together"


def heard_words(s: Summary) -> str:
    """'3 reflections confirmed, 1 after a second try' — or '' when nobody reflected."""
    n = s.reflections_confirmed
    if not n:
        return ""
    text = f"{n} reflection{'s' if n != 1 else ''} confirmed"
    if s.confirmed_after_retry:
        how = "a second try" if s.all_retries_second_try else "trying again"
        text += f", {s.confirmed_after_retry} after {how}"
    return text


def balance_words(s: Summary) -> str:
    """The floor in words: shared about evenly, or each one's time, never a winner."""
    if s.not_started:
        return "You stopped before the first turn ended, so this one is not counted in your patterns."
    if not s.balance_shown:
        return "The floor did not come round to both of you this time."
    times = (f"{s.left} {format_duration(s.floor_left_seconds, elapsed=True)}"
             f" · {s.right} {format_duration(s.floor_right_seconds, elapsed=True)}")
    if abs(s.left_share - 0.5) <= EVEN_WITHIN:
        return f"The floor was shared about evenly ({times})."
    return f"The floor: {times}."


def balance_bar(s: Summary, width: int = 24) -> str:
    """One bar between two names: 'Alex ████████████▒▒▒▒▒▒▒▒▒▒▒▒ Sam'.

    Two textures, not colour alone; the split point is the only figure. "" when the floor was barely held.
    """
    if not s.balance_shown:
        return ""
    width = max(2, width)
    left_cells = round(width * s.left_share)
    return f"{s.left} {'█' * left_cells}{'▒' * (width - left_cells)} {s.right}"


def mood_words(mood: int | None, word: str = "") -> str:
    """'3 okay “tired”', or '—' when not answered."""
    if mood is None:
        return "—"
    return f"{mood} {MOODS.get(mood, '')}".rstrip() + (f" “{' '.join(word.split())}”" if word.strip() else "")


def feeling_words(f: Feeling) -> str:
    """'Alex: 3 okay “tired” → 4 good'."""
    return f"{f.name}: {mood_words(f.before, f.before_word)} → {mood_words(f.after, f.after_word)}"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def breaks_words(s: Summary) -> str:
    """'You took a time-out: that is looking after each other.' — or ''."""
    if s.time_outs:
        took = "a time-out" if s.time_outs == 1 else f"{s.time_outs} time-outs"
        return f"You took {took}: that is looking after each other."
    if s.breaks:
        return f"You paused {_times(s.breaks)} when you needed to."
    return ""


LOW_AFTER_WORDS = ("It was hard for one of you today, and you stayed with it. Be gentle with each other tonight;"
                   " if this keeps happening, a counsellor can help.")
LOW_BEFORE_WORDS = "A hard day for one of you, and that is all right: stopping for today needs no reason."


def low_words(s: Summary) -> str:
    """A gentle word when one of you felt low (LOW_MOOD or below) at the check-out, or at a check-in
    with no check-out after it; never who. "" otherwise."""
    if any(f.after is not None and f.after <= LOW_MOOD for f in s.feelings):
        return LOW_AFTER_WORDS
    if all(f.after is None for f in s.feelings) and any(
            f.before is not None and f.before <= LOW_MOOD for f in s.feelings):
        return LOW_BEFORE_WORDS
    return ""


def parked_words(s: Summary) -> str:
    """'Kept for your next state of the union: 1 topic about the two of you.' — or ''."""
    if not s.parked:
        return ""
    return f"Kept for your next state of the union: {s.parked} topic{'s' if s.parked != 1 else ''} about the two of you."


def status_words(s: Summary) -> str:
    return STATUS_WORDS.get(s.status, s.status)


def shared_lines(s: Summary) -> list[str]:
    """The figures as plain sentences, in the order views show them."""
    lines = [together_words(s).capitalize() + ".", balance_words(s)]
    if s.outcome == "not-solvable-today":
        lines.insert(0, NOT_SOLVABLE_WORDS)
    if s.parked:
        lines.append(parked_words(s))
    heard = heard_words(s)
    if heard:
        lines.append(f"What was heard: {heard}.")
    held = len(s.parking_lot)
    if held:
        lines.append(f"{held} thought{'s' if held != 1 else ''} held for later.")
    gentle = breaks_words(s)
    if gentle:
        lines.append(gentle)
    return lines


def as_table(s: Summary) -> dict:
    """A plain `[summary]` of the shared figures, for readers of the TOML file."""
    return {
        "together_seconds": round(s.together_seconds, 1),
        "floor_left_seconds": round(s.floor_left_seconds, 1),
        "floor_right_seconds": round(s.floor_right_seconds, 1),
        "reflections_confirmed": s.reflections_confirmed,
        "heard_after_another_try": s.confirmed_after_retry,
        "thoughts_held": len(s.parking_lot),
        "appreciations": len(s.appreciations),
        "commitments": len(s.commitments),
    }

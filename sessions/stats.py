"""Patterns over past sessions: how often you meet and how it is going, together.

Pure functions over index rows (`index.summarize`), newest first, so the
figures are tested without files; one pass over the compact rows, so years
of sessions take a fraction of a second. Every figure is shared (the balance of the
floor is one number between two names; reflections and time-outs are counted
for the couple); the sentences are kind, never rank or blame a partner, and
never count streaks or missed weeks.

Moods are never averaged, neither across the two of you (Maya 2→1 and Jon
4→5 is not "about as you came in") nor by name: what is counted is how many
sessions one of you left lower than they came, without saying who (DESIGN's
"Care": low moments are seen together, never averaged away).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from .folderscan import no_cycles_collected
from .rows import LEFT, P_MOOD_AFTER, P_MOOD_BEFORE, P_NAME, P_SPEAKING, RIGHT, STARTED
from .rows import not_started  # noqa: F401 - read here by trendcache: stopped before a first turn ended

DAY = 86400.0
LOWER_AFTER = ("In some sessions one of you left feeling lower than you came in. "
               "That is worth talking about gently, or with a counsellor.")
LOW_AFTER = ("In some sessions one of you left feeling low. "
             "That is worth talking about gently, or with a counsellor.")
LOW = 2  # a check-out at or below this is low (the engine's LOW_MOOD: the summary's gentle word)


@lru_cache(maxsize=4096)  # a couple's topics come back (that is the point): years of them are a few hundred
def topic_key(topic: str) -> str:
    """Topics that differ only in case, spacing or punctuation are the same topic."""
    return " ".join(re.sub(r"[^\w\s]", " ", topic.casefold()).split())


@dataclass
class Trends:
    sessions: int = 0
    not_started: int = 0  # stopped before a first turn ended: listed in history, never in a figure here
    first: str = ""  # ISO date-times of the oldest and newest session counted
    last: str = ""
    names: list[str] = field(default_factory=lambda: ["", ""])  # left, right, of the newest session
    minutes_together: float = 0.0
    gaps_days: list[float] = field(default_factory=list)  # between consecutive sessions, oldest first
    median_gap_days: float | None = None
    sessions_last_30_days: int = 0
    mood_sessions: int = 0  # sessions where both of you said how you felt before and after
    one_left_lower: int = 0  # of those, how many one of you (never who) left lower than they came
    one_left_low: int = 0  # sessions one of you (never who) left at 1 or 2, lower or not than they came
    mood_lowest_change: list[int] = field(default_factory=list)  # per such session: the lower of the two changes
    balance: list[float] = field(default_factory=list)  # per session: left's share of speaking time, 0..1
    mean_balance: float | None = None
    reflections_confirmed: int = 0
    reflections_per_session: list[int] = field(default_factory=list)
    time_outs: int = 0
    time_outs_per_session: list[int] = field(default_factory=list)
    commitments: int = 0  # for scripts: the views never turn these into "X of Y" (a score)
    commitments_kept: int = 0
    rituals: dict[str, int] = field(default_factory=dict)
    recurring_topics: list[list[Any]] = field(default_factory=list)  # [topic as first typed, count]
    sentences: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The figures as plain values (a shallow copy: `asdict` deep-copied 100,000 numbers)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def compute(entries: list[list], last: int | None = None, now: datetime | None = None) -> Trends:
    """The trends over `entries` (index rows, newest first), or over the newest `last` of them."""
    with no_cycles_collected():  # a hundred thousand small numbers and lists, no cycles among them
        return _compute(entries, last, now)


def _compute(entries: list[list], last: int | None, now: datetime | None) -> Trends:
    counted = [row for row in entries if not not_started(row)]
    chosen = counted[:last] if last else counted
    out = Trends(sessions=len(chosen), not_started=len(entries) - len(counted))
    if not chosen:
        out.sentences = ["When you have had a session or two, patterns will show here."]
        return out
    newest = chosen[0]
    out.first, out.last = chosen[-1][STARTED], newest[STARTED]
    out.names = [newest[LEFT][P_NAME], newest[RIGHT][P_NAME]]
    now_t = (now or datetime.now(timezone.utc)).timestamp()

    times: list[float] = []
    lowest, balance, reflections, time_outs = out.mood_lowest_change, out.balance, [], []
    seconds = commitments = kept = lower = low = 0
    topics: dict[str, list[Any]] = {}
    protocols = []
    for (_, _, _, t, protocol, topic, _, _, duration, _, events, notes, left, right, *_) in reversed(chosen):
        times.append(t)
        protocols.append(protocol)
        seconds += duration
        changes = [p[P_MOOD_AFTER] - p[P_MOOD_BEFORE] for p in (left, right)
                   if p[P_MOOD_BEFORE] is not None and p[P_MOOD_AFTER] is not None]
        low += any(p[P_MOOD_AFTER] is not None and p[P_MOOD_AFTER] <= LOW for p in (left, right))
        if len(changes) == 2:  # each change stands alone: a drop is never evened out by the other's rise
            least = min(changes)
            lowest.append(least)
            lower += least < 0
        talk = left[P_SPEAKING] + right[P_SPEAKING]
        if left[P_SPEAKING] > 0 and right[P_SPEAKING] > 0:  # the floor came round to both (summary.balance_shown)
            balance.append(round(left[P_SPEAKING] / talk, 3))
        reflections.append(events.get("confirmed", 0))
        time_outs.append(events.get("time-out", 0) - events.get("time-out-undone", 0))  # taken back: not taken
        commitments += len(notes)
        kept += sum(1 for c in notes if c[3] == "kept")
        if topic:
            key = topic_key(topic)
            if key:
                topics.setdefault(key, [" ".join(topic.split()), 0])[1] += 1
    out.minutes_together = round(seconds / 60, 1)
    out.gaps_days = [round((b - a) / DAY, 2) for a, b in zip(times, times[1:])]
    out.median_gap_days = round(statistics.median(out.gaps_days), 1) if out.gaps_days else None
    out.sessions_last_30_days = sum(1 for t in times if 0 <= now_t - t <= 30 * DAY)
    out.reflections_per_session, out.reflections_confirmed = reflections, sum(reflections)
    out.mood_sessions, out.one_left_lower, out.one_left_low = len(lowest), lower, low
    out.time_outs_per_session, out.time_outs = time_outs, sum(time_outs)
    out.commitments, out.commitments_kept = commitments, kept
    out.mean_balance = _mean(out.balance)
    out.rituals = dict(Counter(reversed(protocols)).most_common())  # ties: the newest first
    out.recurring_topics = sorted((t for t in topics.values() if t[1] >= 2), key=lambda t: (-t[1], t[0]))
    out.sentences = sentences(out)
    return out


def sentences(t: Trends) -> list[str]:
    """A few plain, kind sentences about the patterns; nothing that ranks a partner."""
    said: list[str] = []
    plural = "s" if t.sessions != 1 else ""
    said.append(f"{t.sessions} session{plural} together, {_time_together(t.minutes_together)} in all.")
    gaps = t.gaps_days
    if len(gaps) >= 6:
        half = len(gaps) // 2
        early, late = gaps[:half], gaps[half:]
        spread_early, spread_late = statistics.pstdev(early), statistics.pstdev(late)
        if spread_late < spread_early * 0.8:
            said.append("Your sessions have been more regular lately.")
        elif statistics.median(late) < statistics.median(early) * 0.8:
            said.append("You have been meeting more often lately.")
    if t.median_gap_days is not None:
        said.append(f"You usually meet every {_days(t.median_gap_days)}.")
    if t.one_left_lower:
        said.append(LOWER_AFTER)
    elif t.one_left_low:  # stuck at 1 is not "no lower": it is worth seeing too
        said.append(LOW_AFTER)
    elif t.mood_lowest_change:
        said.append("Neither of you has left a session feeling lower than you came in.")
    if t.mean_balance is not None and 0.4 <= t.mean_balance <= 0.6:
        said.append("The floor has been shared fairly evenly.")
    elif t.mean_balance is not None:
        said.append("The floor has leaned to one side; the ritual's timer can help share it out.")
    if t.reflections_confirmed:  # a count, not a verdict: one of you may still have left unheard
        n = t.reflections_confirmed
        said.append(f"{n:,} reflection{'s' if n != 1 else ''} checked and confirmed together.")
    if t.time_outs:
        said.append("You took time-outs when you needed them; that is care, not a setback.")
    if t.recurring_topics:
        said.append(f"“{t.recurring_topics[0][0]}” keeps coming back; some topics do, and talking about them "
                    "again is part of it.")
    return said


def _time_together(minutes: float) -> str:
    """Minutes under an hour, hours above: a short talk is never "0 hours"."""
    if minutes < 1:
        return "less than a minute"
    if minutes < 59.5:
        whole = round(minutes)
        return f"{whole} minute{'s' if whole != 1 else ''}"
    hours = round(minutes / 60, 1)
    return f"{hours:g} hour{'s' if hours != 1 else ''}"


def _days(days: float) -> str:
    if days < 1.5:
        return "day or so"
    if 6 <= days <= 8:
        return "week or so"
    return f"{round(days)} days or so"

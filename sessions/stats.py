"""Patterns over past sessions: how often you meet and how it is going, together.

Pure functions over index rows (`index.summarize`), newest first, so the
figures are tested without files; one pass over the compact rows, so years
of sessions take a fraction of a second. Every figure is shared (the balance of the
floor is one number between two names; reflections, time-outs and
commitments are counted for the couple); the sentences are kind, never rank
or blame a partner, and never count streaks or missed weeks.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import Any

from .index import (LEFT, P_FIRST_TIME, P_MOOD_AFTER, P_MOOD_BEFORE, P_NAME, P_SPEAKING, RIGHT, STARTED,
                    no_cycles_collected)

DAY = 86400.0


def topic_key(topic: str) -> str:
    """Topics that differ only in case, spacing or punctuation are the same topic."""
    return " ".join(re.sub(r"[^\w\s]", " ", topic.casefold()).split())


@dataclass
class Trends:
    sessions: int = 0
    first: str = ""  # ISO date-times of the oldest and newest session counted
    last: str = ""
    names: list[str] = field(default_factory=lambda: ["", ""])  # left, right, of the newest session
    minutes_together: float = 0.0
    gaps_days: list[float] = field(default_factory=list)  # between consecutive sessions, oldest first
    median_gap_days: float | None = None
    sessions_last_30_days: int = 0
    mood_before: list[float | None] = field(default_factory=lambda: [None, None])  # mean, left and right
    mood_after: list[float | None] = field(default_factory=lambda: [None, None])
    mood_change: list[float] = field(default_factory=list)  # per session with check-ins: mean after - before
    balance: list[float] = field(default_factory=list)  # per session: left's share of speaking time, 0..1
    mean_balance: float | None = None
    reflections_confirmed: int = 0
    reflections_first_time: int = 0
    reflections_per_session: list[int] = field(default_factory=list)
    time_outs: int = 0
    time_outs_per_session: list[int] = field(default_factory=list)
    commitments: int = 0
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
    chosen = entries[:last] if last else entries
    out = Trends(sessions=len(chosen))
    if not chosen:
        out.sentences = ["When you have had a session or two, patterns will show here."]
        return out
    newest = chosen[0]
    out.first, out.last = chosen[-1][STARTED], newest[STARTED]
    out.names = [newest[LEFT][P_NAME], newest[RIGHT][P_NAME]]
    now_t = (now or datetime.now(timezone.utc)).timestamp()

    times: list[float] = []
    before: list[list[int]] = [[], []]
    after: list[list[int]] = [[], []]
    mood_change, balance, reflections, time_outs = out.mood_change, out.balance, [], []
    seconds = first_time = commitments = kept = 0
    topics: dict[str, list[Any]] = {}
    protocols = []
    for (_, _, _, t, protocol, topic, _, _, duration, _, events, notes, left, right, *_) in reversed(chosen):
        times.append(t)
        protocols.append(protocol)
        seconds += duration
        changes = []
        for n, p in enumerate((left, right)):
            b, a = p[P_MOOD_BEFORE], p[P_MOOD_AFTER]
            if b is not None:
                before[n].append(b)
            if a is not None:
                after[n].append(a)
                if b is not None:
                    changes.append(a - b)
            first_time += p[P_FIRST_TIME] or 0
        if changes:
            mood_change.append(round(sum(changes) / len(changes), 2))
        talk = left[P_SPEAKING] + right[P_SPEAKING]
        if talk > 0:
            balance.append(round(left[P_SPEAKING] / talk, 3))
        reflections.append(events.get("confirmed", 0))
        time_outs.append(events.get("time-out", 0))
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
    out.reflections_first_time = first_time
    out.time_outs_per_session, out.time_outs = time_outs, sum(time_outs)
    out.commitments, out.commitments_kept = commitments, kept
    out.mood_before = [_mean(b) for b in before]
    out.mood_after = [_mean(a) for a in after]
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
    if t.mood_change:
        mean = statistics.fmean(t.mood_change)
        if mean > 0.2:
            said.append("On average you both leave a session feeling a little better.")
        elif mean < -0.2:
            said.append("Some sessions have felt heavy; a stress-reducing talk or an appreciation round can help.")
        else:
            said.append("You usually leave a session feeling about as you came in.")
    if t.mean_balance is not None and 0.4 <= t.mean_balance <= 0.6:
        said.append("The floor has been shared fairly evenly.")
    elif t.mean_balance is not None:
        said.append("The floor has leaned to one side; the ritual's timer can help share it out.")
    if t.reflections_confirmed:
        said.append(f"{t.reflections_confirmed} reflections confirmed: you have been hearing each other.")
    if t.time_outs:
        said.append("You took time-outs when you needed them; that is care, not a setback.")
    if t.commitments:
        said.append(f"{t.commitments_kept} of {t.commitments} commitments kept.")
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

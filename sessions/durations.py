"""Turn lengths typed by people, and times shown to them.

One parser for every place a duration is typed (`--speak 2m`, the setup
screen), so "90", "90s", "2m", "1m30s" and "1:30" mean the same everywhere;
the last is how heartline itself shows a length, so what it shows can be typed back.
"""

from __future__ import annotations

import math
import re

MIN_SECONDS = 1
MAX_SECONDS = 60 * 60
_FORMS = "use 90, 90s, 2m, 1m30s or 1:30 (1 second to 60 minutes)"
_DURATION = re.compile(r"^(?:(?P<m>\d+)\s*m(?:in)?)?\s*(?:(?P<s>\d+)\s*(?:s(?:ec)?)?)?$", re.IGNORECASE)
EPSILON = 1e-9  # a whole second reached within this is reached: float sums of times are never exact
AFTER = EPSILON / 2  # a moment's wake-up: past the figure's turn (EPSILON early), well above float noise
_CLOCK = re.compile(r"^(?P<m>\d+):(?P<s>[0-5]\d)$")  # "1:30", the way heartline shows durations


def parse_duration(text: str) -> int:
    """Seconds in `text`, or ValueError with a message a person can act on."""
    raw = str(text)
    cleaned = raw.strip()
    clock = _CLOCK.match(cleaned)
    if clock:
        return _in_range(int(clock["m"]) * 60 + int(clock["s"]), raw)
    match = _DURATION.match(cleaned)
    if not cleaned or match is None or (match["m"] is None and match["s"] is None):
        raise ValueError(f"{raw!r} is not a duration: {_FORMS}")
    if match["m"] is not None and match["s"] is not None and not cleaned.lower().endswith(("s", "sec")):
        raise ValueError(f"{raw!r} is not a duration: {_FORMS}")  # "1m30": seconds must say so
    return _in_range(int(match["m"] or 0) * 60 + int(match["s"] or 0), raw)


def _in_range(seconds: int, raw: str) -> int:
    if seconds < MIN_SECONDS:
        raise ValueError(f"{raw!r} is too short: a duration is 1 second to 60 minutes")
    if seconds > MAX_SECONDS:
        raise ValueError(f"{raw!r} is too long: a duration is 1 second to 60 minutes")
    return seconds


def format_duration(seconds: float, *, elapsed: bool = False) -> str:
    """A clock face: "2:05", "1:02:03".

    A countdown rounds up, so it shows 0:00 only when time is really up; time
    already spent (``elapsed=True``) rounds down, like a stopwatch.
    """
    sign = "-" if seconds < 0 else ""
    if not math.isfinite(seconds):
        total = 0
    elif elapsed:
        total = math.floor(abs(seconds) + EPSILON)
    else:
        total = math.ceil(abs(seconds) - EPSILON)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


def whole_seconds(spent: float) -> int:
    """Whole seconds of time spent, as a stopwatch (and a progress bar) counts them."""
    return math.floor(spent + EPSILON)


def countdown_change(seconds: float) -> float | None:
    """Seconds until a countdown showing `seconds` (as `format_duration` does) shows the next figure down.

    A countdown rounds up, so the figure changes as the time left crosses a
    whole second: 4.3 s left shows 0:05 for 0.3 s more. None once it shows 0:00.
    A figure turns over EPSILON before its whole second; this is a hair after
    that (AFTER before the whole second), so a redraw then surely sees it.
    """
    if not math.isfinite(seconds) or seconds <= EPSILON:
        return None
    return seconds - (math.ceil(seconds - EPSILON) - 1) - AFTER


def elapsed_change(seconds: float, unit: int = 1) -> float | None:
    """Seconds until time spent (`format_duration(..., elapsed=True)`) shows the next figure up;
    with `unit=60`, until `minutes_spent` does."""
    if not math.isfinite(seconds):
        return None
    return (whole_seconds(seconds) // unit + 1) * unit - AFTER - seconds


def minutes_spent(seconds: float) -> str:
    """Time spent by the whole minute, a figure that moves once a minute: "under a minute", "12 min", "1 h 5 min"."""
    minutes = whole_seconds(seconds) // 60 if math.isfinite(seconds) else 0
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours and minutes else f"{hours} h" if hours else f"{minutes} min"


def human_duration(seconds: float) -> str:
    """Words for a length of time: "45 s", "24 min", "1 h 5 min"."""
    if not math.isfinite(seconds):
        return "0 s"
    total = max(0, round(seconds))
    if total < 60:
        return f"{max(0, math.floor(seconds + 1e-9))} s"  # seconds already spent: counted like the clock face
    minutes = round(total / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"

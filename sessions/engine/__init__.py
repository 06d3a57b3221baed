"""The session engine: a deterministic state machine over a ritual, two partners and a clock.

The UI forwards keys here and renders `state()`; every rule of the
conversation lives in this package. Each input is appended to `log` with its
time, and replaying the log on a manual clock rebuilds the same session, which
is what the crash journal and the exact tests stand on.

Where things are:
- `terms`: sides, stages, the two partner keys, outcomes, the constants;
- `plan`: settings, a ritual laid out as steps, and how long the plan takes;
- `state`: what a screen renders at one instant;
- `core`: the `Engine` itself, its clock and inputs, built from the parts below;
- `floor`: the floor and its turns (what a key meant, who holds the floor next);
- `goodtime`: "Is now a good time?", asked first of who listens first (now, or later within a day);
- `breaks`: pause and time-out; `checkin`: ground rules and the sealed check-in;
- `notes`: the I-statement and notes; `view`: the `State` a screen reads;
- `repair`: a repair phrase either partner reaches for (the clock waits; "flooded" is the time-out);
- `record`: the session's record, and a session replayed from its log;
- `calm`: a calm-first ritual (the aftermath of a fight) waits out a time-out's minimum.
"""

from .calm import calm_from, last_time_out
from .core import Engine
from .plan import Settings, Step, estimate_seconds, own_lengths, phase_seconds, plan, ritual_estimate
from .repair import FLOODED, REPAIRS
from .state import PartnerTally, SideView, State, Transition
from .terms import (
    BURST_GAP_SECONDS,
    LEFT,
    LOW_MOOD,
    MOODS,
    NOTE_KINDS,
    PAUSE_REASONS,
    RETURN_WITHIN_MINUTES,
    RIGHT,
    SCHEMA,
    SETTLE_SECONDS,
    SIDES,
    TIMEOUT_SECONDS,
    UNDO_SECONDS,
    Action,
    Outcome,
    Result,
    Stage,
    other,
)

__all__ = [
    "BURST_GAP_SECONDS", "FLOODED", "LEFT", "LOW_MOOD", "MOODS", "NOTE_KINDS", "PAUSE_REASONS", "REPAIRS",
    "RETURN_WITHIN_MINUTES", "RIGHT", "SCHEMA", "SETTLE_SECONDS", "SIDES", "TIMEOUT_SECONDS", "UNDO_SECONDS", "Action", "Engine",
    "Outcome", "PartnerTally", "Result", "Settings", "SideView", "Stage", "State", "Step", "Transition",
    "calm_from", "estimate_seconds", "last_time_out", "other", "own_lengths", "phase_seconds", "plan", "ritual_estimate",
]

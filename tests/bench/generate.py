"""Realistic session histories, made by the engine and saved by heartline's own writer.

Each session is played through `Engine` on a manual clock (ground rules, the
sealed check-in, every floor, reflection and confirmation, blocked keys,
pauses, the odd time-out, notes and commitments, the check-out) and written
with `store.save_record`, so the files are exactly what a couple would have.

    python tests/bench/generate.py DIR N [--seed S]

`DIR` is a data folder (it gets `sessions/`); used by `run.py` and by tests.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from heartline.sessions import store  # noqa: E402
from heartline.sessions.clock import ManualClock  # noqa: E402
from heartline.sessions.engine import Action, Stage  # noqa: E402
from heartline.sessions.rituals import load_rituals  # noqa: E402
from heartline.sessions.setup import SessionPlan  # noqa: E402

TOPICS = [
    "How we spend the holidays", "Money and the new car", "Visiting your parents", "Chores at the weekend",
    "Our plans for next summer", "Feeling close again", "The move", "Work and evenings", "", "",
    "What I want for my birthday", "How we argue", "The kids' bedtime", "Time for ourselves",
]
PARKING = ["ask about the flights", "the dentist bill", "call your sister", "the leaking tap", "next weekend"]
COMMITMENTS = ["book the train", "a walk on Sunday", "phone off at dinner", "plan a date night", "say thank you more"]
APPRECIATIONS = ["you made dinner", "you listened tonight", "the note in my bag", "you fixed the bike"]
FEELINGS = ["tired", "hopeful", "tense", "calm", "worried", "glad", ""]
CET = timezone(timedelta(hours=1))


def play(rng: random.Random, ritual, started: datetime, left: str, right: str, session_id: str) -> dict:
    """One session played through the engine; the record it saves."""
    plan = SessionPlan(
        protocol=ritual.id, left=left, right=right, speak=rng.choice([60, 90, 120, 180]),
        reflect=rng.choice([30, 60]), rounds=rng.choice([1, 2, 2, 3]), topic=rng.choice(TOPICS),
        checkin=rng.random() < 0.85, closing_appreciation=rng.random() < 0.3,
    )
    clock = ManualClock(start=started, monotonic=0.0)
    engine = plan.engine(ritual, clock, session_id)
    sides = ("left", "right")
    steps_taken = 0
    while engine.stage is not Stage.ENDED and steps_taken < 400:
        steps_taken += 1
        clock.advance(rng.uniform(1.0, 6.0))
        stage = engine.stage
        if stage is Stage.RULES:
            for side in sides:
                engine.press(side, Action.DONE)
        elif stage in (Stage.CHECKIN, Stage.CHECKOUT):
            for side in sides:
                low = 1 if stage is Stage.CHECKIN else 2
                engine.check_in(side, rng.randint(low, 5), rng.choice(FEELINGS))
            clock.advance(2.0)
            for side in sides:
                engine.press(side, Action.DONE)
        elif stage is Stage.FLOOR:
            step = engine.current_step
            if step is None:
                break
            holder = step.holder
            listener = "right" if holder == "left" else "left"
            if rng.random() < 0.005 and steps_taken > 3:
                engine.end_early()
                break
            if rng.random() < 0.01:
                engine.time_out()
                clock.advance(20 * 60 + rng.uniform(0, 300))
                engine.tick()
                if engine.pause_kind:
                    engine.toggle_pause()
            if rng.random() < 0.06:
                engine.toggle_pause()
                clock.advance(rng.uniform(5, 90))
                engine.toggle_pause()
            clock.advance(rng.uniform(0.3, 1.15) * step.planned if step.planned else 5.0)
            if rng.random() < 0.12:
                engine.press(listener, Action.DONE)  # blocked: the floor is not theirs
            if rng.random() < 0.08:
                engine.add_note(listener, rng.choice(PARKING))
            kind = engine.note_kind(holder)
            if kind == "appreciation":
                engine.add_note(holder, rng.choice(APPRECIATIONS))
            elif kind == "commitment":
                engine.add_note(holder, rng.choice(COMMITMENTS))
            if step.is_confirm and rng.random() < 0.25:
                engine.press(holder, Action.NOT_QUITE)
            else:
                engine.press(holder, Action.DONE)
    if engine.stage is not Stage.ENDED:
        engine.end_early()
    record = engine.record()
    if rng.random() < 0.04:
        record["status"] = "recovered"
    for note in record["notes"]:
        if note["kind"] == "commitment" and rng.random() < 0.6:
            note["status"] = "kept"
    if rng.random() < 0.3:
        record["notes"].append({"by": rng.choice(sides), "kind": "commitment",
                                "text": rng.choice(COMMITMENTS), "status": rng.choice(["open", "kept"])})
    return record


def generate(data: Path, count: int, seed: int = 1, start: datetime | None = None,
             names: tuple[str, str] = ("Alex", "Sam")) -> list[Path]:
    """Write `count` sessions under `data`, oldest first, a few days apart; their paths."""
    rng = random.Random(seed)
    rituals = list(load_rituals(Path("/nonexistent")))
    when = start or datetime(2026, 11, 26, 19, 5, 12, tzinfo=CET) - timedelta(days=4.6 * count)
    paths = []
    taken: set[str] = set()
    for _ in range(count):
        when += timedelta(days=rng.choice([1, 2, 3, 3, 4, 7, 7, 10]), minutes=rng.randint(-90, 90), seconds=rng.randint(0, 59))
        ritual = rng.choices(rituals, weights=[5 if r.id == "speaker-listener" else 1 for r in rituals])[0]
        sid = store.make_session_id(when, *names, existing=taken)
        taken.add(sid)
        record = play(rng, ritual, when, *names, sid)
        folder = store.sessions_dir(Path(data))
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(folder / f"{sid}.toml", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))  # the id, taken
        paths.append(store.save_record(record, data))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = generate(args.data, args.count, args.seed)
    print(f"{len(paths)} sessions in {args.data / 'sessions'}")


if __name__ == "__main__":
    main()

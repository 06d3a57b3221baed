"""The floor on the machine's clock: cue latency, CPU per speaking turn, and drift, each beside a bare Textual app.

    python tests/bench/run.py --only floor [--repeat 3]     (the table)
    python tests/bench/floor.py [--repeat 3]                 (the same rows alone)

Every app runs headless (`run_test`, 100×30) in this process, one after the
other. A frame is "shown" when Textual writes it (`Screen._compositor_refresh`,
hooked as run.py's first-paint figure does).

- cue latency: a 1 s speaking turn with 1 s of grace; from the engine's
  deadline (when it ends the turn by itself) to the first frame showing the
  end-of-turn cue: its words on the terminal, kept from the updates written
  as a terminal keeps them (not a widget's content). Baseline: a bare app
  whose `set_timer` at the same deadline puts the words in a Static.
- CPU: process time over wall time while a speaking turn runs (a window of
  WINDOW seconds after a second to settle), in % of one core. Baseline: a bare
  app with a Digits countdown ticking once a second (`set_interval(1)`).
  Each round measures the two back to back, heartline first in even rounds and
  the bare app first in odd ones (so neither always gets the quieter moment),
  and divides the two: the figure is the median of these per-round ratios. On
  a shared machine the load moves between rounds more than within one, and a
  ratio taken within a round cancels most of it; the ratio of the two medians
  (each over all rounds, so from different moments) is printed beside it.
- drift: a 60 s speaking turn and 2 s of its grace. At each frame, the shown
  countdown against the engine's at that instant (whole seconds apart); and
  for each of the turn's second changes, how long until a frame showed it.
  Baseline: the bare app counting down the same turn with `set_interval(1)`
  half a second out of phase with the turn (a timer started when the screen
  was, not when the second turns over).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

WINDOW = 10.0  # seconds of wall time per CPU figure
LONG = 60  # the long turn's seconds, for drift
SIZE = (100, 30)

from tests.frames import Terminal  # noqa: E402 - the same terminal the frame tests keep (after sys.path)


class Frames:
    """Hooks Textual's frame write; `probe(screen)` is read right after each frame of a screen of that name.

    With `terminal`, every update written (by any screen) is kept in `self.terminal` too, after the
    frame's instant is taken: a probe reads what a person would see there.
    """

    def __init__(self, screen_name: str, probe, terminal: bool = False) -> None:
        from textual.app import App
        from textual.screen import Screen

        self.seen: list[tuple[float, object]] = []
        self.terminal = Terminal(*SIZE) if terminal else None
        self._screen, self._app = Screen, App
        self._original, self._display = Screen._compositor_refresh, App._display
        original, display, seen, written = self._original, self._display, self.seen, []

        def kept(app, screen, update) -> None:
            display(app, screen, update)
            if update is not None and not app._batch_count:  # what Textual writes out (nothing in a batch)
                written.append(update)

        def hooked(screen) -> None:
            original(screen)
            now = time.monotonic()
            while written and self.terminal is not None:
                self.terminal.write(written.pop(0))
            if type(screen).__name__ == screen_name and screen.is_current:
                seen.append((now, probe(screen)))

        Screen._compositor_refresh = hooked
        if terminal:
            App._display = kept

    def close(self) -> None:
        self._screen._compositor_refresh = self._original
        self._app._display = self._display

    def showing(self, words: str) -> str:
        """`words` if a row of the terminal shows them now, else ""."""
        return words if words and any(words in row for row in self.terminal.rows()) else ""


def _bare_app(deadline_in: float | None = None, countdown: float | None = None, phase: float = 0.0,
              interval: float = 1.0):
    """The baseline: a Static for a cue at a deadline, or a Digits countdown ticking every `interval` seconds."""
    from textual.app import App
    from textual.widgets import Digits, Static

    class Bare(App):
        def compose(self):
            yield Static("", id="cue")
            yield Digits("", id="clock")

        def on_mount(self) -> None:
            now = time.monotonic()
            if deadline_in is not None:
                self.deadline = now + deadline_in
                self.set_timer(deadline_in, lambda: self.query_one("#cue", Static).update("Turn ended"))
            if countdown is not None:
                self.turn_end = now - phase + countdown  # the turn began `phase` s before this timer
                self.tick()
                self.set_interval(interval, self.tick)

        def tick(self) -> None:
            left = max(0.0, self.turn_end - time.monotonic())
            self.query_one("#clock", Digits).update(_face(left))

    return Bare()


def _face(left: float) -> str:
    total = math.ceil(max(0.0, left) - 1e-9)
    return f"{total // 60}:{total % 60:02d}"


def _seconds(face: str) -> int:
    minutes, seconds = face.split(":")
    return int(minutes) * 60 + int(seconds)


def _ours(home: Path, speak: int, grace: int | None = None):
    from heartline.sessions.clock import RealClock
    from heartline.sessions.setup import SessionPlan
    from heartline.tui.app import AppConfig, HeartlineApp

    plan = SessionPlan("stress-reducing", "Alex", "Sam", speak=speak, reflect=20, rounds=1, rules=False,
                       checkin=False, grace=grace)
    config = AppConfig(data_dir=home / "data", config_dir=home / "config", clock=RealClock())
    return HeartlineApp(config, plan)


# ----- cue latency -----------------------------------------------------------

async def _cue_ours(home: Path) -> float:
    def cue(screen) -> str:  # the screen's end-of-turn words ("" before the deadline), if on the terminal
        return frames.showing(screen._cue[0])

    frames = Frames("SessionScreen", cue, terminal=True)
    try:
        app = _ours(home, speak=1, grace=1)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            engine = app.screen.engine
            deadline = engine._t0 + engine.settings.speak_seconds + engine.settings.grace_seconds
            while not any(text for _, text in frames.seen) and time.monotonic() < deadline + 2:
                await asyncio.sleep(0.01)
    finally:
        frames.close()
    shown = next(t for t, text in frames.seen if text)
    return shown - deadline


async def _cue_bare() -> float:
    frames = Frames("Screen", lambda screen: frames.showing("Turn ended"), terminal=True)
    try:
        app = _bare_app(deadline_in=2.0)
        async with app.run_test(size=SIZE):
            while not any(text for _, text in frames.seen) and time.monotonic() < app.deadline + 2:
                await asyncio.sleep(0.01)
    finally:
        frames.close()
    return next(t for t, text in frames.seen if text) - app.deadline


# ----- CPU -------------------------------------------------------------------

async def _cpu(app, settle: float = 1.0) -> float:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(settle)
        cpu0, wall0 = time.process_time(), time.monotonic()
        await asyncio.sleep(WINDOW)
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    return cpu / wall * 100


# ----- drift -----------------------------------------------------------------

async def _drift(app, screen_name: str, digits: str, turn_end) -> tuple[list[float], list[int]]:
    """Lags (s) from each second change to the frame showing it; whole seconds apart at each frame."""
    from textual.widgets import Digits

    frames = Frames(screen_name, lambda screen: screen.query_one(digits, Digits).value)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            end = turn_end(app)
            while time.monotonic() < end + 2:
                await asyncio.sleep(0.05)
    finally:
        frames.close()
    seen = [(t, face) for t, face in frames.seen if face]
    apart = [abs(_seconds(face) - _seconds(_face(end - t))) for t, face in seen if t <= end]
    lags = []
    for k in range(1, LONG):  # the figure becomes LONG - k at end - (LONG - k)
        change = end - (LONG - k)
        wanted = _face(LONG - k)
        after = [t for t, face in seen if t >= change and face == wanted]
        lags.append(after[0] - change if after else float("inf"))
    return lags, apart


def _ours_end(app) -> float:
    engine = app.screen.engine
    return engine._t0 + engine.settings.speak_seconds


# ----- all -------------------------------------------------------------------

def measure(repeat: int, record) -> list:
    """Adds the floor's rows through run.py's `record` (which keeps them); returns no rows of its own."""
    cue, cue_base, cpu, cpu_base, ratios = [], [], [], [], []
    with tempfile.TemporaryDirectory(prefix="heartline-bench-floor-") as tmp:
        for i in range(repeat):
            cue.append(asyncio.run(_cue_ours(Path(tmp) / f"cue{i}")))
            cue_base.append(asyncio.run(_cue_bare()))
            pair = {}  # this round's two, back to back, which goes first alternating
            for who in ("ours", "bare") if i % 2 == 0 else ("bare", "ours"):
                app = _ours(Path(tmp) / f"cpu{i}", speak=3600) if who == "ours" else _bare_app(countdown=3600)
                pair[who] = asyncio.run(_cpu(app))
            cpu.append(pair["ours"])
            cpu_base.append(pair["bare"])
            ratios.append(pair["ours"] / pair["bare"])
            print(f"floor CPU round {i + 1} ({'heartline' if i % 2 == 0 else 'bare'} first): {pair['ours']:.3f} % / "
                  f"{pair['bare']:.3f} % = {ratios[-1]:.2f}×", file=sys.stderr)
        lags, apart = asyncio.run(_drift(_ours(Path(tmp) / "drift", speak=LONG), "SessionScreen",
                                         "#pane-left #clock", _ours_end))
        base_lags, base_apart = asyncio.run(_drift(_bare_app(countdown=LONG, phase=0.5), "Screen", "#clock",
                                                   lambda app: app.turn_end))
    record("floor: end-of-turn cue after the deadline", cue, cue_base, "≤ 20 ms", base_name="bare set_timer")
    record("floor: CPU, a speaking turn (% of a core; ratio of the medians)", cpu, cpu_base, "–", unit="%",
           base_name="bare Digits 1/s")
    record("floor: CPU, a speaking turn, median of per-round ratios (the two back to back, first alternating)",
           ratios, None, "≤ 1.2×", unit="×")
    record(f"floor: shown second behind the engine's, {LONG} s turn", lags, base_lags, "a frame (≤ 20 ms)",
           base_name="bare 1/s, ½ s out of phase")
    record(f"floor: shown countdown off the engine's at a frame, {LONG} s turn", [float(a) for a in apart],
           [float(a) for a in base_apart], "0 s", unit="s off", base_name="bare 1/s, ½ s out of phase")
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows: list[tuple] = []

    def record(what, values, base, goal, unit="s", base_name=""):
        def fmt(v):
            return f"{v * 1000:.1f} ms" if unit == "s" else f"{v:.2f}×" if unit == "×" else f"{v:.2f} {unit}"
        med = statistics.median(values)
        bmed = statistics.median(base) if base else None
        rows.append((what, len(values), fmt(med), f"{fmt(min(values))}–{fmt(max(values))}",
                     f"{fmt(bmed)} {base_name}" if base else "–", f"{med / bmed:.2f}×" if bmed else "–", goal))

    measure(args.repeat, record)
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")


if __name__ == "__main__":
    main()

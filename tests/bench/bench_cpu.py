"""CPU used while a turn runs, next to a bare Textual app with a ticking Digits.

Run:  .venv/bin/python tests/bench/bench_cpu.py [seconds]
Both apps run headless in this process, one after the other, on the real
clock, for the same wall time; the figure is CPU seconds per minute of turn
(process time, user + system). Not part of the test run: numbers, not asserts.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Digits

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from heartline.sessions.clock import RealClock  # noqa: E402
from heartline.sessions.setup import SessionPlan  # noqa: E402
from heartline.tui.app import AppConfig, HeartlineApp  # noqa: E402


class BareDigits(App):
    """The smallest honest baseline: a Digits countdown redrawn four times a second."""

    def compose(self) -> ComposeResult:
        yield Digits("10:00")

    def on_mount(self) -> None:
        self.start = time.monotonic()
        self.set_interval(0.25, self.tick)

    def tick(self) -> None:
        left = 600 - (time.monotonic() - self.start)
        self.query_one(Digits).update(f"{int(left // 60)}:{int(left % 60):02d}")


async def measure(app: App, seconds: float, warmup, size=(100, 30)) -> float:
    async with app.run_test(size=size) as pilot:
        await warmup(pilot)
        await pilot.pause(1.0)
        cpu0, wall0 = time.process_time(), time.monotonic()
        await asyncio.sleep(seconds)
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
    return cpu / wall * 60


async def main(seconds: float) -> None:
    async def nothing(pilot):
        return None

    async def onto_the_floor(pilot):
        await pilot.press("f", "j")  # agree to the ground rules: the first speaking turn starts

    bare = await measure(BareDigits(), seconds, nothing)
    with tempfile.TemporaryDirectory() as home:
        plan = SessionPlan("speaker-listener", "Alex", "Sam", speak=3600, reflect=60, rounds=1, checkin=False)
        config = AppConfig(data_dir=Path(home) / "data", config_dir=Path(home) / "config", clock=RealClock())
        ours = await measure(HeartlineApp(config, plan), seconds, onto_the_floor)
    print(f"window: {seconds:.0f} s of wall time each, headless, 100x30")
    print(f"bare Digits app (4 redraws/s):   {bare:6.2f} CPU s per minute")
    print(f"heartline, speaking turn:        {ours:6.2f} CPU s per minute")


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 20))

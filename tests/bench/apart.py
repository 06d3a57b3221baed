"""A session apart (issue 19): a key across two heartlines, the CPU of each side, and first paint unchanged.

    python tests/bench/run.py --only apart [--repeat 5]     (the table)
    python tests/bench/apart.py [--repeat 5]                 (the same rows alone)

Everything goes through a mailbox server of the bench's own on 127.0.0.1
(`tests/apart_server.py`), never the public relay.

- key: on the floor, the joining side presses the pause key; from the key
  reaching its app to the later of the two frames (one on each side) that
  show the session paused, then again to show it running. Each side runs
  in a process of its own (headless, `run_test`), times on the clock they
  share (`time.monotonic`); a second row has both apps in this process on
  one event loop, as the in-process tests do (one core for both: a harder
  case). A frame is "shown" when Textual writes it
  (`Screen._compositor_refresh`, as run.py's figures). Baseline: the same
  key at one keyboard (`heartline start`, the same session, its own
  process), and the round trip of one message A→B→A through the mailbox
  server, measured in the same run.
- CPU: the same processes, the session on the floor in a long speaking
  turn before any key; process time over wall time in a window of WINDOW
  seconds, in % of one core. Baseline: one keyboard, measured the same way.
- first paint: run.py's first-paint script for `heartline` home and
  `heartline start`, this build beside the build just before issue 19
  (extracted from git into a temporary folder), interleaved; each run also
  says whether anything of Twisted or wormhole was imported by then.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

WINDOW = 10.0  # seconds of wall time per CPU figure
SIZE = (100, 30)
BEFORE = "d7ba893"  # main just before issue 19's first merge (8dae2f5): the one-keyboard build, unchanged since


def _options(home: Path, name: str):
    from heartline.tui.cli import StartOptions

    data, config = home / name / "data", home / name / "config"
    data.mkdir(parents=True, exist_ok=True)
    config.mkdir(parents=True, exist_ok=True)
    return StartOptions(data, config, left="Alex", right="Sam", protocol="speaker-listener", speak=3600,
                        reflect=600, rounds=1, checkin=False)


class Frames:
    """Each frame Textual writes of a session screen: (time, app, shown paused?)."""

    NAMES = ("SessionScreen", "HostSessionScreen", "GuestSessionScreen")

    def __init__(self) -> None:
        from textual.screen import Screen

        self.seen: list[tuple[float, object, bool]] = []
        self._screen, self._original = Screen, Screen._compositor_refresh
        original, seen = self._original, self.seen

        def hooked(screen) -> None:
            original(screen)
            if type(screen).__name__ in self.NAMES and screen.is_current:
                banner = str(screen.query_one("#banner").content)
                seen.append((time.perf_counter(), screen.app, "Paused" in banner))

        Screen._compositor_refresh = hooked

    def close(self) -> None:
        self._screen._compositor_refresh = self._original


async def _until(condition, timeout: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"the bench waited too long{': ' + what if what else ''}")
        await asyncio.sleep(0.005)


async def _toggles(frames: Frames, presser, apps: list, n: int) -> list[float]:
    """n presses of the pause key on `presser`: each until every app in `apps` has written a frame showing it."""
    from textual import events

    out = []
    paused = False
    for _ in range(n):
        await asyncio.sleep(0.15)  # settle: no frame of the last press still on its way
        paused = not paused
        mark = len(frames.seen)
        start = time.perf_counter()
        presser._driver.send_message(events.Key("space", " "))

        def shown() -> bool:
            return all(any(app is a and p == paused for _, a, p in frames.seen[mark:]) for app in apps)

        await _until(shown)
        out.append(max(next(t for t, a, p in frames.seen[mark:] if a is app and p == paused) for app in apps)
                   - start)
    return out


async def _key_apart(url: str, home: Path, n: int) -> list[float]:
    from heartline.tui.apart.run import guest_app, host_app
    from heartline.tui.apart.screens import ConnectScreen, GuestSessionScreen, HostSessionScreen

    host = host_app(_options(home, "host"), url)
    host.config.first_safety = False
    frames = Frames()
    try:
        async with host.run_test(size=SIZE) as hp:
            await _until(lambda: isinstance(host.screen, ConnectScreen) and host.screen.link is not None
                         and host.screen.link.code)
            guest = guest_app(_options(home, "guest"), url, host.screen.link.code)
            guest.config.first_safety = False
            async with guest.run_test(size=SIZE) as gp:
                await _until(lambda: isinstance(guest.screen, GuestSessionScreen)
                             and isinstance(host.screen, HostSessionScreen))
                await gp.press("j")
                await hp.press("f")
                await _until(lambda: guest.screen.engine.state().floor == "left")
                return await _toggles(frames, guest, [host, guest], n)
    finally:
        frames.close()


async def _round_trip(url: str, n: int) -> list[float]:
    """One message A→B→A through the mailbox server, between two wormholes (heartline's own Link)."""
    from heartline.tui.apart.link import Link

    a, b = Link(url, {"app": "bench"}), Link(url, {"app": "bench"})
    code = await a.allocate()
    await asyncio.gather(b.join(code), a.connected())
    back = asyncio.Queue()
    b.on_message = b.send
    a.on_message = back.put_nowait
    out = []
    for i in range(n):
        start = time.perf_counter()
        a.send(str(i).encode())
        await asyncio.wait_for(back.get(), 10)
        out.append(time.perf_counter() - start)
    await asyncio.gather(a.close(), b.close())
    return out


SIDE = r"""
import asyncio, os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from tests.bench.apart import _options, _until, WINDOW, SIZE
role, home, url, presses = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[5])
code = sys.argv[6] if len(sys.argv) > 6 else ""
frames = []  # (time.monotonic(), shown paused?): the clock every process on this machine shares

async def main():
    from textual import events
    from textual.screen import Screen
    original = Screen._compositor_refresh
    def hooked(screen):
        original(screen)
        if type(screen).__name__.endswith("SessionScreen") and screen.is_current:
            paused = "Paused" in str(screen.query_one("#banner").content)
            frames.append((time.monotonic(), paused))
            if role == "host" and measuring[0]:
                print("F", time.monotonic(), int(paused), flush=True)
    measuring = [False]
    Screen._compositor_refresh = hooked
    if role == "alone":
        from heartline.tui.app import start_app
        app = start_app(_options(home, "alone"))
    elif role == "host":
        from heartline.tui.apart.run import host_app
        app = host_app(_options(home, "host"), url)
    else:
        from heartline.tui.apart.run import guest_app
        app = guest_app(_options(home, "guest"), url, code)
    app.config.first_safety = False
    async with app.run_test(size=SIZE) as pilot:
        if role == "host":
            await _until(lambda: getattr(getattr(app.screen, "link", None), "code", None))
            print("CODE", app.screen.link.code, flush=True)
        await _until(lambda: getattr(app.screen, "engine", None) is not None, 60, "the session")
        if role != "guest":
            await pilot.press("f")
        if role != "host":
            await pilot.press("j")
        await _until(lambda: app.screen.engine.state().floor == "left", 60, f"the floor ({app.screen})")
        await asyncio.sleep(1.0)
        prof = None
        if os.environ.get("APART_BENCH_PROFILE") == role:  # where a side's CPU goes (to stderr), e.g. =guest
            import cProfile
            prof = cProfile.Profile()
            prof.enable()
        cpu0, wall0 = time.process_time(), time.monotonic()
        await asyncio.sleep(WINDOW)  # a speaking turn running, nobody pressing anything
        print("CPU", (time.process_time() - cpu0) / (time.monotonic() - wall0) * 100, flush=True)
        if prof is not None:
            import pstats, io
            prof.disable()
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(40)
            print(out.getvalue(), file=sys.stderr, flush=True)
        measuring[0] = True
        if role == "host":
            await asyncio.sleep(3600)  # the parent ends it once the guest has pressed its keys
        await asyncio.sleep(1.5)
        paused = False
        for _ in range(presses):
            paused = not paused
            mark = len(frames)
            at = time.monotonic()
            print("K", at, int(paused), flush=True)
            app._driver.send_message(events.Key("space", " "))
            await _until(lambda: any(p == paused for _, p in frames[mark:]), 20,
                         f"the key shown ({app.screen}, {app.screen.engine.state().paused}, {getattr(app.screen, 'away', '')})")
            await asyncio.sleep(0.3)  # the other side's frame, then quiet before the next press
        for t, p in frames:
            print("F", t, int(p), flush=True)
    os._exit(0)

asyncio.run(main())
"""


def _read(out: str) -> dict:
    got = {"CPU": [], "K": [], "F": [], "CODE": []}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in got:
            got[parts[0]].append(parts[1:])
    return got


def _shown(presses: list, *frame_lists: list) -> list[float]:
    """For each press: until every side has written a frame showing it (paused, then running, in turn)."""
    out = []
    for at, target in presses:
        ends = []
        for frames in frame_lists:
            ends.append(min((t for t, p in frames if t >= at and p == target), default=float("inf")))
        out.append(max(ends) - at)
    return out


def _side(role: str, home: Path, url: str, presses: int, code: str = "") -> subprocess.Popen:
    env = dict(os.environ, HEARTLINE_HOME=str(home / "hl"))
    return subprocess.Popen([sys.executable, "-c", SIDE, role, str(home), url, str(ROOT), str(presses), code],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _apart_pair(url: str, home: Path, presses: int) -> tuple[float, float, list[float]]:
    """CPU of the host and the guest (each its own process), then the guest's keys shown on both."""
    host = _side("host", home, url, presses)
    line = host.stdout.readline()
    if not line.startswith("CODE"):
        host.kill()
        raise SystemExit(f"the host did not start: {line}{host.stderr.read()[-2000:]}")
    guest = _side("guest", home, url, presses, line.split()[1])
    gout, gerr = guest.communicate(timeout=300)
    host.kill()  # its frames are already written, line by line
    hout, herr = host.communicate(timeout=30)
    g, h = _read(gout), _read(hout)
    if not g["CPU"] or not h["CPU"]:
        raise SystemExit(f"a side stopped early:\nguest: {gout[-1500:]}{gerr[-3000:]}\nhost: {hout[-1500:]}{herr[-3000:]}")
    keys = [(float(t), p == "1") for t, p in g["K"]]
    shown = _shown(keys, [(float(t), p == "1") for t, p in g["F"]], [(float(t), p == "1") for t, p in h["F"]])
    return float(h["CPU"][0][0]), float(g["CPU"][0][0]), shown


def _alone(home: Path, presses: int) -> tuple[float, list[float]]:
    proc = _side("alone", home, "-", presses)
    out, err = proc.communicate(timeout=300)
    got = _read(out)
    if not got["CPU"]:
        raise SystemExit(f"one keyboard stopped early: {err[-2000:]}")
    keys = [(float(t), p == "1") for t, p in got["K"]]
    return float(got["CPU"][0][0]), _shown(keys, [(float(t), p == "1") for t, p in got["F"]])


def _before_build(folder: Path) -> Path:
    """The build just before issue 19, laid out as the `heartline` namespace heartline's editable install maps."""
    src = folder / "src"
    src.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    path = folder / "path"
    (path / "heartline").mkdir(parents=True)
    for part in ("tui", "sessions", "themes"):
        (path / "heartline" / part).symlink_to(src / part)
    return path


def _paint(kind: str, data: Path, before: Path | None) -> tuple[float, float, bool]:
    """run.py's first-paint script (wall, CPU), and whether Twisted or wormhole was imported by then."""
    from tests.bench import run

    script = run.PAINT.replace(
        "print(time.perf_counter() - t0, time.process_time() - c0, flush=True)",
        "print(time.perf_counter() - t0, time.process_time() - c0,"
        " int(any(m.split('.')[0] in ('twisted', 'wormhole') for m in sys.modules)), flush=True)")
    env = run.heartline_env(data)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(run.PYCACHE)
    if before is not None:
        env["PYTHONPATH"] = str(before)
    out = subprocess.run([sys.executable, "-c", script, kind, str(data)], capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(out.stderr)
    wall, cpu, loaded = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu), loaded == "1"


def measure(repeat: int, record) -> list:
    from tests.apart_server import MailboxServer

    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="heartline-bench-apart-") as tmp:
        tmp = Path(tmp)
        (tmp / "mailbox").mkdir()
        server = MailboxServer(tmp / "mailbox")
        server.start()
        try:
            presses = max(10, repeat * 4)

            async def in_process():
                trips = await _round_trip(server.url, presses)
                together = await _key_apart(server.url, tmp / "key", presses)
                return trips, together

            trips, together = asyncio.run(in_process())
            host_cpu, guest_cpu, alone_cpu, apart, alone = [], [], [], [], []
            for i in range(max(1, repeat // 2)):
                h, g, shown = _apart_pair(server.url, tmp / f"pair{i}", presses)
                host_cpu.append(h)
                guest_cpu.append(g)
                apart += shown
                c, shown = _alone(tmp / f"alone{i}", presses)
                alone_cpu.append(c)
                alone += shown
        finally:
            server.stop()
        before = _before_build(tmp / "before")
        empty = tmp / "paint"
        empty.mkdir()
        paints: dict[tuple[str, bool], list[tuple[float, float, bool]]] = {}
        for kind in ("home", "start"):  # compile once, not measured
            _paint(kind, empty, None)
            _paint(kind, empty, before)
        for _ in range(repeat * 2):
            for kind in ("home", "start"):
                for old in (False, True):
                    paints.setdefault((kind, old), []).append(_paint(kind, empty, before if old else None))
    trip = statistics.median(trips)
    one = statistics.median(alone)
    goal = f"≤ 50 ms; ≤ {(2 * one + trip) * 1000:.0f} ms (2× one keyboard + {trip * 1000:.1f} ms round trip)"
    record("apart: guest's key shown on both screens (two processes)", apart, alone, goal, base_name="one keyboard")
    record("apart: the same, both apps in one process", together, alone, goal, base_name="one keyboard")
    record("apart: one message A→B→A through the mailbox", trips, None, "–")
    record("apart: CPU of the starting side, a speaking turn (% of a core)", host_cpu, alone_cpu, "≤ 1.5×",
           unit="%", base_name="one keyboard")
    record("apart: CPU of the joining side, a speaking turn (% of a core)", guest_cpu, alone_cpu, "≤ 1.5×",
           unit="%", base_name="one keyboard")
    for kind in ("home", "start"):
        now, old = paints[(kind, False)], paints[(kind, True)]
        loaded = any(p[2] for p in now)
        record(f"{kind}: first paint, this build (Twisted/wormhole imported: {'yes' if loaded else 'no'})",
               [p[0] for p in now], [p[0] for p in old], "≤ 1.05×", base_name="before issue 19")
        record(f"{kind}: CPU to first paint, this build", [p[1] for p in now], [p[1] for p in old], "≤ 1.05×",
               base_name="before issue 19")
    print(f"apart bench: load average before {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, after "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}", file=sys.stderr)
    return []


def main() -> None:
    from tests.bench import run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    measure(args.repeat, run.record)
    for row in run.rows:
        print("| " + " | ".join(str(c) for c in row) + " |")


if __name__ == "__main__":
    main()

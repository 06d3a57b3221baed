"""One benchmark command: every figure beside a baseline measured in the same run.

    python tests/bench/run.py [--sizes 5000,20000] [--repeat 5] [--quick] [--only history,screen]
    python tests/bench/run.py --only apart        (a session apart: tests/bench/apart.py)

HEARTLINE_BENCH_HOME=DIR keeps the histories in DIR instead (the cold runs
delete DIR/<size>/index.json, so give each benchmark run of its own a copy).

Prints one Markdown table: what, n (repeats), median, spread (min–max), the
baseline measured the same way in this run, the ratio and the goal. Histories
are generated once with `generate.py` (the engine and heartline's own writer)
and kept in /tmp/heartline-bench/<size> for the next run. The machine is
shared, so figures move from run to run: that is why each baseline is
measured beside its figure, and the ratio is what to read.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.generate import generate  # noqa: E402

PY = sys.executable
BENCH_HOME = Path(os.environ.get("HEARTLINE_BENCH_HOME") or Path(tempfile.gettempdir()) / "heartline-bench")
PLAIN = """
import sys, tomllib, pathlib
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.toml")):
    tomllib.loads(p.read_text(encoding="utf-8"))
"""
rows: list[tuple] = []


def history(size: int) -> Path:
    data = BENCH_HOME / str(size)
    folder = data / "sessions"
    if not folder.is_dir() or sum(1 for _ in folder.glob("*.toml")) != size:
        shutil.rmtree(data, ignore_errors=True)
        print(f"generating {size} sessions in {data} …", file=sys.stderr)
        generate(data, size, seed=size)
    return data


def timed_run(argv: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak memory (KB) of one subprocess."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"{argv} exited {status}")
    return wall, usage.ru_maxrss


def spread(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


def record(what: str, values: list[float], base: list[float] | None, goal: str, unit: str = "s",
           base_name: str = "") -> None:
    med, lo, hi = spread(values)
    if base:
        bmed = statistics.median(base)
        rows.append((what, len(values), fmt(med, unit), f"{fmt(lo, unit)}–{fmt(hi, unit)}",
                     f"{fmt(bmed, unit)} {base_name}".strip(), f"{med / bmed:.2f}×" if bmed else "–", goal))
    else:
        rows.append((what, len(values), fmt(med, unit), f"{fmt(lo, unit)}–{fmt(hi, unit)}", "–", "–", goal))


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "%":
        return f"{value:.2f} %"
    if unit == "×":
        return f"{value:.2f}×"
    return f"{value:.1f} {unit}"


def heartline_env(data: Path) -> dict:
    env = dict(os.environ)
    env["HEARTLINE_HOME"] = str(data)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # it would compile heartline's modules on every run
    return env


def bench_history(size: int, repeat: int) -> None:
    data = history(size)
    env = heartline_env(data)
    cmd = [str(Path(PY).parent / "heartline")]
    plain, cold, warm, trends, kept, mem = [], [], [], [], [], []
    for _ in range(repeat):
        plain.append(timed_run([PY, "-c", PLAIN, str(data / "sessions")])[0])
        (data / "index.json").unlink(missing_ok=True)
        wall, rss = timed_run(cmd + ["history", "--json"], env)
        cold.append(wall)
        mem.append(rss / 1024)
        wall, rss = timed_run(cmd + ["history", "--json"], env)
        warm.append(wall)
        mem.append(rss / 1024)
        trends.append(timed_run(cmd + ["trends", "--json"], env)[0])  # the first after the index changed
        kept.append(timed_run(cmd + ["trends", "--json"], env)[0])  # again: the figures kept beside the index
    tag = f"{size:,}"
    record(f"history --json, cold index, {tag}", cold, plain, "≤ 1.2×", base_name="plain parse")
    record(f"history --json, warm, {tag}", warm, plain, "≤ 0.2×" if size > 5000 else "≤ 0.1×", base_name="plain parse")
    record(f"trends --json, first after a change, {tag}", trends, None, "–")
    record(f"trends --json, warm, {tag}", kept, None, "≤ 0.5 s")
    record(f"peak memory, history, {tag}", mem, None, "≤ 150 MB", unit="MB")


async def _screen_rows(data: Path, size: int) -> tuple[float, float, float]:
    """Seconds from pressing p on home to the first frame showing rows; from one filter key to its frame;
    and, back home, from pressing g to the first frame of the trends.

    What a person waits for: each time runs from the key reaching the app to
    the end of the first frame written out (the compositor's refresh) that
    shows the result, not the pilot's own waits for the process to idle.
    """
    from textual import events
    from textual.screen import Screen

    from heartline.sessions.clock import RealClock
    from heartline.tui.app import AppConfig, HeartlineApp
    from heartline.tui.screens.history import HistoryScreen
    from heartline.tui.screens.trends import TrendsScreen
    from heartline.tui.widgets.session_table import SessionTable

    app = HeartlineApp(AppConfig(data_dir=data, config_dir=data / "config", clock=RealClock()))
    frame = asyncio.Event()
    wanted = [lambda: False]
    refresh = Screen._compositor_refresh

    def watched(self):
        refresh(self)
        if wanted[0]():
            frame.set()

    def rows_shown() -> bool:
        screen = app.screen
        return isinstance(screen, HistoryScreen) and screen.query_one(SessionTable).row_count > 0

    async def key_to_frame(key: str, done) -> float:
        frame.clear()
        wanted[0] = done
        start = time.perf_counter()
        app._driver.send_message(events.Key(key, key))
        await asyncio.wait_for(frame.wait(), 60)
        took = time.perf_counter() - start
        wanted[0] = lambda: False
        return took

    Screen._compositor_refresh = watched
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            rows_at = await key_to_frame("p", rows_shown)
            await pilot.pause()
            table = app.screen.query_one(SessionTable)
            before = table.rows
            typed = await key_to_frame("w", lambda: table.rows is not before)
            await pilot.pause()
            await pilot.press("escape", "escape")  # the filter emptied, then home
            await pilot.pause()
            trends = await key_to_frame("g", lambda: isinstance(app.screen, TrendsScreen)  # with its figures
                                        and getattr(app.screen, "trends", None) is not None)
            await pilot.pause()
    finally:
        Screen._compositor_refresh = refresh
    return rows_at, typed, trends


def bench_screen(size: int, repeat: int) -> None:
    data = history(size)
    timed_run([str(Path(PY).parent / "heartline"), "history"], heartline_env(data))  # the index current
    empty = Path(tempfile.mkdtemp(prefix="heartline-bench-empty-"))
    generate(empty, 1, seed=1)  # one row, so the table is there to filter
    shown, typed, trends, shown0, typed0, trends0 = [], [], [], [], [], []
    for _ in range(repeat):
        a, b, c = asyncio.run(_screen_rows(data, size))
        shown.append(a)
        typed.append(b)
        trends.append(c)
        a, b, c = asyncio.run(_screen_rows(empty, 1))
        shown0.append(a)
        typed0.append(b)
        trends0.append(c)
    shutil.rmtree(empty, ignore_errors=True)
    twice = size > 5000  # "the same times within 2×" at 20,000
    record(f"Past sessions: key to rows shown, {size:,}", shown, shown0, "≤ 1.0 s" if twice else "≤ 0.5 s",
           base_name="1 session")
    record(f"Past sessions: filter key to its frame, {size:,}", typed, typed0, "≤ 200 ms" if twice else "≤ 100 ms",
           base_name="1 session")
    record(f"Trends screen: key to its frame, {size:,}", trends, trends0, "≤ 1.0 s" if twice else "≤ 0.5 s",
           base_name="1 session")


PAINT = r"""
import os, sys, time, asyncio
t0, c0 = time.perf_counter(), time.process_time()
kind, data = sys.argv[1], sys.argv[2]
async def main():
    if kind == "bare":
        from textual.app import App
        from textual.containers import Horizontal
        from textual.widgets import Digits
        class Bare(App):
            def compose(self):
                with Horizontal():
                    yield Digits("2:00")
                    yield Digits("1:00")
        app = Bare()
    else:
        from pathlib import Path
        from heartline.tui.app import AppConfig, HeartlineApp
        from heartline.sessions.setup import SessionPlan
        plan = SessionPlan("speaker-listener", "Alex", "Sam", speak=120, reflect=60, rounds=1) if kind == "start" else None
        app = HeartlineApp(AppConfig(data_dir=Path(data), config_dir=Path(data) / "config"), plan)
    from textual.screen import Screen
    wanted = {"bare": "Screen", "home": "HomeScreen", "home-lines": "HomeScreen", "start": "SessionScreen"}[kind]
    refresh = Screen._compositor_refresh
    def first_frame(self):  # the first frame of the screen a person is waiting for, composed to be written out
        refresh(self)
        if type(self).__name__ == wanted and self.is_current and not app._batch_count and (
                kind != "home-lines" or str(self.query_one("#last-time").content)):  # every line of home shown
            print(time.perf_counter() - t0, time.process_time() - c0, flush=True)
            journal = getattr(getattr(self, "saver", None), "journal", None)
            if journal is not None:  # the session just begun leaves nothing behind in a shared history
                journal.close()
                journal.path.unlink()
                journal.path.with_suffix(".toml").unlink()
            os._exit(0)  # what comes after the first frame is not measured here
    Screen._compositor_refresh = first_frame
    async with app.run_test(size=(100, 30)) as pilot:
        if kind == "home-lines":  # its lines come in a frame after the first: wait for it
            await asyncio.sleep(60)
    raise SystemExit("no first frame")
asyncio.run(main())
"""
PYCACHE = Path(tempfile.gettempdir()) / "heartline-bench-pycache"


def paint(kind: str, data: Path) -> float:
    return paint_times(kind, data)[0]


def paint_times(kind: str, data: Path) -> tuple[float, float]:
    """Seconds from the script's first line to the first frame of the screen wanted, imports included.

    Both sides run the same script with compiled modules cached alike (a
    pycache of their own: pip compiles an installed heartline, while this
    shell may set PYTHONDONTWRITEBYTECODE, which would compile heartline's
    modules on every run but not Textual's).
    """
    env = heartline_env(data)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    out = subprocess.run([PY, "-c", PAINT, kind, str(data)], capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(out.stderr)
    wall, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


BARE_APP = r"""
from textual.app import App
from textual.containers import Horizontal
from textual.widgets import Digits
class Bare(App):
    def compose(self):
        with Horizontal():
            yield Digits("2:00")
            yield Digits("1:00")
Bare().run()
"""
ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|.)")


def terminal_paint(argv: list[str], marker: str, env: dict) -> float:
    """Seconds from starting a command in a pseudo-terminal (100×30) to `marker` on its screen: the real path."""
    import fcntl
    import pty
    import select
    import signal
    import struct
    import termios

    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    seen, painted = b"", None
    try:
        while painted is None and time.perf_counter() - start < 60:
            if not select.select([fd], [], [], 0.5)[0]:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if marker.encode() in ESCAPES.sub(b"", seen):
                painted = time.perf_counter() - start
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    if painted is None:
        raise SystemExit(f"{argv}: {marker!r} never showed")
    return painted


def cli_paint(kind: str, data: Path) -> float:
    """`heartline start --left A --right B` as typed, or the bare app as a script, in a real terminal."""
    env = heartline_env(data)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(PYTHONPYCACHEPREFIX=str(PYCACHE), TERM="xterm-256color")
    if kind == "bare":
        return terminal_paint([PY, "-c", BARE_APP], "╭─╮╭─╮", env)
    try:
        return terminal_paint([str(Path(PY).parent / "heartline"), "start", "--left", "A", "--right", "B"],
                              "is now a good time?", env)  # its first screen asks that, before the ground rules
    finally:  # killed mid-session: its journal and name go, so the shared history stays as it was
        folder = data / "sessions"
        for journal in folder.glob("*-a-b*.journal"):
            journal.unlink()
            placeholder = journal.with_suffix(".toml")
            if placeholder.exists() and placeholder.stat().st_size == 0:
                placeholder.unlink()


def bench_paint(size: int, repeat: int) -> None:
    data = history(size)
    empty = Path(tempfile.mkdtemp(prefix="heartline-bench-empty-"))
    home_full, home_empty, start_full, bare, cli_start, cli_bare = [], [], [], [], [], []
    start_cpu, bare_cpu = [], []
    lines_full, lines_empty, lines_changed, lines_cpu, lines_cpu_empty = [], [], [], [], []
    for kind in ("bare", "home", "start"):  # compile once, not measured
        paint(kind, empty)
    for _ in range(repeat):
        home_empty.append(paint("home", empty))
        home_full.append(paint("home", data))
        wall, cpu = paint_times("home-lines", empty)
        lines_empty.append(wall)
        lines_cpu_empty.append(cpu)
        touched = data / "sessions" / ".bench-touch"  # the folder changed since home last showed (a session saved)
        touched.write_bytes(b"")
        touched.unlink()
        lines_changed.append(paint("home-lines", data))
        wall, cpu = paint_times("home-lines", data)  # as the next start finds it
        lines_full.append(wall)
        lines_cpu.append(cpu)
        wall, cpu = paint_times("start", data)
        start_full.append(wall)
        start_cpu.append(cpu)
        wall, cpu = paint_times("bare", empty)
        bare.append(wall)
        bare_cpu.append(cpu)
        cli_start.append(cli_paint("start", data))
        cli_bare.append(cli_paint("bare", empty))
    shutil.rmtree(empty, ignore_errors=True)
    record(f"home: first paint, {size:,} sessions", home_full, home_empty, "≤ 1.2×", base_name="empty folder")
    record(f"home: every line shown, {size:,} sessions", lines_full, lines_empty, "≤ 1.2×", base_name="empty folder")
    record(f"home: CPU to every line shown, {size:,} sessions", lines_cpu, lines_cpu_empty, "≤ 1.2×",
           base_name="empty folder")
    record(f"home: every line, first after the folder changed, {size:,}", lines_changed, lines_empty, "–",
           base_name="empty folder")
    record(f"start: first paint, {size:,} sessions", start_full, bare, "≤ 1.2×", base_name="bare 2×Digits")
    record(f"start: CPU to first paint, {size:,} sessions", start_cpu, bare_cpu, "≤ 1.2×",
           base_name="bare 2×Digits")
    record(f"`heartline start` in a terminal, {size:,} sessions", cli_start, cli_bare, "≤ 1.2×",
           base_name="bare 2×Digits, same")


def bench_save(repeat: int) -> None:
    from heartline.sessions import store

    data = history(200)
    records = [store.load_record(p) for p in sorted((data / "sessions").glob("*.toml"))[:repeat * 4]]
    target = Path(tempfile.mkdtemp(prefix="heartline-bench-save-"))
    times, dumps = [], []
    for rec in records:
        start = time.perf_counter()
        store.save_record(rec, target)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        store.dumps_record(rec)
        dumps.append(time.perf_counter() - start)
    shutil.rmtree(target, ignore_errors=True)
    record("save one session (fsynced)", times, dumps, "–", base_name="dumps only")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,20000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="sizes 500, repeat 3: a smoke run")
    parser.add_argument("--only", default="history,screen,paint,save,floor")
    args = parser.parse_args()
    sizes = [500] if args.quick else [int(s) for s in args.sizes.split(",")]
    repeat = 3 if args.quick else args.repeat
    only = set(args.only.split(","))
    for size in sizes:
        if "history" in only:
            bench_history(size, repeat)
        if "screen" in only:
            bench_screen(size, repeat)
        if "paint" in only:
            bench_paint(size, repeat)
    if "save" in only:
        bench_save(repeat)
    if "apart" in only:  # not in the default list: it starts a mailbox server of its own (tests/bench/apart.py)
        from tests.bench import apart

        rows.extend(apart.measure(repeat, record))
    if "floor" in only:
        try:
            from tests.bench import floor
        except ImportError:
            pass
        else:
            rows.extend(floor.measure(repeat, record))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}; load average {os.getloadavg()[0]:.1f}")
    print()
    print("| what | n | median | spread | baseline (same run) | ratio | goal |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        if row:
            print("| " + " | ".join(str(c) for c in row) + " |")


if __name__ == "__main__":
    main()

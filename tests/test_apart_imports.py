"""A session apart costs the home screen and `heartline start` nothing (issue 19).

Twisted and wormhole are imported only when a session apart is asked for.
Checked in a fresh interpreter (this test process may have loaded them for
other tests): the command line parsed, the home screen and a `start` session
run headless to their first frame, and then `sys.modules` is read.
"""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = r"""
import asyncio, json, sys
from pathlib import Path
from heartline.tui import cli
from heartline.tui.app import HeartlineApp, start_app, _config

data, config = Path(sys.argv[1]), Path(sys.argv[2])
cli.build_parser().parse_args(["start", "--left", "A", "--right", "B"])

async def main():
    home = HeartlineApp(_config(cli.StartOptions(data, config)))
    async with home.run_test() as pilot:
        await pilot.pause()
    options = cli.StartOptions(data, config, left="A", right="B", protocol="speaker-listener")
    async with start_app(options).run_test() as pilot:
        await pilot.pause()
        await pilot.press("f", "j")
        await pilot.pause()

asyncio.run(main())
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("twisted", "wormhole", "autobahn", "spake2"))))
"""


def test_home_and_start_import_nothing_of_twisted_or_wormhole(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "config").mkdir()
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "data"), str(tmp_path / "config")],
                         capture_output=True, text=True, timeout=120,
                         env={"HEARTLINE_HOME": str(tmp_path / "config"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_check_can_fail(tmp_path):
    """The same script sees wormhole once it is imported."""
    (tmp_path / "data").mkdir()
    (tmp_path / "config").mkdir()
    script = SCRIPT.replace("asyncio.run(main())", "asyncio.run(main()); import wormhole")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "data"), str(tmp_path / "config")],
                         capture_output=True, text=True, timeout=120,
                         env={"HEARTLINE_HOME": str(tmp_path / "config"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    assert "wormhole" in json.loads(out.stdout.strip().splitlines()[-1])

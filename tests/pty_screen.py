"""A real `heartline` in a pseudo-terminal, read like a person reads the screen (pure Python, no tmux).

`Terminal` starts the program on a pty of a fixed size and keeps a small
screen model fed with what it writes: enough of the VT100/xterm sequences
Textual uses (cursor moves, erase; colours and modes are skipped) to say
which words are on screen now. Tests wait for words on screen with generous
timeouts (a loaded two-core CI), never for a fixed time.

Whatever happens to a test, its heartlines do not outlive it: `close` kills
the process group (never raises), every terminal still open when the test
process exits is closed then, and the kernel kills a heartline whose test
process died without any of that (a run killed by its timeout).
"""

from __future__ import annotations

import atexit
import codecs
import ctypes
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

from rich.cells import get_character_cell_size

KEYS = {"enter": b"\r", "escape": b"\x1b", "space": b" ", "tab": b"\t", "backspace": b"\x7f", "ctrl+q": b"\x11"}
_CSI = re.compile(r"\x1b\[([0-9;?<>=!]*)([ -/]*)([@-~])")
_OTHER = re.compile(r"\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1bP[^\x1b]*\x1b\\|\x1b[()#][0-9A-Za-z]|\x1b[=>78MDEc]")


class Screen:
    """What a terminal of `cols` x `rows` shows, fed the program's output as text."""

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.grid = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0
        self._rest = ""

    def feed(self, text: str) -> None:
        text = self._rest + text
        self._rest = ""
        i, n = 0, len(text)
        while i < n:
            ch = text[i]
            if ch == "\x1b":
                match = _CSI.match(text, i) or _OTHER.match(text, i)
                if match is None:
                    if n - i < 64:  # a sequence cut between two reads: finished by the next one
                        self._rest = text[i:]
                        return
                    i += 1
                    continue
                if match.re is _CSI:
                    self._csi(match.group(1), match.group(3))
                i = match.end()
                continue
            if ch == "\r":
                self.x = 0
            elif ch == "\n":
                self.y = min(self.rows - 1, self.y + 1)
            elif ch == "\x08":
                self.x = max(0, self.x - 1)
            elif ch >= " " and ch != "\x7f":
                width = get_character_cell_size(ch)
                if width and 0 <= self.y < self.rows and self.x < self.cols:
                    self.grid[self.y][self.x] = ch
                    if width == 2 and self.x + 1 < self.cols:
                        self.grid[self.y][self.x + 1] = ""
                self.x += width
            i += 1

    def _csi(self, params: str, final: str) -> None:
        if params.startswith(("?", ">", "<", "=", "!")):
            return  # modes and queries
        values = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []

        def arg(k: int, default: int = 1) -> int:
            return values[k] if len(values) > k and values[k] else default

        if final in "Hf":
            self.y, self.x = min(self.rows, arg(0)) - 1, min(self.cols, arg(1)) - 1
        elif final == "A":
            self.y = max(0, self.y - arg(0))
        elif final == "B":
            self.y = min(self.rows - 1, self.y + arg(0))
        elif final == "C":
            self.x = min(self.cols - 1, self.x + arg(0))
        elif final == "D":
            self.x = max(0, self.x - arg(0))
        elif final == "G":
            self.x = min(self.cols, arg(0)) - 1
        elif final == "d":
            self.y = min(self.rows, arg(0)) - 1
        elif final == "J":
            if arg(0, 0) in (2, 3):
                self.grid = [[" "] * self.cols for _ in range(self.rows)]
            elif arg(0, 0) == 0:
                self._erase_line(self.x)
                for row in self.grid[self.y + 1:]:
                    row[:] = [" "] * self.cols
        elif final == "K":
            kind = arg(0, 0)
            if kind == 0:
                self._erase_line(self.x)
            elif kind == 2:
                self._erase_line(0)

    def _erase_line(self, start: int) -> None:
        if 0 <= self.y < self.rows:
            row = self.grid[self.y]
            row[start:] = [" "] * (self.cols - max(0, start))

    def text(self) -> str:
        return "\n".join("".join(row).rstrip() for row in self.grid)


_LIVE: set["Terminal"] = set()  # started and not yet closed
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the child between fork and exec only calls it
except (AttributeError, OSError):
    _prctl = None
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In the child before exec (Linux): SIGKILL when the test process that started it dies, however it dies."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


@atexit.register
def _close_all() -> None:
    for term in list(_LIVE):
        term.close()


class Terminal:
    """`python -m heartline.tui ARGV` on a pseudo-terminal of `size`, with `env`."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        cols, rows = size
        self.main, child = os.openpty()
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.screen = Screen(cols, rows)
        self.output = ""
        self._decode = codecs.getincrementaldecoder("utf-8")("replace")
        try:
            self.process = subprocess.Popen([sys.executable, "-m", "heartline.tui", *argv], stdin=child,
                                            stdout=child, stderr=child, env={**env, "TERM": "xterm-256color"},
                                            close_fds=True, start_new_session=True, preexec_fn=die_with_parent)
        except BaseException:
            os.close(self.main)
            raise
        finally:
            os.close(child)
        _LIVE.add(self)

    def pump(self, seconds: float = 0.05) -> None:
        """Read what the program wrote, for up to `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.main], [], [], max(0.0, left))
            if not ready:
                return
            try:
                chunk = os.read(self.main, 65536)
            except OSError:
                return
            if not chunk:
                return
            text = self._decode.decode(chunk)
            self.output += text
            self.screen.feed(text)

    def text(self) -> str:
        self.pump(0.0)
        return self.screen.text()

    def flat(self) -> str:
        """The screen's words on one line (a sentence the app wrapped reads whole)."""
        return " ".join(self.text().split())

    def wait(self, what: str | re.Pattern, timeout: float = 60.0, gone: bool = False):
        """Until `what` (words, or a pattern) is on screen (or, with gone, is not); the match, or AssertionError."""
        deadline = time.monotonic() + timeout
        while True:
            self.pump(0.1)
            flat = self.flat()
            found = what.search(flat) if isinstance(what, re.Pattern) else (what in flat or None)
            if bool(found) != gone:
                return found or True
            if time.monotonic() > deadline:
                raise AssertionError(f"not within {timeout} s: {what!r}{' gone' if gone else ''}; "
                                     f"the screen:\n{self.text()}")
            if self.process.poll() is not None and not gone:
                self.pump(0.2)
                if not ((what.search(self.flat()) if isinstance(what, re.Pattern) else what in self.flat())):
                    raise AssertionError(f"heartline ended ({self.process.returncode}) before {what!r}:\n"
                                         f"{self.text()}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            os.write(self.main, KEYS.get(key, key.encode()))
            self.pump(0.05)

    def type(self, text: str) -> None:
        os.write(self.main, text.encode())
        self.pump(0.05)

    def kill9(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def wait_exit(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.pump(0.1)
        if self.process.poll() is None:
            raise AssertionError(f"heartline still running after {timeout} s:\n{self.text()}")
        return self.process.returncode

    def close(self) -> None:
        """Kill heartline (its whole process group) and close the terminal; safe to call again, never raises."""
        _LIVE.discard(self)
        try:
            if self.process.poll() is None:  # not yet reaped, so its pid is still its own
                for kill in (os.killpg, os.kill):  # the group, and the process should it have left the group
                    try:
                        kill(self.process.pid, signal.SIGKILL)
                    except OSError:
                        pass
                try:
                    self.process.wait(10)
                except subprocess.TimeoutExpired:
                    pass
        finally:
            self.vanish()

    def vanish(self) -> None:
        """The terminal goes away, as a killed terminal program's does: its side of the pty closes, no signal sent."""
        if self.main >= 0:
            main, self.main = self.main, -1
            try:
                os.close(main)
            except OSError:
                pass

    def __enter__(self) -> "Terminal":
        return self

    def __exit__(self, *_) -> None:
        self.close()

"""The terminal heartline runs in, and what it does when that terminal is gone.

A terminal that closes sends its programs SIGHUP, and heartline saves what is
in progress and exits (`HeartlineApp._hang_up`). A terminal can also go away
without one: the program holding a pseudo-terminal that is not our
controlling terminal is killed (a test run's timeout, a multiplexer that
crashed). Textual's driver then reads end-of-file in a loop, keeping a core
busy for ever, and its writer thread dies on the first write (EIO), after
which a full queue blocks the app.

`Driver` is Textual's own, with two changes: it watches standard input for
the hang-up (poll's POLLHUP, which reads nothing) and then sends heartline
the SIGHUP a closing terminal would have sent; and writes to a terminal that
is gone are dropped (and taken as the same hang-up) instead of ending the
writer thread.
"""

from __future__ import annotations

import os
import select
import signal
import threading

from textual.drivers.linux_driver import LinuxDriver

WATCH_EVERY = 0.5  # seconds: how soon a stopped driver's watcher ends; a hang-up wakes it at once
_GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL


class _Output:
    """The terminal's output for Textual's writer thread: a write that fails is the terminal gone, not a crash."""

    def __init__(self, file, gone) -> None:
        self._file, self._gone = file, gone

    def write(self, text: str) -> None:
        try:
            self._file.write(text)
        except (OSError, ValueError):
            self._gone()

    def flush(self) -> None:
        try:
            self._file.flush()
        except (OSError, ValueError):
            self._gone()

    def fileno(self) -> int:
        return self._file.fileno()


class Driver(LinuxDriver):
    """Textual's Linux driver, which also notices a terminal that went away without a SIGHUP."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._file = _Output(self._file, self._hang_up)
        self._hung_up = False
        self._watching: threading.Event | None = None

    def start_application_mode(self) -> None:
        super().start_application_mode()
        self._watching = threading.Event()
        self._watching.set()
        threading.Thread(target=self._watch, args=(self._watching,), name="heartline-hangup", daemon=True).start()

    def stop_application_mode(self) -> None:
        if self._watching is not None:
            self._watching.clear()
        super().stop_application_mode()

    def _watch(self, watching: threading.Event) -> None:
        poller = select.poll()
        poller.register(self.fileno, 0)  # no events asked for: a hang-up is always told, and nothing is read
        while watching.is_set():
            if any(mask & _GONE for _, mask in poller.poll(WATCH_EVERY * 1000)):
                if watching.is_set():
                    self._hang_up()
                return

    def _hang_up(self) -> None:
        """Once: the SIGHUP a closing terminal sends, so heartline saves and exits the way it does for one."""
        if not self._hung_up:
            self._hung_up = True
            os.kill(os.getpid(), signal.SIGHUP)

"""A magic-wormhole mailbox server of the tests' own, on 127.0.0.1 (never the public relay).

`mailbox` (a fixture) starts one on a free port and stops it at the end;
`MailboxServer` can also be stopped and started again on the same port (a
relay that went away and came back).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.pty_screen import die_with_parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailboxServer:
    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = Path(folder)
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = 20.0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "twisted", "wormhole-mailbox", f"--port=tcp:{self.port}:interface=127.0.0.1",
             f"--channel-db={self.folder / 'channel.sqlite'}", f"--usage-db={self.folder / 'usage.sqlite'}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.folder, start_new_session=True,
            preexec_fn=die_with_parent)  # not left behind by a test run that was killed
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the mailbox server did not start")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("the mailbox server did not answer in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.process = None


@pytest.fixture
def mailbox(tmp_path):
    folder = tmp_path / "mailbox"
    folder.mkdir()
    server = MailboxServer(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()

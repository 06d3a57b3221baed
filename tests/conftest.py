"""Keep every test away from the user's real folders."""

from __future__ import annotations

import pytest

from tests.records import make_record


@pytest.fixture(autouse=True)
def heartline_home(tmp_path, monkeypatch):
    """HEARTLINE_HOME in a fresh temporary folder: data and config both live there."""
    home = tmp_path / "heartline-home"
    monkeypatch.setenv("HEARTLINE_HOME", str(home))
    monkeypatch.setenv("TERM", "xterm-256color")  # ASCII mode follows $TERM: the same pictures everywhere
    return home


@pytest.fixture
def sample_record() -> dict:
    return make_record()

"""Keep every test away from the user's real folders."""

from __future__ import annotations

import sys

import pytest

from tests.records import make_record


@pytest.fixture(autouse=True)
def heartline_home(tmp_path, monkeypatch):
    """HEARTLINE_HOME in a fresh temporary folder: data and config both live there."""
    home = tmp_path / "heartline-home"
    monkeypatch.setenv("HEARTLINE_HOME", str(home))
    monkeypatch.setenv("TERM", "xterm-256color")  # ASCII mode follows $TERM: the same pictures everywhere
    return home


@pytest.fixture(autouse=True)
def plain_glyphs_after():
    """ASCII mode is process-wide (`glyphs.set_ascii`, set by every HeartlineApp as it is built, and it swaps
    Textual's big-clock font): a test that built an app with ascii=True, or on TERM=linux, left it on for the
    next, whose glyphs and Digits then drew in ASCII (test_ascii_digits after test_snapshots_looks).
    Each test starts, and leaves, with it off."""
    glyphs = sys.modules.get("heartline.tui.glyphs")  # not imported here: import tests watch sys.modules
    if glyphs is not None:
        glyphs.set_ascii(False)
    yield
    glyphs = sys.modules.get("heartline.tui.glyphs")
    if glyphs is not None:
        glyphs.set_ascii(False)


@pytest.fixture
def sample_record() -> dict:
    return make_record()

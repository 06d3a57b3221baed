"""Building the app for tests: every source of non-determinism fixed."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from heartline.sessions.engine import Stage
from heartline.tui.app import AppConfig, HeartlineApp


def make_app(tmp_path: Path, clock, plan=None, **config) -> HeartlineApp:
    cfg = AppConfig(data_dir=tmp_path / "data", config_dir=tmp_path / "config", clock=clock, seed=7, **config)
    return HeartlineApp(cfg, plan)


def text_of(screen, selector: str) -> str:
    """The plain text a Static or Label shows now (Rich tables rendered to text)."""
    widget = screen.query_one(selector)
    content = widget.content if hasattr(widget, "content") else widget.render()
    if isinstance(content, str):
        return content
    if isinstance(content, Text):
        return content.plain
    console = Console(width=200, record=True, file=open("/dev/null", "w"), color_system=None)
    console.print(content)
    return console.export_text()


async def until(pilot, predicate, frames: int = 100) -> None:
    """Let the app run frame by frame until `predicate()` holds (screen changes take a few frames).

    No wall-clock sleeping: each step waits for the app to go idle once.
    """
    for _ in range(frames):
        if predicate():
            return
        await pilot.pause()
    assert predicate(), "the app never reached the expected state"


async def to_the_floor(pilot, app, clock):
    """Both ready ("f", "j"), two seconds on the manual clock to settle: the session screen, on the floor."""
    await pilot.press("f", "j")
    clock.advance(2)
    app.screen.refresh_state()
    await pilot.pause()
    assert app.screen.engine.stage is Stage.FLOOR
    return app.screen


async def later(pilot, screen, clock, seconds, *keys) -> None:
    """`seconds` on the manual clock, then `keys` (none: the time alone), and the screen as the engine says now."""
    clock.advance(seconds)
    await pilot.press(*keys)
    screen.refresh_state()
    await pilot.pause()

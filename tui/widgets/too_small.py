"""The notice shown instead of a squashed layout when the window is below 80×24."""

from __future__ import annotations

from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmall(Static):
    """Covers the screen while the terminal is too small; the screen's breakpoint classes show it."""

    def __init__(self) -> None:
        super().__init__(
            f"Please make the window larger\n\nheartline needs at least {MIN_WIDTH}×{MIN_HEIGHT}."
            "\nNothing is lost: the session is paused only if you pause it."
        )

    def on_resize(self) -> None:
        size = self.screen.size
        self.update(
            f"Please make the window larger\n\nheartline needs at least {MIN_WIDTH}×{MIN_HEIGHT};"
            f" this window is {size.width}×{size.height}.\nNothing is lost: the session carries on underneath."
        )


class GuardedScreen:
    """Mixin for screens and modals: mounts the too-small notice over whatever the screen shows."""

    def on_mount(self) -> None:
        self.mount(TooSmall())  # type: ignore[attr-defined]

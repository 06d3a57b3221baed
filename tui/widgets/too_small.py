"""The notice shown instead of a squashed layout when the window is below 80×24."""

from __future__ import annotations

from textual.widget import Widget

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmall(Widget):
    """Covers the screen while the terminal is too small; the screen's breakpoint classes show it."""

    def render(self) -> str:
        size = self.app.size
        return (
            "Please make the window larger\n\n"
            f"heartline needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this window is {size.width}×{size.height}.\n"
            + getattr(self.screen, "TOO_SMALL_NOTE", "Nothing is lost.")
        )


class GuardedScreen:
    """Mixin for screens and modals: mounts the too-small notice over whatever the screen shows."""

    def on_mount(self) -> None:
        self.mount(TooSmall())  # type: ignore[attr-defined]

    def _on_screen_resume(self, event) -> None:
        """Runs before Textual's own: a screen pushed already sized (`HeartlineApp._sized`) was styled as it was
        built, so its first resume need not style every widget again just before the first frame."""
        if getattr(self, "_styled_as_built", False):
            self._styled_as_built = False
            event.refresh_styles = False

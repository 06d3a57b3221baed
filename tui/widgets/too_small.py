"""The notice shown instead of a squashed layout when the window is below 80×24."""

from __future__ import annotations

from textual.widget import Widget

from .. import keys

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmall(Widget):
    """Covers the screen while the terminal is too small; the screen's breakpoint classes show it."""

    def render(self) -> str:
        size = self.app.size
        return (
            "Please make the window larger\n\n"
            f"heartline needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this window is {size.width}×{size.height}.\n"
            + getattr(self.screen, "TOO_SMALL_NOTE", "Nothing is lost.")
            + f"\n\n{self.working()}"
        )

    def working(self) -> str:
        """The keys that still work unseen: in a session its shared keys (the session's own, on the session; over
        a dialog or a note, the ones that work while typing), and quitting, which asks first."""
        k = keys.current()
        session = self.app.session() if hasattr(self.app, "session") else None
        if session is None:
            return "ctrl+q quits heartline"
        plain = self.screen is session
        name = (lambda what: k.first(what)) if plain else (lambda what: k.first(f"{what}.anywhere"))
        return (f"Still working: {name('pause')} pause · {name('time-out')} time-out\n"
                f"{name('end')} end · {k.first('help.anywhere')} help · ctrl+q quit (both ask first)")


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

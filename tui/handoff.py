"""`heartline export --for-therapist`: the hand-off screen on its own, in the app's looks and keys.

The command line has checked the ids and the file; this runs the screen where
both partners write their part and agree, and returns what they agreed to
(or None: nothing is made).
"""

from __future__ import annotations

from textual import events

from heartline.sessions.handoff import Handoff

from .app import HeartlineApp, _config


class HandoffApp(HeartlineApp):
    """Only the hand-off screen: no home screen, no session, no offer to resume one."""

    def __init__(self, config, records: list[dict]) -> None:
        super().__init__(config)
        self.records = records
        self.handoff: Handoff | None = None

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # not the home screen's start-up: this app has one screen
        from .screens.handoff import HandoffScreen

        self.push_screen(HandoffScreen(self.records), self._done)

    def _done(self, handoff: Handoff | None) -> None:
        self.handoff = handoff
        self.exit()


def run_handoff(options, records: list[dict]) -> Handoff | None:
    app = HandoffApp(_config(options), records)
    app.run()
    return app.handoff

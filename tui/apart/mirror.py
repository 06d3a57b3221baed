"""The guest's copy of the host's session: the host's journal, replayed as it arrives.

No Textual, no Twisted. The host's engine is the one truth; the guest holds a
replica built by the same code that rebuilds a journal after a crash
(`Engine.replay`), fed the host's header and inputs (already checked by
`wire`). Between inputs the replica's clock follows the host's: the host's
time at its last message plus what the guest's own clock has run since, so
the countdown moves on the guest's screen without a message every second.

The replica never decides: if the guest's clock ran past a moment the host
had already given an input (a key that arrived a few milliseconds late), the
whole journal is replayed again and the screen shows what the host's engine
did.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from heartline.sessions.clock import Clock
from heartline.sessions.engine import Engine, Settings


class FollowClock:
    """Held at a moment while inputs replay; then it follows `local`, counted from the host's last `at`."""

    def __init__(self, local: Clock, started_at: datetime) -> None:
        self._local = local
        self._start = started_at
        self._held: float | None = 0.0
        self._base = 0.0
        self._base_local = 0.0
        self.read_up_to = 0.0  # the latest moment the engine has been shown: an input before it means a replay

    def hold(self, at: float) -> None:
        self._held = at

    def follow(self, at: float) -> None:
        """From now on: `at` (the host's clock) plus the local clock's run since."""
        self._held = None
        self._base, self._base_local = at, self._local.monotonic()

    def monotonic(self) -> float:
        if self._held is not None:
            value = self._held
        else:
            value = self._base + max(0.0, self._local.monotonic() - self._base_local)
        self.read_up_to = max(self.read_up_to, value)
        return value

    def now(self) -> datetime:
        return (self._start + timedelta(seconds=self.monotonic())).replace(microsecond=0)


def apply(engine: Engine, item: dict[str, Any]) -> None:
    """One journal input, as `Engine.replay` applies it."""
    op = item["op"]
    if op == "press":
        engine.press(item["side"], item["action"])
    elif op == "pause":
        engine.toggle_pause(item.get("reason", ""))
    elif op == "time-out":
        engine.time_out()
    elif op == "repair-open":
        engine.open_repair()
    elif op == "repair":
        engine.repair(item.get("phrase") or None)
    elif op == "end":
        engine.end_early()
    elif op == "return-at":
        engine.agree_return(item["minutes"])
    elif op == "check-in":
        engine.check_in(item["side"], item["mood"], item.get("feeling", ""), seal=item.get("seal", True))
    elif op == "i-statement":
        engine.set_i_statement(item["side"], item["text"])
    elif op == "note":
        engine.add_note(item["side"], item["text"], item.get("kind"))
    elif op == "choose":
        engine.choose(item["side"], item["number"])
    elif op == "more-time":
        engine.more_time(item["minutes"])
    elif op == "park":
        engine.park(item.get("text", ""))
    elif op == "writing":
        engine.writing(item["side"], item["on"])
    elif op == "asking":
        engine.asking(item["on"])
    else:  # wire refuses every other op
        raise ValueError(f"unknown input {op!r}")


class Mirror:
    """The host's session as the guest sees it; `engine` is rebuilt or carried on as inputs come."""

    def __init__(self, head: dict[str, Any], local: Clock) -> None:
        self.head = head  # checked by wire.check_head: the ritual already a Ritual
        self.local = local
        self.log: list[dict[str, Any]] = []
        self.engine: Engine | None = None
        self.clock: FollowClock | None = None
        self.replays = 0  # whole replays (a late input): for tests and the bench

    def _build(self) -> Engine:
        head = self.head
        started_at = datetime.fromisoformat(head["started_at"])
        self.clock = FollowClock(self.local, started_at)
        options = head.get("options", {})
        settings = Settings(**head["settings"])
        engine = Engine(head["ritual"], head["left"], head["right"], settings, self.clock,
                        rules=options.get("rules", True), checkin=options.get("checkin", True),
                        good_time=options.get("good_time", False),
                        topic=options.get("topic", ""), topic_deck=options.get("topic_deck", ""),
                        session_id=head["id"])
        engine.started_at = started_at
        return engine

    def load(self, log: list[dict[str, Any]], at: float) -> Engine:
        """The whole journal so far (on joining, and again on rejoining)."""
        self.log = list(log)
        return self._replay(at)

    def _replay(self, at: float) -> Engine:
        self.replays += 1
        engine = self._build()
        for item in self.log:
            self.clock.hold(item["offset"])
            apply(engine, item)
        self.clock.hold(max(at, self.log[-1]["offset"] if self.log else 0.0))
        engine.tick()
        self.clock.follow(max(at, self.log[-1]["offset"] if self.log else 0.0))
        self.engine = engine
        return engine

    def add(self, item: dict[str, Any], at: float) -> Engine:
        """One more input: carried on when the replica has not yet been read past it, else replayed whole."""
        if self.log and item["offset"] < self.log[-1]["offset"]:
            raise ValueError("an input earlier than the one before it")
        self.log.append(item)
        if self.engine is None or self.clock is None or item["offset"] < self.clock.read_up_to:
            return self._replay(at)
        self.clock.hold(item["offset"])
        apply(self.engine, item)
        self.clock.follow(max(at, item["offset"]))
        return self.engine

    def sync(self, at: float) -> None:
        """The host's clock, without an input: the replica follows it from here (never backwards)."""
        if self.clock is not None and at >= self.clock.read_up_to:
            self.clock.follow(at)

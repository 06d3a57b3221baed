"""What two heartlines say to each other in a session apart, and how strictly it is read.

No Textual and no Twisted here: plain data in, plain data out, testable alone.

One engine, one truth. The starting partner's heartline (the host) holds the
engine and its journal. The joining partner's heartline (the guest) sends only
its own partner's intents, by binding id (`right.done`, `right.mood-3`,
`pause`, …) with its own timestamps; the host applies them to its engine like
a key pressed at its own keyboard. The host sends what its journal holds: the
journal's header (the ritual, the names, the settings) and every input the
engine took, each with the host's clock; the guest replays them through the
same engine code that rebuilds a journal after a crash, so both screens show
the same `State`, and the guest never decides a rule. At the end the host
sends the record as TOML, as the couple keep it (`nothing` when they keep
nothing), and again whenever their choice on the summary changes; the guest
reads it like any file from outside and keeps exactly that.

Every message is one JSON object, encrypted by the wormhole, read here against
a strict schema: a size limit first, then exact keys and types; text from the
other side is data (refused when it holds control, format or bidi
characters; never read as markup); a guest can only speak for its own side.
A `RateLimit` drops a flood and counts what it dropped.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from heartline.sessions.engine import REPAIRS
from heartline.sessions.text import has_unsafe, printable

WIRE = 1  # the version of this format; two heartlines must speak the same one
APP = "heartline"
SIDES = ("left", "right")
MAX_GUEST_BYTES = 16 * 1024  # an intent with a note's text
MAX_HOST_BYTES = 512 * 1024  # the journal so far, or the record
MAX_TEXT = 2000  # a note, a word, an I-statement
MAX_NAME = 64
MAX_LOG = 20_000  # inputs in one session
MAX_DEPTH = 12
MAX_OFFSET = 8 * 24 * 3600.0  # a session's clock: more than a week is nonsense

NOTE_KINDS = ("parking-lot", "appreciation", "commitment", "core-need", "flexible", "request")  # the engine's
PAUSE_REASONS = ("", "help", "too-small", "resumed")
SIDE_INTENTS = ("done", "not-quite", "mood-1", "mood-2", "mood-3", "mood-4", "mood-5", "note", "word", "i-statement",
                "writing")  # writing: this partner's note box opened or closed (the clock waits on both)
SHARED_INTENTS = ("pause", "time-out", "end", "return-at", "more-time", "repair-open", "repair", "park", "asking")
KEEPS = ("shape", "words", "nothing")  # what the couple keeps of a session (the summary's 1, 2, 3)
QUESTIONS = ("moods", "topics")  # what needs both partners' yes at the end, each on their own machine
JOURNAL_OPS = ("press", "pause", "time-out", "end", "return-at", "more-time", "check-in", "i-statement", "note",
               "repair-open", "repair", "choose", "park", "writing", "asking")
PHRASES = REPAIRS + ("",)  # a repair phrase by its id ("": the list closed without one); never its words
_ID = re.compile(r"^[A-Za-z0-9._-]{1,120}$")


class WireError(ValueError):
    """A message that is not what this format allows, and why (one plain line)."""


# ----- the hello, carried in the wormhole's own version exchange -----------------

def hello(role: str, version: str) -> dict[str, Any]:
    """What this heartline tells the other before anything else (inside the wormhole's key exchange)."""
    return {"app": APP, "wire": WIRE, "version": version, "role": role}


def check_hello(versions: object, expect_role: str, my_version: str) -> None:
    """The other side is a heartline speaking this format, in the other role; WireError (one line) if not."""
    peer = versions.get("app_versions", versions) if isinstance(versions, dict) else None
    if not isinstance(peer, dict) or peer.get("app") != APP:
        raise WireError("The other side is not a heartline.")
    wire, version = peer.get("wire"), peer.get("version")
    if not isinstance(version, str) or len(version) > 40 or has_unsafe(version):
        version = "unknown"
    if wire != WIRE:
        raise WireError(f"The other heartline is version {version} and this one is {my_version}: "
                        "both need the same version to talk apart.")
    if peer.get("role") != expect_role:
        raise WireError("Both heartlines are starting a session: one of you starts it, the other joins it.")


# ----- encoding ---------------------------------------------------------------------

def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode("ascii")


def intent(intent_id: str, at: float, **extra: Any) -> dict[str, Any]:
    return {"v": WIRE, "t": "intent", "id": intent_id, "at": at, **extra}


def session(head: dict[str, Any], log: list[dict[str, Any]], at: float) -> dict[str, Any]:
    return {"v": WIRE, "t": "session", "head": head, "log": log, "at": at}


def entry(item: dict[str, Any], at: float) -> dict[str, Any]:
    return {"v": WIRE, "t": "input", "entry": item, "at": at}


def clock(at: float) -> dict[str, Any]:
    return {"v": WIRE, "t": "clock", "at": at}


def record(toml: str) -> dict[str, Any]:
    return {"v": WIRE, "t": "record", "toml": toml}


def nothing() -> dict[str, Any]:
    """The couple keep nothing of this session: no file on either machine (and any copy already written goes)."""
    return {"v": WIRE, "t": "nothing"}


def question(keep: str, asking: str, yes, moods: bool | None, topics: bool | None) -> dict[str, Any]:
    """The summary's question as it stands on the host: what is kept, what is asked, who has said yes."""
    return {"v": WIRE, "t": "question", "keep": keep, "asking": asking, "yes": sorted(yes), "moods": moods,
            "topics": topics}


def bye(why: str = "") -> dict[str, Any]:
    return {"v": WIRE, "t": "bye", "why": why}


# ----- reading ----------------------------------------------------------------------

def _depth(value: object, level: int = 0) -> None:
    if level > MAX_DEPTH:
        raise WireError("nested too deeply")
    if isinstance(value, dict):
        for v in value.values():
            _depth(v, level + 1)
    elif isinstance(value, list):
        for v in value:
            _depth(v, level + 1)


def _load(raw: object, limit: int) -> dict[str, Any]:
    if not isinstance(raw, (bytes, bytearray)):
        raise WireError("not bytes")
    if len(raw) > limit:
        raise WireError(f"too large ({len(raw):,} bytes; at most {limit:,})")
    try:
        data = json.loads(bytes(raw).decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise WireError("not a message this heartline can read") from None
    _depth(data)
    if not isinstance(data, dict):
        raise WireError("not a message this heartline can read")
    if type(data.get("v")) is not int or data["v"] != WIRE:  # True == 1 in Python: not a version
        raise WireError("a message of another heartline version")
    return data


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number here")


def _keys(data: dict, required: tuple[str, ...], optional: tuple[str, ...] = (), where: str = "message") -> None:
    missing = [k for k in required if k not in data]
    if missing:
        raise WireError(f"{where} lacks {', '.join(missing)}")
    extra = sorted(set(data) - set(required) - set(optional))
    if extra:
        raise WireError(f"{where} has unknown keys: {', '.join(map(str, extra[:3]))}")


def _number(value: object, what: str, lo: float = 0.0, hi: float = MAX_OFFSET) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not lo <= value <= hi:
        raise WireError(f"{what} must be a number from {lo:g} to {hi:g}")
    return float(value)


def text(value: object, what: str, limit: int = MAX_TEXT, *, empty: bool = True, newlines: bool = False) -> str:
    """Text from the other side: a string of printable characters (no control, format or bidi), not too long."""
    if not isinstance(value, str):
        raise WireError(f"{what} must be text")
    if len(value) > limit:
        raise WireError(f"{what} is too long ({len(value):,} characters; at most {limit:,})")
    if has_unsafe(value.replace("\n", "") if newlines else value):
        raise WireError(f"{what} holds control or invisible characters")
    if not empty and not value.strip():
        raise WireError(f"{what} is empty")
    return value


@dataclass(frozen=True)
class Intent:
    """One thing the guest's partner did, as the host will apply it."""

    id: str  # "right.done", "right.mood-3", "right.note", "pause", …
    at: float  # the guest's own clock when it was pressed
    side: str = ""  # the partner's side, for a side's intent
    action: str = ""  # "done", "mood-3", …, or the shared key
    text: str = ""
    kind: str = ""  # a note's kind
    minutes: int = 0  # return-at
    reason: str = ""  # pause: the app's own reason, if any
    keep: str = ""  # done / not-quite on the summary: the question it answers yes / no to ("moods", "topics")
    phrase: str = ""  # repair: the phrase's id, one of the engine's REPAIRS ("" closed without one)
    on: bool = False  # writing / asking: the box or the question opened (True) or closed


def ping() -> dict[str, Any]:
    return {"v": WIRE, "t": "ping"}


def read_intent(raw: bytes, guest_side: str) -> Intent | None:
    """A guest's message, checked: an `Intent`, `PING` (still there) or None (bye: it left on purpose).

    WireError if it may not be applied: another version, unknown keys, the other side's keys, unsafe text.
    """
    data = _load(raw, MAX_GUEST_BYTES)
    kind = data.get("t")
    if kind in ("bye", "ping"):
        _keys(data, ("v", "t"), ("why",) if kind == "bye" else ())
        return None if kind == "bye" else PING
    if kind != "intent":
        raise WireError(f"a guest cannot send {str(kind)[:20]!r}")
    _keys(data, ("v", "t", "id", "at"), ("text", "kind", "minutes", "reason", "keep", "phrase", "on"))
    intent_id = data["id"]
    if not isinstance(intent_id, str) or len(intent_id) > 40:
        raise WireError("an intent's id must be short text")
    at = _number(data["at"], "at", hi=1e12)
    if intent_id in SHARED_INTENTS:
        side, action = "", intent_id
    else:
        side, _, action = intent_id.partition(".")
        if side not in SIDES or action not in SIDE_INTENTS:
            raise WireError(f"unknown intent {intent_id[:40]!r}")
        if side != guest_side:
            raise WireError("a guest can only press its own partner's keys")
    extra = set(data) - {"v", "t", "id", "at"}
    allowed = {"note": {"text", "kind"}, "word": {"text"}, "i-statement": {"text"}, "return-at": {"minutes"},
               "more-time": {"minutes"}, "pause": {"reason"}, "park": {"text"}, "writing": {"on"}, "asking": {"on"},
               "done": {"keep"}, "not-quite": {"keep"}, "repair": {"phrase"}}.get(action, set())
    if extra - allowed:
        raise WireError(f"{intent_id} takes no {', '.join(sorted(extra - allowed))}")
    out = Intent(id=intent_id, at=at, side=side, action=action)
    if action in ("writing", "asking"):
        if type(data.get("on")) is not bool:
            raise WireError(f"{intent_id} needs on: true or false")
        out = _replace(out, on=data["on"])
    if action == "park":  # a few words, or none
        out = _replace(out, text=text(data.get("text", ""), "the text"))
    if action in ("note", "word", "i-statement"):
        if "text" not in data:
            raise WireError(f"{intent_id} needs its text")
        out = _replace(out, text=text(data["text"], "the text"))
    if action == "note":
        note_kind = data.get("kind", "parking-lot")
        if note_kind not in NOTE_KINDS:
            raise WireError(f"a note's kind must be one of {', '.join(NOTE_KINDS)}")
        out = _replace(out, kind=note_kind)
    if "keep" in data:  # an answer on the summary, to the question it names (never taken as a session's key)
        if data["keep"] not in QUESTIONS:
            raise WireError("an answer is to moods or topics")
        out = _replace(out, keep=data["keep"])
    if action == "repair":
        if data.get("phrase", "") not in PHRASES:
            raise WireError("a repair is one of the listed phrases, by its id")
        out = _replace(out, phrase=data.get("phrase", ""))
    if action in ("return-at", "more-time"):
        minutes = data.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 24 * 60:
            raise WireError(f"{action} needs minutes from 1 to 1440")
        out = _replace(out, minutes=minutes)
    if action == "pause":
        reason = data.get("reason", "")
        if reason not in PAUSE_REASONS:
            raise WireError("unknown pause reason")
        out = _replace(out, reason=reason)
    return out


def _replace(item: Intent, **changes: Any) -> Intent:
    from dataclasses import replace

    return replace(item, **changes)


PING = Intent(id="ping", at=0.0)


@dataclass
class HostMessage:
    """One host message, checked: `kind` is session, input, clock, record, nothing or bye."""

    kind: str
    at: float = 0.0
    head: dict[str, Any] = field(default_factory=dict)
    log: list[dict[str, Any]] = field(default_factory=list)
    toml: str = ""
    why: str = ""
    question: dict[str, Any] = field(default_factory=dict)


def read_host(raw: bytes) -> HostMessage:
    """A host's message, checked to the last field; WireError if it may not be believed."""
    data = _load(raw, MAX_HOST_BYTES)
    kind = data.get("t")
    if kind == "session":
        _keys(data, ("v", "t", "head", "log", "at"))
        log = data["log"]
        if not isinstance(log, list) or len(log) > MAX_LOG:
            raise WireError(f"the session's inputs must be a list of at most {MAX_LOG:,}")
        entries = [check_entry(e) for e in log]
        _in_order(entries)
        return HostMessage("session", at=_number(data["at"], "at"), head=check_head(data["head"]), log=entries)
    if kind == "input":
        _keys(data, ("v", "t", "entry", "at"))
        return HostMessage("input", at=_number(data["at"], "at"), log=[check_entry(data["entry"])])
    if kind == "clock":
        _keys(data, ("v", "t", "at"))
        return HostMessage("clock", at=_number(data["at"], "at"))
    if kind == "ping":
        _keys(data, ("v", "t"))
        return HostMessage("ping")
    if kind == "record":
        _keys(data, ("v", "t", "toml"))
        toml = data["toml"]
        if not isinstance(toml, str):
            raise WireError("the record must be text")
        return HostMessage("record", toml=toml)
    if kind == "nothing":
        _keys(data, ("v", "t"))
        return HostMessage("nothing")
    if kind == "question":
        return HostMessage("question", question=check_question(data))
    if kind == "bye":
        _keys(data, ("v", "t"), ("why",))
        return HostMessage("bye", why=text(data.get("why", ""), "why", 200))
    raise WireError(f"a host cannot send {str(kind)[:20]!r}")


def check_question(data: dict[str, Any]) -> dict[str, Any]:
    """The summary's question from the host: exactly its fields, each one of the few values it can be."""
    _keys(data, ("v", "t", "keep", "asking", "yes", "moods", "topics"), where="the question")
    if data["keep"] not in KEEPS:
        raise WireError("keep is shape, words or nothing")
    if data["asking"] not in QUESTIONS + ("",):
        raise WireError("the question is moods, topics or none")
    yes = data["yes"]
    if not isinstance(yes, list) or len(yes) > 2 or len(set(map(str, yes))) != len(yes) \
            or any(side not in SIDES for side in yes):
        raise WireError("yes lists sides, each once")
    for key in ("moods", "topics"):
        if data[key] is not None and type(data[key]) is not bool:
            raise WireError(f"{key} is true, false or not asked yet")
    return {k: data[k] for k in ("keep", "asking", "yes", "moods", "topics")}


def _in_order(entries: list[dict[str, Any]]) -> None:
    last = 0.0
    for item in entries:
        if item["offset"] < last:
            raise WireError("the session's inputs are out of order")
        last = item["offset"]


def _data(value: object, what: str) -> str:
    """Text a partner typed on the host (a note, a word): kept, with any unsafe character shown escaped."""
    if not isinstance(value, str):
        raise WireError(f"{what} must be text")
    if len(value) > MAX_TEXT:
        raise WireError(f"{what} is too long ({len(value):,} characters; at most {MAX_TEXT:,})")
    return printable(value) if has_unsafe(value) else value


def check_entry(item: object) -> dict[str, Any]:
    """One journal input from the host: its op, its time and exactly its fields."""
    if not isinstance(item, dict):
        raise WireError("an input must be a table")
    op = item.get("op")
    if op not in JOURNAL_OPS:
        raise WireError(f"unknown input {str(op)[:20]!r}")
    fields = {
        "press": (("side", "action"), ()),
        "pause": ((), ("reason",)),
        "time-out": ((), ()),
        "end": ((), ()),
        "return-at": (("minutes",), ()),
        "more-time": (("minutes",), ()),
        "check-in": (("side", "mood"), ("feeling", "seal")),
        "i-statement": (("side", "text"), ()),
        "note": (("side", "text"), ("kind",)),
        "repair-open": ((), ()),
        "repair": ((), ("phrase",)),
        "choose": (("side", "number"), ()),  # Imago: a request chosen as a gift
        "park": ((), ("text",)),  # a stress-reducing talk: kept for the state of the union
        "writing": (("side", "on"), ()),  # a note box opened or closed: the clock waits
        "asking": (("on",), ()),  # the end question opened or answered: the clock waits
    }[op]
    _keys(item, ("op", "offset", *fields[0]), fields[1], where=f"input {op}")
    out: dict[str, Any] = {"op": op, "offset": _number(item["offset"], "offset")}
    if "side" in item:
        if item["side"] not in SIDES:
            raise WireError("an input's side must be left or right")
        out["side"] = item["side"]
    if op == "press":
        if item["action"] not in ("done", "not-quite"):
            raise WireError("a press is done or not-quite")
        out["action"] = item["action"]
    elif op == "pause" and "reason" in item:
        if item["reason"] not in PAUSE_REASONS:
            raise WireError("unknown pause reason")
        out["reason"] = item["reason"]
    elif op == "repair":
        if item.get("phrase", "") not in PHRASES:
            raise WireError("a repair is one of the listed phrases, by its id")
        out["phrase"] = item.get("phrase", "")
    elif op in ("writing", "asking"):
        if type(item["on"]) is not bool:
            raise WireError(f"{op} is on: true or false")
        out["on"] = item["on"]
    elif op == "park":
        out["text"] = _data(item.get("text", ""), "the text")
    elif op in ("return-at", "more-time"):
        minutes = item["minutes"]
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not -10**6 < minutes < 10**6:
            raise WireError("return-at needs whole minutes")
        out["minutes"] = minutes
    elif op == "check-in":
        mood = item["mood"]
        if mood is not None and (isinstance(mood, bool) or mood not in (1, 2, 3, 4, 5)):
            raise WireError("a mood is 1 to 5")
        out["mood"] = mood
        feeling = item.get("feeling")
        out["feeling"] = None if feeling is None else _data(feeling, "a feeling")
        seal = item.get("seal", True)
        if not isinstance(seal, bool):
            raise WireError("seal is true or false")
        out["seal"] = seal
    elif op == "choose":
        number = item["number"]
        if isinstance(number, bool) or number not in (1, 2, 3):
            raise WireError("a request chosen is 1, 2 or 3")
        out["number"] = number
    elif op in ("i-statement", "note"):
        out["text"] = _data(item["text"], "the text")
        if op == "note" and "kind" in item:
            if item["kind"] is not None and item["kind"] not in NOTE_KINDS + ("",):
                raise WireError(f"a note's kind must be one of {', '.join(NOTE_KINDS)}")
            out["kind"] = item["kind"]
    return out


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def check_head(head: object) -> dict[str, Any]:
    """The journal's header from the host: the ritual is read like a ritual file (strict), the names like names."""
    from heartline.sessions.rituals import RitualError, parse_ritual

    if not isinstance(head, dict):
        raise WireError("the session's header must be a table")
    _keys(head, ("heartline_journal", "id", "app_version", "started_at", "ritual", "left", "right", "settings",
                 "options"), where="the session's header")
    if head["heartline_journal"] != 1:
        raise WireError("a session header of another heartline version")
    sid = head["id"]
    if not isinstance(sid, str) or not _ID.match(sid):
        raise WireError("the session's id must be letters, digits, '.', '_' and '-'")
    text(head["app_version"], "app_version", 40)
    try:
        started = datetime.fromisoformat(text(head["started_at"], "started_at", 40))
    except ValueError:
        raise WireError("started_at must be a date and time") from None
    if started.tzinfo is None:
        raise WireError("started_at must say its time zone")
    names = [text(head[side], f"the {side} name", MAX_NAME, empty=False) for side in SIDES]
    ritual = head["ritual"]
    if not isinstance(ritual, dict):
        raise WireError("the ritual must be a table")
    shaped = {k: v for k, v in ritual.items() if k != "source"}
    try:
        parsed = parse_ritual(shaped, "the ritual from the other heartline")
    except RitualError as exc:
        raise WireError(str(exc)) from None
    except Exception:  # noqa: BLE001 - a hostile value is refused, never fatal
        raise WireError("the ritual from the other heartline cannot be read") from None
    for value in _strings(shaped):
        text(value, "a text of the ritual", 4000, newlines=True)
    settings = head["settings"]
    if not isinstance(settings, dict):
        raise WireError("settings must be a table")
    _keys(settings, ("speak_seconds", "reflect_seconds", "rounds"),
          ("grace_seconds", "confirm_seconds", "timeout_seconds", "first", "closing_appreciation"), "settings")
    for key, lo, hi in (("speak_seconds", 1, 3600), ("reflect_seconds", 1, 3600), ("rounds", 1, 20),
                        ("grace_seconds", 0, 300), ("confirm_seconds", 1, 3600), ("timeout_seconds", 1, 24 * 3600)):
        if key in settings:
            value = settings[key]
            if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
                raise WireError(f"settings.{key} must be a whole number from {lo} to {hi}")
    if settings.get("first", "left") not in SIDES:
        raise WireError("settings.first must be left or right")
    if not isinstance(settings.get("closing_appreciation", False), bool):
        raise WireError("settings.closing_appreciation must be true or false")
    options = head["options"]
    if not isinstance(options, dict):
        raise WireError("options must be a table")
    _keys(options, (), ("rules", "checkin", "good_time", "topic", "topic_deck"), "options")
    for key in ("rules", "checkin", "good_time"):
        if not isinstance(options.get(key, True), bool):
            raise WireError(f"options.{key} must be true or false")
    text(options.get("topic", ""), "the topic", 200)
    text(options.get("topic_deck", ""), "the topic's deck", 80)
    return {**head, "left": names[0], "right": names[1], "ritual": parsed}


# ----- too many at once ----------------------------------------------------------------

class RateLimit:
    """A token bucket: `burst` messages at once, `rate` a second after that; the rest dropped and counted."""

    def __init__(self, rate: float = 30.0, burst: int = 60) -> None:
        self.rate = rate
        self.burst = float(burst)
        self._tokens = float(burst)
        self._last: float | None = None
        self.dropped = 0  # since the last `take_dropped`

    def allow(self, now: float) -> bool:
        if self._last is not None:
            self._tokens = min(self.burst, self._tokens + max(0.0, now - self._last) * self.rate)
        self._last = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        self.dropped += 1
        return False

    def take_dropped(self) -> int:
        n, self.dropped = self.dropped, 0
        return n

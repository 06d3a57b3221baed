"""Rituals: load and validate the protocol TOML files.

A broken file never stops the others from loading: each problem becomes a
`RitualError` naming the file, the field and what is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..text import has_unsafe
from ..tomlfile import FileProblem, read_toml, reject_unknown

ROLES = ("speaker", "listener", "both")
LENGTHS = ("speak", "reflect", "confirm")
COLLECT = ("", "appreciation", "commitment", "core-need", "flexible", "request")
REQUESTS = 3  # behaviour-change requests a sender writes: three, one of them chosen as a gift
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}\Z")  # \Z, not $: "$" also matches before a final newline
MAX_SECONDS = 60 * 60
RITUAL_KEYS = ("id", "name", "summary", "description", "rounds", "speak_seconds", "reflect_seconds",
               "confirm_seconds", "clarify_seconds", "grace_seconds", "ground_rules", "parts", "calm_first",
               "good_time", "speaker_keeps_floor")
CHECK_WORDS = ("ask", "yes", "not_quite", "clarify")  # the listener's question, the speaker's answers, then saying it again
CHECK_LINES = ("check_speaker", "check_listener", "clarify_speaker", "clarify_listener")  # the check's own guidance
MORE_LINES = ("more_speaker", "more_listener")  # the "Is there more?" step's guidance
PHASE_KEYS = ("kind", "title", "actor", "length", "confirm", "collect", "speaker", "listener",
              "more", "check", "skippable", "fixed", "i_statement", "not_solvable", "conversation", "park",
              "answers", "choose", *CHECK_WORDS, *CHECK_LINES, *MORE_LINES)
PART_KEYS = ("title", "phases", "once")
GOOD_TIME = "Is now a good time?"  # `good_time = true`: the question asked before anything else

DEFAULT_GROUND_RULES = (
    "One speaker at a time: the floor belongs to whoever holds it.",
    "Speak about yourself, in I-statements: “I feel … when … and I need …”.",
    "No criticism, blame or contempt — describe, don't accuse.",
    "The listener does not argue, defend or solve; they reflect back.",
    "Either of us can pause or call a time-out at any moment.",
    "Either of us can say not now.",
    "Nothing said here is used against each other later.",
)
# Said in every ritual, a couple's own too (DESIGN's "Care"): added after a file's own rules when it lacks them.
CARE_RULES = DEFAULT_GROUND_RULES[-2:]


class RitualError(FileProblem):
    """A ritual file that cannot be used, and exactly why."""


@dataclass(frozen=True)
class Phase:
    kind: str
    title: str
    actor: str  # "speaker" | "listener"
    length: str | int  # "speak" | "reflect" | "confirm" | seconds (scaled with the typed lengths unless fixed)
    confirm: bool = False  # the speaker then answers: got it (done) or not quite (clarify, then again)
    collect: str = ""
    speaker: tuple[str, ...] = ()
    listener: tuple[str, ...] = ()
    more: bool = False  # after "got it": "Is there more?" loops back to the part's start, bounded by speak time
    check: str = ""  # the question the confirm step asks ("Did I get it all?")
    skippable: bool = False  # the holder's not-quite key skips it ("not today")
    fixed: bool = False  # a number of seconds that keeps its own length whatever lengths were typed
    i_statement: bool = False  # the speaker's prepared I-statement is shown while they hold it
    not_solvable: bool = False  # a step together: both saying "not solvable today" ends the run, completed
    conversation: bool = False  # the listener may speak too: their keys are not blocked (the floor stays the speaker's)
    park: bool = False  # the park key keeps a couple issue for the next state of the union
    answers: bool = False  # answers the phase before it (a thank-you, a gift): skipped along with it
    choose: bool = False  # the holder picks one of the requests just written (their number keys), as a gift
    # A confirmed phase's check in its own words (the engine's generic words where none are given):
    ask: str = ""  # the listener's own question, on their pane while the speaker answers ("Did I get it?")
    yes: str = ""  # what the speaker's done key says in the check ("yes, that makes sense")
    not_quite: str = ""  # what their not-quite key says ("not quite")
    clarify: str = ""  # after "not quite", what the speaker does, read as "Jon is …" ("naming the feeling")
    check_speaker: tuple[str, ...] = ()  # guidance while the speaker answers the check
    check_listener: tuple[str, ...] = ()  # the listener's, meanwhile
    clarify_speaker: tuple[str, ...] = ()  # the speaker's, saying it again after "not quite"
    clarify_listener: tuple[str, ...] = ()  # the listener's, meanwhile
    more_speaker: tuple[str, ...] = ()  # the speaker's, asked "Is there more?" (with more = true)
    more_listener: tuple[str, ...] = ()

    def guidance(self, role: str) -> tuple[str, ...]:
        return self.speaker if role == "speaker" else self.listener


@dataclass(frozen=True)
class Part:
    title: str
    phases: tuple[Phase, ...]
    once: bool = False  # played once, the first speaker holding it, instead of once each way


@dataclass(frozen=True)
class Ritual:
    id: str
    name: str
    summary: str
    description: str
    rounds: int
    speak_seconds: int
    reflect_seconds: int
    parts: tuple[Part, ...]
    confirm_seconds: int = 30
    grace_seconds: int = 15
    clarify_seconds: int = 20
    ground_rules: tuple[str, ...] = DEFAULT_GROUND_RULES
    source: str = ""
    calm_first: bool = False  # not to be started within the time-out minimum of a time-out (the engine says so)
    good_time: str = ""  # asked of who listens first before anything else ("Is now a good time?"); "": not asked
    speaker_keeps_floor: bool = False  # the floor stays the speaker's while the listener says it back (PREP)


def _text(data: dict, key: str, source: str, where: str = "", required: bool = True, default: str = "") -> str:
    name = f"{where}{key}"
    if key not in data:
        if required:
            raise RitualError(source, name, "is missing")
        return default
    value = data[key]
    if not isinstance(value, str):
        raise RitualError(source, name, f"must be text, not {type(value).__name__}")
    return value


def _int(data: dict, key: str, source: str, lo: int, hi: int, default: int | None = None, where: str = "") -> int:
    name = f"{where}{key}"
    if key not in data:
        if default is None:
            raise RitualError(source, name, "is missing")
        return default
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise RitualError(source, name, f"must be a whole number, not {type(value).__name__}")
    if not lo <= value <= hi:
        raise RitualError(source, name, f"must be between {lo} and {hi}, not {value}")
    return value


def _lines(data: dict, key: str, source: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RitualError(source, f"{where}{key}", "must be a list of text lines")
    return tuple(value)


def _phase(data: object, source: str, where: str) -> Phase:
    if not isinstance(data, dict):
        raise RitualError(source, where.rstrip("."), "must be a table")
    reject_unknown(data, PHASE_KEYS, RitualError, source, where)
    kind = _text(data, "kind", source, where)
    if not ID_RE.match(kind):
        raise RitualError(source, f"{where}kind", f"must be a short lowercase slug, not {kind!r}")
    actor = _text(data, "actor", source, where)
    if actor not in ROLES:
        raise RitualError(source, f"{where}actor", f"must be 'speaker', 'listener' or 'both', not {actor!r}")
    length = data.get("length", "speak" if actor == "speaker" else "reflect")
    if isinstance(length, bool) or not isinstance(length, (str, int)):
        raise RitualError(source, f"{where}length", "must be speak, reflect, confirm or a number of seconds")
    if isinstance(length, str) and length not in LENGTHS:
        raise RitualError(source, f"{where}length", f"must be speak, reflect, confirm or a number of seconds, not {length!r}")
    if isinstance(length, int) and not 1 <= length <= MAX_SECONDS:
        raise RitualError(source, f"{where}length", f"must be between 1 and {MAX_SECONDS} seconds, not {length}")
    flags = {}
    for name in ("confirm", "more", "skippable", "fixed", "i_statement", "not_solvable", "conversation", "park",
                 "answers", "choose"):
        flags[name] = data.get(name, False)
        if not isinstance(flags[name], bool):
            raise RitualError(source, f"{where}{name}", "must be true or false")
    if flags["more"] and not flags["confirm"]:
        raise RitualError(source, f"{where}more", "needs confirm = true: “Is there more?” follows a “got it”")
    if flags["confirm"] and actor != "listener":
        raise RitualError(source, f"{where}confirm", "only a listener's phase is confirmed by the speaker")
    if flags["not_solvable"] and actor != "both":
        raise RitualError(source, f"{where}not_solvable", "only a step the two take together (actor = \"both\")")
    if flags["conversation"] and actor != "speaker":
        raise RitualError(source, f"{where}conversation", "only a speaker's phase: the listener may speak in it")
    words = {name: _text(data, name, source, where, required=False) for name in ("check", *CHECK_WORDS)}
    lines = {name: _lines(data, name, source, where) for name in (*CHECK_LINES, *MORE_LINES)}
    for name in (*CHECK_WORDS, *lines):  # empty is as good as absent (a ritual carried whole, as a session apart does)
        if data.get(name) and not flags["confirm"]:
            raise RitualError(source, f"{where}{name}", "belongs to a check: it needs confirm = true")
    for name in MORE_LINES:
        if data.get(name) and not flags["more"]:
            raise RitualError(source, f"{where}{name}", "belongs to “Is there more?”: it needs more = true")
    collect = _text(data, "collect", source, where, required=False)
    if collect not in COLLECT:
        raise RitualError(source, f"{where}collect", f"must be one of {', '.join(repr(c) for c in COLLECT)}, not {collect!r}")
    if flags["choose"] and (actor == "both" or flags["confirm"]):
        raise RitualError(source, f"{where}choose", "is one partner's pick: not with actor = 'both' or confirm")
    return Phase(
        kind=kind,
        title=_text(data, "title", source, where, required=False, default=kind.replace("-", " ").capitalize()),
        actor=actor,
        length=length,
        collect=collect,
        speaker=_lines(data, "speaker", source, where),
        listener=_lines(data, "listener", source, where),
        **words,
        **lines,
        **flags,
    )


def parse_ritual(data: dict, source: str) -> Ritual:
    """Validate one parsed TOML document; raise `RitualError` on the first problem."""
    rid = _text(data, "id", source)
    if not ID_RE.match(rid):
        raise RitualError(source, "id", f"must be lowercase letters, digits and '-', not {rid!r}")
    reject_unknown(data, RITUAL_KEYS, RitualError, source)
    parts_data = data.get("parts")
    if not isinstance(parts_data, list) or not parts_data:
        raise RitualError(source, "parts", "needs at least one [[parts]] table")
    parts = []
    for i, pd in enumerate(parts_data, 1):
        where = f"parts[{i}]."
        if not isinstance(pd, dict):
            raise RitualError(source, f"parts[{i}]", "must be a table")
        reject_unknown(pd, PART_KEYS, RitualError, source, where)
        phases_data = pd.get("phases")
        if not isinstance(phases_data, list) or not phases_data:
            raise RitualError(source, f"{where}phases", "needs at least one [[parts.phases]] table")
        phases = tuple(_phase(ph, source, f"{where}phases[{j}].") for j, ph in enumerate(phases_data, 1))
        once = pd.get("once", False)
        if not isinstance(once, bool):
            raise RitualError(source, f"{where}once", "must be true or false")
        parts.append(Part(title=_text(pd, "title", source, where, required=False), phases=phases, once=once))
    rules = _lines(data, "ground_rules", source, "") or DEFAULT_GROUND_RULES
    rules = tuple(rules) + tuple(line for line in CARE_RULES if line not in rules)
    calm_first = data.get("calm_first", False)
    if not isinstance(calm_first, bool):
        raise RitualError(source, "calm_first", "must be true or false")
    good_time = data.get("good_time", False)
    if good_time is True:
        good_time = GOOD_TIME
    elif good_time is False or (isinstance(good_time, str) and not good_time.strip()):
        good_time = ""  # not asked (a ritual sent whole, as a session apart does, says so with "")
    elif isinstance(good_time, str) and len(good_time) <= 200 and not has_unsafe(good_time):
        good_time = " ".join(good_time.split())
    else:
        raise RitualError(source, "good_time", "must be true, false or the question to ask (one line)")
    keeps = data.get("speaker_keeps_floor", False)
    if not isinstance(keeps, bool):
        raise RitualError(source, "speaker_keeps_floor", "must be true or false")
    return Ritual(
        id=rid,
        name=_text(data, "name", source),
        summary=_text(data, "summary", source),
        description=_text(data, "description", source, required=False),
        rounds=_int(data, "rounds", source, 1, 20, default=1),
        speak_seconds=_int(data, "speak_seconds", source, 1, MAX_SECONDS, default=120),
        reflect_seconds=_int(data, "reflect_seconds", source, 1, MAX_SECONDS, default=60),
        confirm_seconds=_int(data, "confirm_seconds", source, 1, MAX_SECONDS, default=30),
        grace_seconds=_int(data, "grace_seconds", source, 0, 300, default=15),
        clarify_seconds=_int(data, "clarify_seconds", source, 1, MAX_SECONDS, default=20),
        ground_rules=rules,
        parts=tuple(parts),
        source=source,
        calm_first=calm_first,
        good_time=good_time,
        speaker_keeps_floor=keeps,
    )


def load_ritual_file(path: Path) -> Ritual:
    return parse_ritual(read_toml(path, RitualError), str(path))


def _builtin_files() -> list[Path]:
    folder = Path(__file__).parent  # installed as files (as the paths below assume): no importlib.resources
    return sorted(p for p in folder.iterdir() if p.name.endswith(".toml"))


BUILTIN_ORDER = (
    "speaker-listener",
    "imago-dialogue",
    "stress-reducing",
    "appreciation-round",
    "temperature-reading",
    "state-of-the-union",
    "aftermath-of-a-fight",
    "dreams-within-conflict",
    "problem-solving",
)


@dataclass
class RitualSet:
    """Every ritual that loaded, in a stable order, and the files that did not."""

    rituals: dict[str, Ritual] = field(default_factory=dict)
    errors: list[RitualError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # worth saying, not a problem: a user ritual replacing a built-in

    def get(self, rid: str) -> Ritual | None:
        return self.rituals.get(rid)

    def __iter__(self):
        return iter(self.rituals.values())


# Any session can close with this, whatever its ritual (DESIGN: "every session
# can close with an appreciation round"); fixed short turns, typed or spoken.
CLOSING_APPRECIATION = Part(
    title="Closing appreciations",
    phases=(
        Phase(
            kind="appreciate",
            title="I appreciate…",
            actor="speaker",
            length=45,
            fixed=True,
            collect="appreciation",
            speaker=(
                "“Something I appreciated today …”",
                "Small and specific is perfect.",
                "Say it, and jot it as a note if you like.",
            ),
            listener=(
                "Let it land; don't wave it away.",
                "A simple “thank you” is plenty.",
            ),
        ),
    ),
)


def ends_with_appreciation(ritual: Ritual) -> bool:
    return ritual.parts[-1].phases[-1].collect == "appreciation"


# The steps the engine adds around a confirmed phase: the speaker checks it,
# clarifies after "not quite", and is asked "Is there more?" in a loop.
CONFIRM = Phase(
    kind="confirm",
    title="Did they get it?",
    actor="speaker",
    length="confirm",
    speaker=("Did they get it?", "If they did: “Yes, you got it.”", "If not quite: say so, then say it again."),
    listener=("Wait for their answer.", "If not quite, they'll say it again; then try once more."),
    yes="you got it",
    not_quite="not quite",
)
CLARIFY = Phase(
    kind="clarify",
    title="Say it again",
    actor="speaker",
    length="clarify",
    speaker=("Say again what matters most to you.", "No need to start over."),
    listener=("Listen again; two tries is normal.", "Then reflect it back once more."),
)
MORE = Phase(
    kind="more",
    title="Is there more?",
    actor="speaker",
    length="confirm",
    speaker=("Is there more you want them to hear?", "If that's all: the floor passes on.",
             "If there's more: say so, and speak again."),
    listener=("Ask gently: “Is there more?”", "Then wait for their answer."),
)
# "Is there more?" once the speaker's floor time is used: the speaker decides, never the clock.
FLOOR_UP = Phase(
    kind="more",
    title="Pass the floor?",
    actor="speaker",
    length="confirm",
    speaker=("You have had your floor time for now.", "Pass the floor to them, or take a minute more.",
             "Either is fine."),
    listener=("Their floor time is used.", "They choose: pass the floor, or a minute more.", "Wait for their answer."),
)


from .ondemand import load_rituals  # noqa: E402,F401 - read when first asked for (it uses the above)

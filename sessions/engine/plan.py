"""A ritual laid out as steps for given settings, and how long that plan takes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..rituals import CLARIFY, CLOSING_APPRECIATION, CONFIRM, MORE, Phase, Ritual, ends_with_appreciation
from .terms import LEFT, TIMEOUT_SECONDS, other


@dataclass(frozen=True)
class Settings:
    speak_seconds: int
    reflect_seconds: int
    rounds: int
    grace_seconds: int = 15
    confirm_seconds: int = 30
    timeout_seconds: int = TIMEOUT_SECONDS
    first: str = LEFT  # who speaks first
    closing_appreciation: bool = False  # end with a short appreciation turn each

    @classmethod
    def from_ritual(
        cls,
        ritual: Ritual,
        speak: int | None = None,
        reflect: int | None = None,
        rounds: int | None = None,
        **extra: Any,
    ) -> Settings:
        return cls(
            speak_seconds=speak or ritual.speak_seconds,
            reflect_seconds=reflect or ritual.reflect_seconds,
            rounds=rounds or ritual.rounds,
            grace_seconds=ritual.grace_seconds,
            confirm_seconds=ritual.confirm_seconds,
            **extra,
        )


@dataclass(frozen=True)
class Step:
    """One planned turn: a phase played by one partner in one round.

    Steps are laid out in order; `on_done` and `on_not_quite` say where the
    two partner keys lead when they are not simply "the next step", which is
    how the floor loops (not quite → clarify → reflect again; is there more →
    speak again) live in a flat plan.
    """

    index: int
    round: int
    part: str
    kind: str
    title: str
    holder: str  # side holding the floor
    speaker: str  # side whose topic this is (the ritual's "speaker" role)
    planned: int
    phase: Phase
    added: str = ""  # what the engine added around a phase: confirm | clarify | more
    on_done: int | None = None  # where done (or time) leads; None: the next step
    on_not_quite: int | None = None  # where the holder's not-quite leads; None: it does nothing
    block: int = 0  # one speaker's go at one part; their speak time is counted per block
    budgeted: bool = False  # the speaker's talk inside an "Is there more?" loop: bounded by speak time

    @property
    def is_confirm(self) -> bool:
        return self.added == "confirm"

    @property
    def retry_to(self) -> int | None:  # kept for readers of the old plan
        return self.on_not_quite if self.is_confirm else None

    @property
    def together(self) -> bool:
        return self.phase.actor == "both"

    def role(self, side: str) -> str:
        return "speaker" if side == self.speaker else "listener"


def phase_seconds(phase: Phase, ritual: Ritual, settings: Settings) -> int:
    """A phase's length for these settings: named lengths follow what was typed; numbers scale with them.

    A number in a ritual file is meant at the ritual's own speak (or, for a
    listener, reflect) length; typed lengths scale it, so a demo at 8 s keeps
    the proportions. `fixed = true` keeps the number as it is. Saying it again
    after "not quite" (`clarify_seconds`) scales up, never down: it stays the
    ritual's own length, or the speak time when that is shorter.
    """
    if phase.length == "speak":
        return settings.speak_seconds
    if phase.length == "reflect":
        return settings.reflect_seconds
    if phase.length == "confirm":
        return settings.confirm_seconds
    if phase.length == "clarify":
        seconds, listener = ritual.clarify_seconds, False
    else:
        seconds, listener = int(phase.length), phase.actor == "listener"
    if phase.fixed:
        return seconds
    base, typed = (ritual.reflect_seconds, settings.reflect_seconds) if listener else (ritual.speak_seconds, settings.speak_seconds)
    scaled = max(1, int(seconds * typed / base + 0.5))
    if phase.length == "clarify":  # saying it again: a longer speak time gives more room, a shorter never less than
        return max(scaled, min(seconds, settings.speak_seconds))  # the ritual's own, unless the turn itself is shorter
    return scaled


def _steps_of(phase: Phase) -> int:
    """How many steps a phase becomes: itself, or itself, its check, its clarify (and "Is there more?")."""
    return 1 if not phase.confirm else 3 + phase.more


def _answering(phases: tuple[Phase, ...]) -> list[Phase]:
    """The phases right after one that answer it (`answers = true`): skipped when it is."""
    out = []
    for phase in phases:
        if not phase.answers:
            break
        out.append(phase)
    return out


def checks(phase: Phase, following: Phase | None) -> tuple[Phase, Phase, Phase]:
    """The steps the engine adds around a confirmed phase, each in that phase's own words (issue 18).

    The check asks the speaker the phase's own question (`check`) and names
    its own answers (`yes`, `not_quite`); the listener's pane shows their own
    question (`ask`). The clarify turn after a "not quite" and the "Is there
    more?" say what this phase needs. Where a ritual gives no words, the
    generic ones, except that "that's all" says truly what follows it: the
    floor passing on, or the next step of the same speaker's part.
    """
    check = replace(CONFIRM, title=phase.check or CONFIRM.title, ask=phase.ask, yes=phase.yes or CONFIRM.yes,
                    not_quite=phase.not_quite or CONFIRM.not_quite,
                    speaker=phase.check_speaker or CONFIRM.speaker, listener=phase.check_listener or CONFIRM.listener)
    title = phase.clarify[:1].upper() + phase.clarify[1:] if phase.clarify else CLARIFY.title
    clarify = replace(CLARIFY, title=title, clarify=phase.clarify, speaker=phase.clarify_speaker or CLARIFY.speaker,
                      listener=phase.clarify_listener or CLARIFY.listener)
    speaker = phase.more_speaker
    if not speaker:
        then = f"If that's all: next, “{following.title}”." if following else "If that's all: the floor passes on."
        speaker = tuple(then if line == MORE.speaker[1] else line for line in MORE.speaker)
    more = replace(MORE, speaker=speaker, listener=phase.more_listener or MORE.listener)
    return check, more, clarify


def plan(ritual: Ritual, settings: Settings) -> list[Step]:
    """Expand a ritual into its steps: rounds × parts × speakers × phases, with the added checks."""
    steps: list[Step] = []
    first = settings.first
    rounds = [(rnd, ritual.parts) for rnd in range(1, settings.rounds + 1)]
    if settings.closing_appreciation and not ends_with_appreciation(ritual):
        rounds.append((settings.rounds, (CLOSING_APPRECIATION,)))
    block = 0
    for rnd, parts in rounds:
        for part in parts:
            last_more = max((i for i, ph in enumerate(part.phases) if ph.more), default=-1)
            for speaker in (first,) if part.once else (first, other(first)):
                block += 1
                start = len(steps)

                def add(phase: Phase, holder: str, added: str = "", budgeted: bool = False, **jumps) -> int:
                    title = phase.title
                    steps.append(Step(len(steps), rnd, part.title, phase.kind, title, holder, speaker,
                                      phase_seconds(phase, ritual, settings), phase, added, block=block,
                                      budgeted=budgeted, **jumps))
                    return len(steps) - 1

                for i, phase in enumerate(part.phases):
                    holder = other(speaker) if phase.actor == "listener" else speaker
                    in_loop = i <= last_more
                    here = len(steps)
                    if not phase.confirm:
                        after = here + 1  # a skipped phase takes the phases answering it along (a thank-you, a gift)
                        after += sum(_steps_of(p) for p in _answering(part.phases[i + 1:]))
                        add(phase, holder, budgeted=in_loop and phase.actor == "speaker",
                            on_not_quite=after if phase.skippable else None)
                        continue
                    confirm_at = here + 1
                    more_at = here + 2 if phase.more else None
                    clarify_at = (more_at or confirm_at) + 1
                    after = clarify_at + 1
                    add(phase, holder)
                    following = part.phases[i + 1] if i + 1 < len(part.phases) else None
                    check, more, clarify = checks(phase, following)
                    add(check, speaker, "confirm", on_done=more_at or after, on_not_quite=clarify_at)
                    if more_at is not None:
                        add(more, speaker, "more", on_done=after, on_not_quite=start)
                    add(clarify, speaker, "clarify", budgeted=in_loop, on_done=here)
    return steps


def estimate_seconds(ritual: Ritual, settings: Settings) -> int:
    """The session's planned length when every turn takes its time and the speaker uses all their floor.

    Setup shows this; `tests/test_lengths.py` plays sessions on the manual
    clock and checks the two agree.
    """
    steps = plan(ritual, settings)
    total = 0.0
    i = 0
    used: dict[int, float] = {}
    while i < len(steps):
        step = steps[i]
        if step.added == "more" and used.get(step.block, 0.0) >= settings.speak_seconds:
            total += step.planned  # the floor time is used: the speaker is asked (pass the floor, or a minute more)
            i = step.on_done
            continue
        planned = step.planned
        if step.budgeted and step.added != "clarify":
            planned = min(planned, settings.speak_seconds - used.get(step.block, 0.0))
        total += planned
        if step.budgeted:
            used[step.block] = used.get(step.block, 0.0) + planned
        if step.added == "more":
            i = step.on_not_quite  # there is more, while floor time remains
        elif step.on_done is not None:
            i = step.on_done
        else:
            i += 1
    return int(total + 0.5)


def ritual_estimate(ritual: Ritual, speak: int | None = None, reflect: int | None = None,
                    rounds: int | None = None) -> int:
    """A ritual's planned length at its own lengths, or at the ones typed (the rituals list shows this)."""
    return estimate_seconds(ritual, Settings.from_ritual(ritual, speak=speak, reflect=reflect, rounds=rounds))


def own_lengths(ritual: Ritual, settings: Settings) -> tuple[tuple[str, int], ...]:
    """Steps that keep their own length whatever speak and reflect lengths are typed (setup says which)."""
    out: dict[str, int] = {}
    single = {part.title for part in (*ritual.parts, CLOSING_APPRECIATION) if len(part.phases) == 1}
    for step in plan(ritual, settings):
        if step.added in ("confirm", "more"):
            out.setdefault("each yes-or-no answer", settings.confirm_seconds)
        elif step.phase.fixed:  # a part of one step is named by the part ("Affection"), not its prompt
            out.setdefault(step.part if step.part in single else step.title, int(step.planned))
    return tuple(out.items())



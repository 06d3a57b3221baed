"""Each check in its own words (issue 18, item 6): the sender is asked the sender's question, the receiver's pane
keeps the receiver's; "yes" after validating is not "you got it"; a "not quite" on validation or empathy gets a
clarify turn of its own; "that's all" says what really comes next. The same words in the export and in help."""

from __future__ import annotations

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Settings, Stage, plan
from heartline.sessions.export import timeline
from heartline.sessions.rituals import CLARIFY, load_rituals
from heartline.sessions.setup import SessionPlan
from tests.apps import make_app, text_of

RITUALS = load_rituals()
IMAGO = RITUALS.get("imago-dialogue")


def steps(ritual_id="imago-dialogue"):
    ritual = RITUALS.get(ritual_id)
    return plan(ritual, Settings.from_ritual(ritual))


def checks_of(ritual_id="imago-dialogue"):
    """{checked phase kind: (its confirm step, its clarify step, its "is there more?" step or None)}, first seen."""
    out = {}
    all_steps = steps(ritual_id)
    for i, step in enumerate(all_steps):
        if step.is_confirm and all_steps[i - 1].kind not in out:
            kind = all_steps[i - 1].kind
            clarify = all_steps[step.on_not_quite]
            more = all_steps[step.on_done] if all_steps[step.on_done].added == "more" else None
            out[kind] = (step, clarify, more)
    return out


def test_the_sender_is_asked_the_senders_question_not_the_receivers_line():
    """Seen: the sender's pane showed the receiver's line "▶ Did I get it? ◀"."""
    checks = checks_of()
    assert set(checks) == {"mirror", "summary", "validate", "empathize"}
    for kind, (check, _, _) in checks.items():
        assert check.phase.ask, kind  # the receiver's own question
        assert check.title != check.phase.ask, kind  # the sender sees their own
        assert " I " not in f" {check.title} " and "my " not in check.title.casefold(), check.title
    assert checks["mirror"][0].title == "Did they get it?" and checks["mirror"][0].phase.ask == "Did I get it?"
    assert len({c.title for c, _, _ in checks.values()}) == 4  # each check its own question


def test_each_check_has_its_own_yes():
    """Seen: after validation the check still said "Yes, you got it."."""
    checks = checks_of()
    yeses = {kind: check.phase.yes for kind, (check, _, _) in checks.items()}
    assert len(set(yeses.values())) == 4, yeses
    for kind in ("validate", "empathize"):
        check = checks[kind][0]
        words = " ".join((check.phase.yes, *check.phase.speaker)).casefold()
        assert "got it" not in words, (kind, words)
    assert "makes sense" in yeses["validate"] and "feel" in yeses["empathize"]


def test_a_not_quite_on_validation_or_empathy_gets_its_own_clarify():
    """Seen: a "not quite" on validation got the generic "say again what matters most" clarify line."""
    checks = checks_of()
    lines = {}
    for kind in ("mirror", "summary", "validate", "empathize"):
        clarify = checks[kind][1]
        assert clarify.added == "clarify"
        lines[kind] = clarify.phase.speaker + clarify.phase.listener
    for kind in ("validate", "empathize", "summary"):
        assert checks[kind][1].phase.speaker != CLARIFY.speaker, kind
        assert checks[kind][1].phase.listener != CLARIFY.listener, kind
    assert len({tuple(v) for v in lines.values()}) == 4
    assert any("makes sense" in line for line in lines["validate"])
    assert any("feel" in line for line in lines["empathize"])


def test_thats_all_says_what_really_follows():
    """Seen: "that's all: the floor passes on" where the receiver's summary follows."""
    more = checks_of()["mirror"][2]
    said = " ".join(more.phase.speaker + more.phase.listener)
    assert "passes on" not in said and "sum it all up" in said
    # speaker–listener: the floor does pass on; state of the union: validating follows, in the same part
    assert "If that's all: the floor passes on." in checks_of("speaker-listener")["reflect"][2].phase.speaker
    sotu = checks_of("state-of-the-union")["reflect"][2].phase.speaker
    assert not any("passes on" in line for line in sotu) and any("Validate" in line for line in sotu)


def test_every_builtin_validation_or_empathy_check_says_its_own_yes():
    for ritual in RITUALS:
        all_steps = plan(ritual, Settings.from_ritual(ritual))
        for i, step in enumerate(all_steps):
            if step.is_confirm and all_steps[i - 1].kind in ("validate", "empathize"):
                assert "got it" not in step.phase.yes, (ritual.id, step.phase.yes)
                assert step.phase.ask and step.phase.ask != step.title, (ritual.id, step.title)


def _imago_engine():
    clock = ManualClock()
    engine = Engine(IMAGO, "Alex", "Sam", Settings.from_ritual(IMAGO), clock, rules=False, checkin=False)
    return engine, clock


def _to(engine, clock, kind, added="confirm"):
    """Alex sends, Sam mirrors, …: each holder presses done until the check after `kind` is reached."""
    previous = ""
    for _ in range(40):
        step = engine.state().step
        if step.added == added and previous == kind:
            return step
        previous = step.kind if not step.added else previous
        clock.advance(2)
        engine.press(step.holder, "done")
    raise AssertionError(f"never reached the check after {kind}")


def test_the_timeline_says_each_checks_own_yes():
    """Seen: the export said "you got it" for every check."""
    engine, clock = _imago_engine()
    _to(engine, clock, "empathize")
    clock.advance(2)
    engine.press(LEFT, "done")  # yes, that's what I feel
    lines = [words for _, words in timeline(engine.record())]
    confirms = [line for line in lines if line.startswith("Alex: ")]
    assert confirms == ["Alex: “you got it”", "Alex: “you got it all”", "Alex: “that makes sense”",
                        "Alex: “that's what I feel”"], confirms


async def test_the_panes_word_the_validation_check_for_each_of_you(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("imago-dialogue", "Alex", "Sam", rules=False, checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        engine = screen.engine
        assert engine.stage is Stage.FLOOR
        _to(engine, clock, "validate")
        screen.refresh_state()
        await pilot.pause()
        sender, receiver = text_of(screen, "#pane-left #role"), text_of(screen, "#pane-right #role")
        assert "Did they see how you make sense?" in sender and "Did I" not in sender
        assert "Does that make sense?" in receiver
        assert "Did they" not in text_of(screen, "#pane-right #phase")  # the phase line too: each their own words
        assert text_of(screen, "#banner") == "Turn ended — Sam asks “Does that make sense?” · Alex answers"
        nudge = text_of(screen, "#pane-left #nudge")
        assert "yes, that makes sense" in nudge and "got it" not in nudge
        assert "got it" not in text_of(screen, "#keys-left") and "f yes" in text_of(screen, "#keys-left")
        assert "got it" not in text_of(screen, "#pane-left #guidance")
        clock.advance(2)
        await pilot.press("d")  # not quite
        assert engine.state().step.added == "clarify"
        assert "It makes sense to me because" in text_of(screen, "#pane-left #guidance")
        assert "You make sense because" in text_of(screen, "#pane-right #guidance")
        assert engine.state().floor == LEFT and engine.state().side(RIGHT).activity == "listening"


async def test_help_does_not_say_you_got_it_for_every_check(tmp_path):
    from heartline.tui.screens.dialogs import HelpScreen

    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("imago-dialogue", "Alex", "Sam", rules=False, checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys_table = text_of(app.screen, "#help-keys")
        assert "you got it" not in keys_table and "yes" in keys_table


def test_a_checks_words_belong_to_a_check():
    import pytest

    from heartline.sessions.rituals import RitualError, parse_ritual

    base = {"id": "x", "name": "X", "summary": "x", "parts": [{"phases": [
        {"kind": "speak", "actor": "speaker"}, {"kind": "reflect", "actor": "listener", "confirm": True}]}]}
    ok = parse_ritual(base, "x.toml")
    assert ok.parts[0].phases[1].yes == ""  # the generic words then: "you got it"
    assert plan(ok, Settings.from_ritual(ok))[2].phase.yes == "you got it"
    for key, value in (("ask", "Did I get it?"), ("yes", "yes"), ("clarify_speaker", ["Again."])):
        bad = {**base, "parts": [{"phases": [{"kind": "speak", "actor": "speaker", key: value}]}]}
        with pytest.raises(RitualError, match="needs confirm = true"):
            parse_ritual(bad, "x.toml")
    more = {**base, "parts": [{"phases": [{"kind": "r", "actor": "listener", "confirm": True, "more_speaker": ["x"]}]}]}
    with pytest.raises(RitualError, match="needs more = true"):
        parse_ritual(more, "x.toml")


def test_a_ritual_carried_whole_keeps_its_check_words():
    """A session apart sends the ritual whole (every field, empty ones too) and reads it back strictly."""
    import dataclasses
    import json

    from heartline.sessions.rituals import parse_ritual

    data = json.loads(json.dumps({k: v for k, v in dataclasses.asdict(IMAGO).items() if k != "source"}))
    again = parse_ritual(data, "the ritual from the other heartline")
    assert again.parts == IMAGO.parts


async def test_a_not_quite_names_what_the_speaker_does_now_in_the_banner_and_the_pane(tmp_path):
    """Seen in a couple's trial: after a "not quite" on the summary, validation or empathy the banner said
    "… says again what matters most" and the pane "Saying it again", while the pane asked for a piece to add,
    what makes sense, or the feeling. Each check now says its own; the mirror keeps the generic words."""
    expected = {
        "mirror": ("Alex says again what matters most — two tries is normal", "Saying it again"),
        "summary": ("Alex is adding the piece that matters — two tries is normal", "Adding the piece that matters"),
        "validate": ("Alex is saying what makes sense of it — two tries is normal", "Saying what makes sense of it"),
        "empathize": ("Alex is naming the feeling — two tries is normal", "Naming the feeling"),
    }
    for kind, (banner, role) in expected.items():
        clock = ManualClock()
        app = make_app(tmp_path, clock, SessionPlan("imago-dialogue", "Alex", "Sam", rules=False, checkin=False))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            _to(screen.engine, clock, kind)
            screen.refresh_state()
            await pilot.pause()
            clock.advance(2)
            await pilot.press("d")  # not quite
            assert screen.engine.state().step.added == "clarify"
            assert text_of(screen, "#banner") == banner, kind
            assert role in text_of(screen, "#pane-left #role"), kind
            assert text_of(screen, "#pane-right #phase").startswith("Say it again" if kind == "mirror" else role), kind
            assert screen.size.width == 80 and len(banner) <= 78

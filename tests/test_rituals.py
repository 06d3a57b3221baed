"""The ritual files: the built-ins load clean, user files add or replace, broken files are named."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from heartline.sessions.engine import ritual_estimate
from heartline.sessions.rituals import BUILTIN_ORDER, RitualError, load_ritual_file, load_rituals

BUILTIN_DIR = Path(str(resources.files("heartline.sessions.rituals")))

GOOD = '''
id = "{id}"
name = "{name}"
summary = "A user's own ritual."
description = """What it is for,
and how long it takes."""
rounds = 1
speak_seconds = 30
reflect_seconds = 20

[[parts]]
title = "Only part"

[[parts.phases]]
kind = "speak"
actor = "speaker"
length = "speak"
speaker = ["Say it."]
listener = ["Hear it."]
'''


def good(rid: str = "my-ritual", name: str = "Mine") -> str:
    return GOOD.format(id=rid, name=name)


def kinds(ritual) -> list[list[str]]:
    return [[ph.kind for ph in part.phases] for part in ritual.parts]


def phases(ritual):
    return [ph for part in ritual.parts for ph in part.phases]


# ----- the built-ins ---------------------------------------------------------


def test_all_nine_builtins_load_without_errors_in_order():
    rs = load_rituals()
    assert rs.errors == []
    assert list(rs.rituals) == list(BUILTIN_ORDER)
    assert len(BUILTIN_ORDER) == 9
    assert BUILTIN_ORDER[-3:] == ("aftermath-of-a-fight", "dreams-within-conflict", "problem-solving")
    for r in rs:
        assert Path(r.source).parent == BUILTIN_DIR
        assert r.name and r.summary


def test_every_builtin_file_is_shipped_and_named_after_its_id():
    files = sorted(p.stem for p in BUILTIN_DIR.glob("*.toml"))
    assert files == sorted(BUILTIN_ORDER)
    for rid in BUILTIN_ORDER:
        assert load_ritual_file(BUILTIN_DIR / f"{rid}.toml").id == rid


def test_speaker_listener_is_a_floor_loop():
    r = load_rituals().get("speaker-listener")
    speak, reflect = phases(r)
    assert (speak.actor, speak.i_statement, speak.more) == ("speaker", True, False)
    assert isinstance(speak.length, int) and speak.length < r.speak_seconds  # a short chunk of the floor time
    assert (reflect.actor, reflect.confirm, reflect.more) == ("listener", True, True)


def test_imago_dialogue_shape():
    r = load_rituals().get("imago-dialogue")
    assert r.rounds == 1
    assert kinds(r) == [["send", "mirror", "summary", "validate", "empathize", "requests", "gift", "thanks"]]
    send, mirror, summary, validate, empathize, requests, gift, thanks = phases(r)
    assert (requests.actor, requests.collect, gift.actor, gift.choose, thanks.actor) == (
        "speaker", "request", "listener", True, "speaker")
    assert (send.actor, send.confirm, send.i_statement) == ("speaker", False, True)
    assert (mirror.actor, mirror.length, mirror.confirm, mirror.more) == ("listener", "reflect", True, True)
    assert all(ph.actor == "listener" and ph.confirm and not ph.more for ph in (summary, validate, empathize))
    assert (summary.check, summary.ask) == ("Did they get it all?", "Did I get it all?")  # the sender's; the receiver's
    assert (validate.check, validate.ask) == ("Did they see how you make sense?", "Does that make sense?")
    assert (empathize.check, empathize.ask) == ("Did they name what you feel?", "Is that what you're feeling?")
    assert any("You make sense because" in line for line in validate.listener)
    assert any("I imagine you feel" in line for line in empathize.listener)


def test_stress_reducing_shape():
    r = load_rituals().get("stress-reducing")
    assert r.rounds == 1
    assert r.speak_seconds == 600
    vent, support, affection = phases(r)
    assert vent.kind == "speak"
    assert (vent.actor, vent.length, vent.i_statement) == ("speaker", "speak", False)
    assert not any("I feel" in line for line in vent.speaker)  # venting, not the I-statement formula
    assert support.actor == "listener"
    assert (affection.kind, affection.actor, r.parts[-1].once) == ("affection", "both", True)
    text = " ".join(r.ground_rules + vent.listener).lower()
    assert "advice" in text and "side" in text
    assert "outside" in (r.description + " ".join(vent.speaker)).lower()


def test_appreciation_round_shape():
    r = load_rituals().get("appreciation-round")
    assert r.rounds == 2
    assert r.speak_seconds <= 60
    assert kinds(r) == [["appreciate"]]
    ph = phases(r)[0]
    assert (ph.actor, ph.collect) == ("speaker", "appreciation")


def test_temperature_reading_shape():
    r = load_rituals().get("temperature-reading")
    assert r.name == "Daily temperature reading"
    assert r.rounds == 1
    assert len(r.parts) == 5
    assert kinds(r)[2] == ["puzzles", "puzzle-answer"]  # a puzzle gets a short answer
    answer = r.parts[2].phases[1]
    assert (answer.actor, answer.skippable) == ("listener", True)
    complaint = r.parts[3].phases[0]
    assert complaint.skippable and complaint.actor == "speaker"
    assert r.parts[0].phases[0].collect == "appreciation"
    titles = " ".join(p.title.lower() for p in r.parts)
    for word in ("appreciation", "new information", "puzzle", "complaint", "wish"):
        assert word in titles


def test_state_of_the_union_shape():
    r = load_rituals().get("state-of-the-union")
    assert r.rounds == 1
    assert kinds(r) == [["appreciate"], ["went-well"], ["choose-issue"], ["speak", "reflect", "validate"],
                        ["core-needs", "flexible-areas", "compromise"], ["ask-loved", "answer-loved", "offer-loved"]]
    assert r.parts[0].phases[0].collect == "appreciation"
    assert any("Five" in line or "five" in line for line in (r.parts[0].phases[0].title, *r.parts[0].phases[0].speaker))
    choose, compromise = r.parts[2], r.parts[4]
    assert choose.once and compromise.once and choose.phases[0].actor == compromise.phases[0].actor == "both"
    reflect, validate = r.parts[3].phases[1:]
    assert reflect.confirm and reflect.more and validate.confirm
    ask, answer, offer = r.parts[5].phases
    assert (ask.actor, answer.actor, offer.actor, offer.collect) == ("listener", "speaker", "listener", "commitment")
    assert any("feel loved this week" in line for line in ask.listener)


def test_aftermath_of_a_fight_shape():
    """Gottman's aftermath of a regrettable incident: each step both ways, both versions real, calm first."""
    r = load_rituals().get("aftermath-of-a-fight")
    assert r.calm_first and r.rounds == 1
    assert kinds(r) == [["feelings"], ["version", "summarize", "validate"], ["triggers"], ["own-part"], ["next-time"]]
    assert not any(part.once for part in r.parts)  # every step taken both ways
    feelings = r.parts[0].phases[0]
    assert feelings.actor == "speaker" and sum(line.count("·") for line in feelings.speaker) >= 9  # from a list
    version, summarize, validate = r.parts[1].phases
    assert version.actor == "speaker" and summarize.actor == validate.actor == "listener"
    assert summarize.confirm and summarize.more and validate.confirm
    assert "both versions are real" in " ".join((*r.ground_rules, *version.speaker, *validate.listener)).lower()
    assert r.parts[4].phases[0].collect == "commitment"
    assert any("my part" in line.lower() for line in r.parts[3].phases[0].speaker)


def test_calm_first_must_be_true_or_false(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(good().replace("rounds = 1", "rounds = 1\ncalm_first = \"yes\""), "utf-8")
    with pytest.raises(RitualError) as info:
        load_ritual_file(path)
    assert info.value.field == "calm_first"


def test_dreams_within_conflict_shape():
    r = load_rituals().get("dreams-within-conflict")
    assert not r.calm_first
    assert kinds(r) == [["dream", "reflect", "honour"], ["understood"]]
    dream, reflect, honour = r.parts[0].phases
    assert not r.parts[0].once and r.parts[1].once  # the dream asked both ways, then a moment together
    assert reflect.confirm and reflect.more and honour.actor == "listener"
    assert sum("?" in line for line in dream.listener) >= 3  # the listener asks about the dream
    assert "no solving" in " ".join(r.ground_rules).lower()
    assert not any(ph.collect == "commitment" for ph in phases(r))  # nothing to agree or solve


def test_problem_solving_shape():
    r = load_rituals().get("problem-solving")
    assert kinds(r) == [["agenda"], ["brainstorm"], ["agreement"], ["trial"]]
    assert all(part.once and part.phases[0].actor == "both" for part in r.parts)
    brainstorm, agreement, trial = (r.parts[i].phases[0] for i in (1, 2, 3))
    assert "judging" in " ".join(brainstorm.speaker)
    assert agreement.collect == trial.collect == "commitment"
    assert "look back" in " ".join(trial.speaker)


@pytest.mark.parametrize("rid", BUILTIN_ORDER)
def test_builtin_guidance_and_description(rid):
    r = load_rituals().get(rid)
    assert len(r.description.strip().splitlines()) == 2
    for ph in phases(r):
        for role in ("speaker", "listener"):
            lines = ph.guidance(role)
            assert 2 <= len(lines) <= 4, (rid, ph.kind, role)
            assert all(line.strip() for line in lines)
            if rid != "speaker-listener":  # the older file has one long feelings line
                assert all(len(line) <= 50 for line in lines), (rid, ph.kind, role)


@pytest.mark.parametrize("rid", BUILTIN_ORDER)
def test_speak_phases_offer_an_i_statement_and_feelings(rid):
    r = load_rituals().get(rid)
    speak = [ph for ph in phases(r) if ph.i_statement]
    for ph in speak:
        text = " ".join(ph.speaker)
        assert "I feel" in text or "I appreciate" in text, (rid, ph.kind)
        assert "·" in text, (rid, ph.kind)  # a short list of feeling words


def test_builtin_toml_has_no_unknown_keys():
    top = {"id", "name", "summary", "description", "rounds", "speak_seconds", "reflect_seconds",
           "confirm_seconds", "clarify_seconds", "grace_seconds", "ground_rules", "parts", "calm_first", "good_time",
           "speaker_keeps_floor"}
    part_keys = {"title", "phases", "once"}
    phase_keys = {"kind", "title", "actor", "length", "confirm", "collect", "speaker", "listener", "more", "check",
                  "skippable", "fixed", "i_statement", "not_solvable", "conversation", "park", "ask", "yes",
                  "not_quite", "clarify", "check_speaker", "check_listener", "clarify_speaker", "clarify_listener",
                  "more_speaker", "more_listener", "answers", "choose"}
    for rid in BUILTIN_ORDER:
        data = tomllib.loads((BUILTIN_DIR / f"{rid}.toml").read_text("utf-8"))
        assert set(data) <= top, rid
        for part in data["parts"]:
            assert set(part) <= part_keys, rid
            for ph in part["phases"]:
                assert set(ph) <= phase_keys, (rid, ph)


# ----- estimates ---------------------------------------------------------------


def test_estimate_seconds_is_sane():
    rs = load_rituals()
    for r in rs:
        est = ritual_estimate(r)
        assert 60 <= est <= 60 * 60, (r.id, est)
    sl = rs.get("speaker-listener")
    # each speaker: 120 s of floor in 40 s chunks = 3 chunks, each reflected (45) and checked (20),
    # and "Is there more?" (20) after each: after the last, "pass the floor, or a minute more?";
    # x 2 partners x 2 rounds
    assert ritual_estimate(sl) == (120 + 3 * (45 + 20) + 3 * 20) * 2 * 2
    # typed 60 s: chunks of 20 s, still 3 of them
    assert ritual_estimate(sl, speak=60, reflect=30, rounds=1) == (60 + 3 * (30 + 20) + 3 * 20) * 2
    assert ritual_estimate(rs.get("appreciation-round")) == 45 * 2 * 2
    assert ritual_estimate(rs.get("stress-reducing")) >= 2 * 600
    temp = rs.get("temperature-reading")
    assert ritual_estimate(temp, speak=8, reflect=3) < ritual_estimate(temp) / 5  # typed lengths count
    assert ritual_estimate(rs.get("imago-dialogue"), rounds=2) == 2 * ritual_estimate(rs.get("imago-dialogue"))


# ----- user rituals ------------------------------------------------------------


def test_user_ritual_loads_after_builtins(tmp_path):
    (tmp_path / "mine.toml").write_text(good("aaa-first"), "utf-8")
    rs = load_rituals(tmp_path)
    assert rs.errors == []
    assert list(rs.rituals)[: len(BUILTIN_ORDER)] == list(BUILTIN_ORDER)
    mine = rs.get("aaa-first")
    assert mine.name == "Mine" and mine.source == str(tmp_path / "mine.toml")
    assert list(rs.rituals)[-1] == "aaa-first"
    assert mine.speak_seconds == 30 and mine.grace_seconds == 15 and mine.confirm_seconds == 30


def test_user_ritual_replaces_builtin_by_id(tmp_path):
    (tmp_path / "any-name.toml").write_text(good("imago-dialogue", "Our imago"), "utf-8")
    rs = load_rituals(tmp_path)
    assert rs.errors == []
    r = rs.get("imago-dialogue")
    assert r.name == "Our imago"
    assert r.source == str(tmp_path / "any-name.toml")
    assert list(rs.rituals) == list(BUILTIN_ORDER)  # keeps its place
    assert len(rs.rituals) == len(BUILTIN_ORDER)


def test_missing_user_dir_is_fine(tmp_path):
    rs = load_rituals(tmp_path / "not-there")
    assert rs.errors == [] and len(rs.rituals) == len(BUILTIN_ORDER)


def test_utf8_bom_is_accepted(tmp_path):
    (tmp_path / "bom.toml").write_bytes(b"\xef\xbb\xbf" + good("with-bom").encode("utf-8"))
    rs = load_rituals(tmp_path)
    assert rs.errors == [] and rs.get("with-bom") is not None



MALFORMED = {
    # name: (file contents, words the error must contain besides the file name)
    "not-toml": (b"this is = = not toml [", ("not valid TOML",)),
    "binary": (bytes(range(256)) * 4, ("not UTF-8",)),
    "binary-utf8": (b"\x00\x01\x02\x03\x7f", ("not valid TOML",)),
    "missing-id": (good().replace('id = "my-ritual"\n', "").encode(), ("id", "missing")),
    "bad-id": (good("My Ritual").encode(), ("id", "lowercase")),
    "id-trailing-newline": (good().replace('"my-ritual"', '"my-ritual\\n"').encode(), ("id", "lowercase")),
    "rounds-wrong-type": (good().replace("rounds = 1", 'rounds = "two"').encode(), ("rounds", "whole number")),
    "rounds-out-of-range": (good().replace("rounds = 1", "rounds = 0").encode(), ("rounds", "between")),
    "bad-actor": (good().replace('actor = "speaker"', 'actor = "everyone"').encode(), ("parts[1].phases[1].actor",)),
    "more-without-confirm": (good().replace('length = "speak"', 'length = "speak"\nmore = true').encode(),
                             ("parts[1].phases[1].more", "confirm")),
    "confirm-by-speaker": (good().replace('length = "speak"', 'length = "speak"\nconfirm = true').encode(),
                           ("parts[1].phases[1].confirm", "listener")),
    "once-not-bool": (good().replace('[[parts.phases]]', 'once = 1\n\n[[parts.phases]]').encode(), ("parts[1].once",)),
    "bad-length": (good().replace('length = "speak"', 'length = "forever"').encode(), ("parts[1].phases[1].length",)),
    "bad-collect": (good().replace('length = "speak"', 'length = "speak"\ncollect = "hugs"').encode(),
                    ("parts[1].phases[1].collect",)),
    "confirm-not-bool": (good().replace('length = "speak"', 'length = "speak"\nconfirm = "yes"').encode(),
                         ("parts[1].phases[1].confirm",)),
    "phases-missing": (good().split("[[parts.phases]]")[0].encode(), ("parts[1].phases",)),
    "parts-missing": (good().split("[[parts]]")[0].encode(), ("parts",)),
    "guidance-not-list": (good().replace('speaker = ["Say it."]', 'speaker = "Say it."').encode(),
                          ("parts[1].phases[1].speaker",)),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_user_file_is_named_and_builtins_still_load(tmp_path, case):
    content, words = MALFORMED[case]
    path = tmp_path / f"{case}.toml"
    path.write_bytes(content)
    (tmp_path / "fine.toml").write_text(good("still-fine"), "utf-8")
    rs = load_rituals(tmp_path)
    assert len(rs.errors) == 1, [str(e) for e in rs.errors]
    err = rs.errors[0]
    assert isinstance(err, RitualError)
    msg = str(err)
    assert msg.startswith(str(path) + ":")
    for word in words:
        assert word in msg, (word, msg)
    assert err.source == str(path)
    assert all(rid in rs.rituals for rid in BUILTIN_ORDER)
    assert rs.get("still-fine") is not None


def test_error_field_attribute_names_the_field(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(good().replace("rounds = 1", "rounds = 2.5"), "utf-8")
    with pytest.raises(RitualError) as info:
        load_ritual_file(path)
    assert info.value.field == "rounds"
    assert "float" in info.value.problem


def test_several_broken_files_each_reported(tmp_path):
    (tmp_path / "a.toml").write_text("nope nope", "utf-8")
    (tmp_path / "b.toml").write_text(good().replace('actor = "speaker"', 'actor = "nobody"'), "utf-8")
    (tmp_path / "c.toml").write_text(good("c-ok"), "utf-8")
    rs = load_rituals(tmp_path)
    assert [Path(e.source).name for e in rs.errors] == ["a.toml", "b.toml"]
    assert rs.get("c-ok") is not None and len(rs.rituals) == len(BUILTIN_ORDER) + 1


def test_unreadable_entry_is_reported_not_raised(tmp_path):
    (tmp_path / "folder.toml").mkdir()
    rs = load_rituals(tmp_path)
    assert len(rs.errors) == 1
    assert str(rs.errors[0]).startswith(str(tmp_path / "folder.toml"))
    assert "cannot be read" in str(rs.errors[0])
    assert len(rs.rituals) == len(BUILTIN_ORDER)


def test_every_ritual_lets_either_say_not_now_and_keeps_nothing_against_each_other():
    """Issue 16: the ground rules gain "not now" and "nothing used against each other later", in every ritual."""
    for ritual in load_rituals():
        assert "Either of us can say not now." in ritual.ground_rules, ritual.id
        assert "Nothing said here is used against each other later." in ritual.ground_rules, ritual.id


def test_a_couples_own_ritual_with_its_own_rules_still_says_not_now(tmp_path):
    """A ritual file of the couple's own with `ground_rules = ["Be kind."]` lost the two lines of Care."""
    (tmp_path / "our-own.toml").write_text(good("our-own").replace("rounds = 1", 'ground_rules = ["Be kind."]\nrounds = 1'),
                                           "utf-8")
    ours = {r.id: r for r in load_rituals(tmp_path)}["our-own"]
    assert ours.ground_rules == ("Be kind.", "Either of us can say not now.",
                                 "Nothing said here is used against each other later.")


def test_ground_rules_fit_the_ritual():
    """Issue 17: the appreciation round and temperature reading showed "they reflect back" where nobody reflects."""
    rituals = {r.id: r for r in load_rituals()}
    for rid in ("appreciation-round", "temperature-reading"):
        phases = [p for part in rituals[rid].parts for p in part.phases]
        assert not any(p.confirm for p in phases)  # no reflecting back in this ritual...
        assert not any("reflect back" in rule for rule in rituals[rid].ground_rules), rid  # ...so no rule about it
    for rid in ("speaker-listener", "imago-dialogue"):
        assert any("reflect back" in rule for rule in rituals[rid].ground_rules), rid

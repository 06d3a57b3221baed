"""What is kept (issue 16): the conversation's shape, never a tally against one partner, never a note's author."""

from __future__ import annotations

import json

from heartline.sessions import keep, paths, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Settings
from heartline.sessions.rituals import load_rituals
from heartline.tui import cli
from heartline.tui.saving import SessionSaver

TALLIES = ("interruptions_blocked", "hands_raised", "reflection_retries", "reflections_confirmed_first_time",
           "interruption-blocked", "hand-raised")
RITUALS = load_rituals()


def full_session(data, clock: ManualClock) -> SessionSaver:
    """Blocked keys, a raised hand, a "not quite", overtime and a note, to the end; saved as heartline saves."""
    ritual = RITUALS.get("speaker-listener")
    engine = Engine(ritual, "Maya", "Jon", Settings.from_ritual(ritual, speak=20, reflect=10, rounds=1), clock,
                    rules=False, checkin=False, topic="the money")
    saver = SessionSaver.start(engine, data)
    clock.advance(2)
    for _ in range(3):
        engine.press(RIGHT, "done")  # blocked: Maya has the floor
        clock.advance(1)
    engine.press(RIGHT, "not-quite")  # a raised hand (while there is one)
    engine.add_note(RIGHT, "he is lying again about the money")
    clock.advance(25)  # past her floor time: overtime
    engine.tick()
    for _ in range(200):
        state = engine.state()
        if engine.stage.name == "ENDED":
            break
        step = state.step
        side = state.floor
        if step is not None and step.kind == "confirm" and not any(
                t["ended_by"] == "not-quite" for t in engine.turns):
            engine.press(side, "not-quite")  # "not quite": the listener tries again
        else:
            engine.press(side, "done")
        clock.advance(3)
    assert engine.stage.name == "ENDED"
    record = engine.record()  # what happened: blocked keys, overtime, a "not quite"
    assert [e["kind"] for e in record["events"]].count("interruption-blocked") == 3
    assert record["turns"][0]["overtime_seconds"] > 0 and any(t["ended_by"] == "not-quite" for t in record["turns"])
    assert saver.save() is not None
    return saver


def _run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_a_full_session_keeps_no_tally_and_no_author_anywhere(heartline_home, capsys, tmp_path):
    saver = full_session(heartline_home, ManualClock())
    saver.rekeep("words", topics=True, moods=True)  # the most that can be kept: the note's text, never its author
    sid = saver.engine.session_id
    text = saver.path.read_text(encoding="utf-8")
    assert "he is lying again about the money" in text
    assert "schema = 2" in text
    outputs = {
        "file": text,
        "history --json": _run(capsys, "history", "--json"),
        "export toml": _run(capsys, "export", sid, "--format", "toml"),
        "export md": _run(capsys, "export", sid, "--format", "md"),
        "show": _run(capsys, "show", sid),
        "trends --json": _run(capsys, "trends", "--json"),
        "index": (heartline_home / "index.json").read_text(encoding="utf-8"),
    }
    for where, out in outputs.items():
        for word in TALLIES:
            assert word not in out, (where, word)
        assert "Jon:" not in out and "Jon**" not in out and "Jon noted" not in out, where  # no note's author
    record = store.load_record(saver.path)
    assert "overtime_seconds" not in record["partners"][0] and "by" not in record["notes"][0]
    assert {p["side"] for p in json.loads(outputs["history --json"])[0]["partners"]} == {"left", "right"}


def test_a_schema_1_file_opens_with_its_counters_ignored(heartline_home, capsys):
    from tests.records import make_record

    old = make_record()
    old["partners"][1].update(hands_raised=4, reflection_retries=2)
    folder = paths.sessions_dir(heartline_home)
    folder.mkdir(parents=True, exist_ok=True)
    import tomli_w

    (folder / f"{old['id']}.toml").write_text(tomli_w.dumps(old), encoding="utf-8")
    loaded = store.load_record(folder / f"{old['id']}.toml")
    assert loaded["schema"] == 1 and "interruptions_blocked" not in loaded["partners"][0]
    assert [e["kind"] for e in loaded["events"]] == ["pause"] and "by" not in loaded["notes"][0]
    assert loaded["notes"][1]["by"] == "left"  # a commitment keeps its owner
    for argv in (("show", old["id"]), ("history", "--json"), ("export", old["id"], "--format", "toml")):
        out = _run(capsys, *argv)
        for word in TALLIES:
            assert word not in out, (argv, word)


def test_the_floor_time_is_read_from_the_turns():
    record = {"partners": [{"side": "left", "name": "A"}, {"side": "right", "name": "B"}],
              "turns": [{"by": "left", "phase": "speak", "actual_seconds": 30.0},
                        {"by": "right", "phase": "reflect", "actual_seconds": 10.0},
                        {"by": "left", "phase": "confirm", "actual_seconds": 4.0},
                        {"by": "right", "phase": "affection", "actual_seconds": 9.0, "together": True}]}
    assert keep.floor_seconds(record) == (30.0, 10.0)


# ----- the couple chooses what is kept ---------------------------------------

def _files_holding(folder, *words: str) -> list[str]:
    """Every file under `folder` whose name or bytes hold one of `words` (case-insensitive), as a grep would."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes().lower() + path.name.lower().encode()
            found += [f"{path.relative_to(folder)}: {w}" for w in words if w.lower().encode() in data]
    return found


def _checked_in_session(data, clock: ManualClock) -> SessionSaver:
    ritual = RITUALS.get("speaker-listener")
    engine = Engine(ritual, "Maya", "Jon", Settings.from_ritual(ritual, speak=6, reflect=3, rounds=1), clock,
                    rules=False, checkin=True, topic="the money")
    saver = SessionSaver.start(engine, data)
    engine.check_in(LEFT, 2, "scared")
    engine.check_in(RIGHT, 4)
    engine.set_i_statement(LEFT, "I feel scared when the bills come and I need us to look together")
    clock.advance(1)  # "ready" is read once the check-in has been shown a moment
    engine.press(LEFT, "done")
    engine.press(RIGHT, "done")
    clock.advance(2)
    engine.add_note(RIGHT, "the flights in May")
    engine.end_early()
    assert saver.save() is not None
    return saver


def test_shape_keeps_no_note_text_feeling_word_or_i_statement_and_words_keeps_them(heartline_home):
    saver = _checked_in_session(heartline_home, ManualClock())
    private = ("the flights in May", "scared", "the bills come")
    assert _files_holding(heartline_home, *private) == []  # the shape, by default
    record = store.load_record(saver.path)
    assert record["topic"] == "the money" and "mood_before" not in record["partners"][0]  # nobody said yes
    saver.rekeep("shape", moods=True)
    assert store.load_record(saver.path)["partners"][0]["mood_before"] == 2
    assert _files_holding(heartline_home, *private) == []
    saver.rekeep("words", moods=True, topics=False)
    assert _files_holding(heartline_home, *private) == [
        f"sessions/{saver.path.name}: scared", f"sessions/{saver.path.name}: the bills come"]
    saver.rekeep("words", moods=True, topics=True)
    assert len(_files_holding(heartline_home, *private)) == 3
    kept = store.load_record(saver.path)
    assert kept["notes"] == [{"kind": "topic-for-later", "text": "the flights in May",
                              "offset_seconds": kept["notes"][0]["offset_seconds"]}]  # without a name


def test_keep_nothing_leaves_no_file_holding_the_topic_or_the_names(heartline_home):
    from heartline.sessions import prefs

    prefs.save(heartline_home, prefs.Prefs(keep="nothing", left="Maya", right="Jon"))  # remembered at start
    clock = ManualClock()
    ritual = RITUALS.get("speaker-listener")
    engine = Engine(ritual, "Maya", "Jon", Settings.from_ritual(ritual, speak=6, reflect=3, rounds=1), clock,
                    rules=False, checkin=False, topic="the money")
    saver = SessionSaver.start(engine, heartline_home)
    saver.config_dir = heartline_home
    assert _files_holding(heartline_home / "sessions", "Maya", "the money")  # the journal, while it runs
    clock.advance(3)
    engine.add_note(RIGHT, "the flights in May")
    engine.end_early()
    assert saver.save() is None and saver.kept_nothing and saver.error == ""
    assert _files_holding(heartline_home, "Maya", "Jon", "the money", "flights") == []
    assert list((heartline_home / "sessions").iterdir()) == []  # no record, no journal, no name taken
    assert prefs.load(heartline_home).keep == "nothing"  # the setting itself stays
    saver.rekeep("shape")  # changed their minds before leaving the summary
    assert store.load_record(saver.path)["topic"] == "the money"
    saver.rekeep("nothing")
    assert _files_holding(heartline_home, "Maya", "Jon", "the money") == []


async def test_the_summary_asks_and_keep_nothing_is_gone_when_you_leave(heartline_home, tmp_path):
    from heartline.sessions.setup import SessionPlan
    from heartline.tui.screens.home import HomeScreen
    from heartline.tui.screens.summary import SummaryScreen
    from tests.apps import make_app, text_of

    clock = ManualClock()
    plan = SessionPlan("speaker-listener", "Maya", "Jon", speak=3, reflect=2, rounds=1, topic="the money",
                       checkin=False)
    app = make_app(tmp_path, clock, plan)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", "j")
        for _ in range(40):
            if isinstance(app.screen, SummaryScreen):
                break
            clock.advance(1)
            state = app.screen.engine.state()
            await pilot.press("f" if state.floor == "left" else "j")
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "▶ 1 The shape" in text_of(app.screen, "#keep")  # the setting, as the default
        await pilot.press("3")
        assert "▶ 3 Nothing" in text_of(app.screen, "#keep")
        assert "Nothing of this session is kept" in text_of(app.screen, "#saved")
        await pilot.press("enter")  # no "leave without saving?": nothing is what they chose
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert _files_holding(tmp_path / "data", "Maya", "Jon", "the money") == []


# ----- deleting is deleting -------------------------------------------------------

def test_delete_for_good_trash_and_doctor(heartline_home, capsys):
    from datetime import datetime

    from tests.records import CET, make_record

    one = make_record()
    two = make_record(id="20261203-200000-alex-sam", started_at=datetime(2026, 12, 3, 20, tzinfo=CET),
                      ended_at=datetime(2026, 12, 3, 20, 30, tzinfo=CET))
    for record in (one, two):
        store.save_record(record, heartline_home)
    exports = heartline_home / "exports"
    exports.mkdir(mode=0o700)
    for name in (f"{one['id']}.md", f"{one['id']}-2.toml", f"{two['id']}.svg"):
        (exports / name).write_text("x", encoding="utf-8")
    _run(capsys, "history")  # the index knows both

    out = _run(capsys, "delete", one["id"], "--for-good")
    assert out.startswith(f"deleted for good: {one['id']}") and "backups" in out and "disk-recovery" in out
    assert not (heartline_home / "sessions" / f"{one['id']}.toml").exists()
    assert one["id"] not in (heartline_home / "index.json").read_text(encoding="utf-8")
    assert sorted(p.name for p in exports.iterdir()) == [f"{two['id']}.svg"]
    assert one["id"] not in _run(capsys, "history")

    assert _run(capsys, "trash") == "the trash is empty\n"
    assert "ok: trash: empty" in capsys.readouterr().out + _doctor(capsys)
    out = _run(capsys, "delete", "20261203")
    assert out.startswith("moved to the trash: ") and "trash --empty" in out
    assert list(exports.iterdir()) == [] and two["id"] not in (heartline_home / "index.json").read_text()
    listed = _run(capsys, "trash")
    assert f"{two['id']}.toml" in listed and "1 in " in listed
    assert "note: trash: 1 file in" in _doctor(capsys)
    out = _run(capsys, "trash", "--empty")
    assert out.startswith("deleted for good: 1 file from the trash")
    assert list((heartline_home / "trash").iterdir()) == []
    assert "ok: trash: empty" in _doctor(capsys)
    assert _files_holding(heartline_home, "Alex", "holidays") == []


def _doctor(capsys) -> str:
    cli.main(["doctor"])
    return capsys.readouterr().out


def test_delete_mistakes_are_one_line(heartline_home, capsys):
    code = cli.main(["delete", "nope"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "no session 'nope'" in err

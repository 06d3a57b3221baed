"""The session record on disk: exact round trips, private files, clear errors."""

from __future__ import annotations

import os
import stat
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings as hsettings, strategies as st

from heartline.sessions import paths, store
from heartline.sessions.store import StoreError
from tests.records import CET, as_read, make_record


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def write_session(data: Path, name: str, content: bytes | str) -> Path:
    folder = paths.sessions_dir(data)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# ----- paths ----------------------------------------------------------------

def test_heartline_home_holds_data_and_config(heartline_home):
    assert paths.data_dir() == heartline_home
    assert paths.config_dir() == heartline_home
    assert paths.sessions_dir(paths.data_dir()) == heartline_home / "sessions"
    assert paths.rituals_dir(paths.config_dir()) == heartline_home / "rituals"
    assert paths.decks_dir(paths.config_dir()) == heartline_home / "decks"
    assert paths.settings_path(paths.config_dir()) == heartline_home / "settings.toml"
    assert not heartline_home.exists()  # nothing is created by asking


def test_without_heartline_home_platform_folders_are_used(monkeypatch):
    monkeypatch.delenv("HEARTLINE_HOME")
    assert paths.data_dir().name == "heartline"
    assert paths.config_dir().name == "heartline"


def test_ensure_private_dir_creates_0700_and_tightens_existing(tmp_path):
    made = paths.ensure_private_dir(tmp_path / "a" / "b")
    assert mode(made) == 0o700 and mode(tmp_path / "a") == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    os.chmod(loose, 0o755)
    paths.ensure_private_dir(loose)
    assert mode(loose) == 0o700


# ----- ids ------------------------------------------------------------------

def test_session_id_is_date_time_and_name_slugs():
    when = datetime(2026, 11, 26, 19, 5, 12, tzinfo=CET)
    assert store.make_session_id(when, "Alex", "Sam") == "20261126-190512-alex-sam"
    assert store.make_session_id(when, "José María", "Zoë") == "20261126-190512-jose-maria-zoe"
    assert store.make_session_id(when, "💕", "סם") == "20261126-190512-left-right"
    assert store.make_session_id(when, "../../etc", "a/b") == "20261126-190512-etc-a-b"


def test_session_id_is_made_unique():
    when = datetime(2026, 11, 26, 19, 5, 12, tzinfo=CET)
    taken = {"20261126-190512-alex-sam", "20261126-190512-alex-sam-2"}
    assert store.make_session_id(when, "Alex", "Sam", taken) == "20261126-190512-alex-sam-3"


# ----- round trips ----------------------------------------------------------

def test_save_then_load_gives_the_same_record(heartline_home, sample_record):
    path = store.save_record(sample_record, heartline_home)
    assert path == heartline_home / "sessions" / "20261126-190512-alex-sam.toml"
    assert store.load_record(path) == as_read(sample_record)
    assert "schema = 1" in path.read_text(encoding="utf-8")


def test_files_are_private(heartline_home, sample_record):
    path = store.save_record(sample_record, heartline_home)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    os.chmod(path.parent, 0o755)
    store.save_record(sample_record, heartline_home)
    assert mode(path.parent) == 0o700


def test_extra_keys_round_trip_unchanged(heartline_home):
    record = make_record(topic_deck="dreams", ground_rules_agreed=True, future={"nested": [1, 2], "x": "y"})
    record["settings"]["confirm_seconds"] = 30
    record["partners"][0].update(hands_raised=2, reflection_retries=1, feeling_before="calm", i_statement="I feel…")
    record["notes"][1].update(status="kept", offset_seconds=12.5)
    record["turns"][0]["extra"] = "kept"
    assert store.load_record(store.save_record(record, heartline_home)) == as_read(record)


def test_empty_turns_events_notes(heartline_home):
    record = make_record(turns=[], events=[], notes=[])
    assert store.load_record(store.save_record(record, heartline_home)) == as_read(record)
    text = store.dumps_record(record)
    for key in ("turns", "events", "notes"):
        text = "\n".join(line for line in text.splitlines() if not line.startswith(f"{key} ="))
    path = write_session(heartline_home, "no-lists.toml", text)
    loaded = store.load_record(path)
    assert loaded["turns"] == loaded["events"] == loaded["notes"] == []


def test_whole_seconds_load_as_floats(heartline_home):
    text = store.dumps_record(make_record()).replace("duration_seconds = 1588.2", "duration_seconds = 1588")
    loaded = store.load_record(write_session(heartline_home, "ints.toml", text))
    assert loaded["duration_seconds"] == 1588.0 and isinstance(loaded["duration_seconds"], float)


def test_save_does_not_change_the_callers_record(heartline_home):
    record = make_record(duration_seconds=10)
    del record["events"]
    store.save_record(record, heartline_home)
    assert record["duration_seconds"] == 10 and isinstance(record["duration_seconds"], int)
    assert "events" not in record


def test_engine_record_saves_and_loads(heartline_home):
    from heartline.sessions.clock import ManualClock
    from heartline.sessions.engine import Engine, Settings
    from heartline.sessions.rituals import load_rituals

    ritual = load_rituals().get("speaker-listener")
    clock = ManualClock()
    sid = store.make_session_id(clock.now(), "Alex", "Sam")
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual), clock, rules=False, checkin=False,
                    session_id=sid)
    clock.advance(30)
    engine.add_note("left", "ask about \"the\" flights ✈️")
    clock.advance(30)
    engine.end_early()
    record = engine.record()
    loaded = store.load_record(store.save_record(record, heartline_home))
    assert loaded["id"] == sid and loaded["status"] == "ended-early"
    assert loaded["notes"][0]["text"] == "ask about \"the\" flights ✈️"
    assert loaded == store.validate(record)


TEXT = st.characters(exclude_categories=("Cs",))  # TOML cannot hold lone surrogates
NAMES = st.text(TEXT, min_size=1, max_size=60).filter(str.strip)
LONG = st.text(TEXT, max_size=10_000)
NOTE = st.fixed_dictionaries({
    "by": st.sampled_from(["left", "right", "both"]),
    "kind": st.sampled_from(["parking-lot", "appreciation", "commitment"]),
    "text": st.one_of(LONG, st.sampled_from(['"quoted"', "'single'", 'a\\b', "line\nline\r\n", "\x00\x1b[31m\x7f",
                                             "🫶🏽‍❤️", "\u2028\u202e", '"""', "'''"])),
})


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(left=NAMES, right=NAMES, topic=LONG, notes=st.lists(NOTE, max_size=4),
       micro=st.integers(0, 999_999), offset=st.integers(-14 * 60, 14 * 60))
@example(left="\x00", right=" \u202eמשה ", topic="".join(map(chr, range(0x80))) * 78 + "é" * 16,
         notes=[{"by": "left", "kind": "parking-lot", "text": "\U0010ffff\ufeff" * 5000}], micro=0, offset=0)
def test_any_unicode_survives_save_and_load(left, right, topic, notes, micro, offset):
    tz = timezone(timedelta(minutes=offset))
    started = datetime(2026, 1, 2, 3, 4, 5, micro, tzinfo=tz)
    record = make_record(topic=topic, notes=notes, started_at=started, ended_at=started + timedelta(minutes=5))
    record["partners"][0]["name"] = left
    record["partners"][1]["name"] = right
    with tempfile.TemporaryDirectory() as tmp:
        loaded = store.load_record(store.save_record(record, Path(tmp)))
    assert loaded == as_read(record)
    assert loaded["started_at"].utcoffset() == started.utcoffset()


# ----- atomic and refusing --------------------------------------------------

def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".toml") or p.name.startswith("."))


def test_save_leaves_no_temporary_files(heartline_home, sample_record):
    path = store.save_record(sample_record, heartline_home)
    store.save_record(sample_record, heartline_home)
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_failed_replace_keeps_the_old_file_and_cleans_up(heartline_home, sample_record, monkeypatch):
    path = store.save_record(sample_record, heartline_home)
    before = path.read_bytes()

    def broken(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "replace", broken)
    with pytest.raises(OSError):
        store.save_record(make_record(topic="changed"), heartline_home)
    assert path.read_bytes() == before
    assert leftovers(path.parent) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r.update(status="paused"), "status must be one of"),
        (lambda r: r.update(id="../evil"), "id must be"),
        (lambda r: r["partners"][0].update(name="  "), "partners[1].name is empty"),
        (lambda r: r["partners"].pop(), "exactly two"),
        (lambda r: r.update(started_at=datetime(2026, 1, 1)), "time zone"),
        (lambda r: r.update(topic=object()), "topic must be text"),
        (lambda r: r.update(future=object()), "cannot be written as TOML"),
    ],
)
def test_save_refuses_an_invalid_record(heartline_home, change, problem):
    record = make_record()
    change(record)
    with pytest.raises(StoreError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        store.save_record(record, heartline_home)
    folder = paths.sessions_dir(heartline_home)
    assert not folder.exists() or list(folder.iterdir()) == []


# ----- damaged files --------------------------------------------------------

GOOD = store.dumps_record(make_record())


def _swap(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


DAMAGED = {
    "empty": (b"", "is empty"),
    "blank": (b"\n  \n", "is empty"),
    "binary": (bytes(range(256)) * 4, "not UTF-8"),
    "nul": (b"schema = 1\x00\x00", "NUL"),
    "truncated": (GOOD.encode()[: GOOD.index('name = "Sam"') + 10], ""),  # cut inside a name
    "syntax": (GOOD.replace("schema = 1", "schema = = 1"), "not valid TOML"),
    "not-heartline": ("title = 'a different app'\n", "no schema"),
    "future": (GOOD.replace("schema = 1", "schema = 3"), "was written by a newer heartline (schema 3); update heartline to read it"),
    "no-status": (_swap('status = "completed"\n', ""), "status is missing"),
    "status-type": (_swap('status = "completed"', "status = 3"), "status must be text"),
    "name-type": (_swap('name = "Alex"', "name = 7"), "partners[1].name must be text"),
    "mood-range": (_swap("mood_before = 3", "mood_before = 9"), "mood_before must be between 1 and 5"),
    "bool-int": (_swap("rounds = 2", "rounds = true"), "settings.rounds must be a whole number"),
    "naive-time": (_swap("2026-11-26 19:05:12+01:00", "2026-11-26T19:05:12"), "started_at must include a time zone"),
    "string-time": (_swap("2026-11-26 19:05:12+01:00", '"yesterday"'), "started_at must be a date-time"),
    "sides-swapped": (_swap('side = "left"', 'side = "right"'), "partners[1].side must be 'left'"),
    "turn-by": (_swap('by = "left"', 'by = "middle"'), "turns[1].by must be one of"),
    "negative": (_swap("duration_seconds = 1588.2", "duration_seconds = -1.0"), "duration_seconds must be"),
    "nan": (_swap("duration_seconds = 1588.2", "duration_seconds = nan"), "duration_seconds must be"),
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_damaged_file_gives_an_error_naming_the_file(heartline_home, name):
    content, problem = DAMAGED[name]
    path = write_session(heartline_home, f"{name}.toml", content)
    with pytest.raises(StoreError) as info:
        store.load_record(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message.strip() or name in ("syntax", "truncated")


def test_list_sessions_newest_first_and_damaged_files_reported(heartline_home):
    older = make_record(id="20261120-100000-alex-sam",
                        started_at=datetime(2026, 11, 20, 10, tzinfo=CET), ended_at=datetime(2026, 11, 20, 11, tzinfo=CET))
    newest = make_record(id="20261201-090000-alex-sam",
                         started_at=datetime(2026, 12, 1, 8, tzinfo=timezone.utc),
                         ended_at=datetime(2026, 12, 1, 9, tzinfo=timezone.utc))
    for rec in (older, make_record(), newest):
        store.save_record(rec, heartline_home)
    for name in ("empty", "future", "binary"):
        write_session(heartline_home, f"{name}.toml", DAMAGED[name][0])
    write_session(heartline_home, ".in-progress.tmp", b"half")
    records, errors = store.list_sessions(heartline_home)
    assert [r["id"] for r in records] == [newest["id"], "20261126-190512-alex-sam", older["id"]]
    assert sorted(Path(e.source).name for e in errors) == ["binary.toml", "empty.toml", "future.toml"]


def test_list_sessions_with_no_folder(heartline_home):
    assert store.list_sessions(heartline_home) == ([], [])


# ----- finding and updating -------------------------------------------------

def test_find_session_exact_prefix_unknown_ambiguous(heartline_home):
    for sid in ("20261126-190512-alex-sam", "20261126-190512-alex-sam-2", "20261201-090000-alex-sam"):
        store.save_record(make_record(id=sid), heartline_home)
    folder = paths.sessions_dir(heartline_home)
    assert store.find_session(heartline_home, "20261126-190512-alex-sam") == folder / "20261126-190512-alex-sam.toml"
    assert store.find_session(heartline_home, "202612") == folder / "20261201-090000-alex-sam.toml"
    with pytest.raises(StoreError, match="matches 2 sessions"):
        store.find_session(heartline_home, "20261126")
    with pytest.raises(StoreError, match="no session 'nope'"):
        store.find_session(heartline_home, "nope")
    with pytest.raises(StoreError):
        store.find_session(heartline_home, "")


def test_update_note_status_marks_a_commitment_kept(heartline_home, sample_record):
    path = store.save_record(sample_record, heartline_home)
    store.update_note_status(heartline_home, "20261126", 1, "kept")
    loaded = store.load_record(path)
    assert loaded["notes"][1]["status"] == "kept"
    assert loaded["notes"][0] == as_read(sample_record)["notes"][0]
    assert mode(path) == 0o600 and leftovers(path.parent) == []
    with pytest.raises(StoreError, match="no note number 5"):
        store.update_note_status(heartline_home, "20261126", 5, "kept")
    with pytest.raises(StoreError, match="status"):
        store.update_note_status(heartline_home, "20261126", 1, "done")


def test_the_quick_check_of_turns_and_events_gives_the_long_checks_verdict(monkeypatch):
    """Every odd value in a turn or an event: the same record, or the same words, with and without the shortcut."""
    import copy as copying
    import math as m

    from heartline.sessions import validate as st
    from tests.records import make_record as rec

    base = rec()
    assert base["turns"] and base["events"]
    odd = [None, True, False, 0, 1, -1, 2.5, -0.5, m.nan, m.inf, "", " ", "left", "both", "x", [], 3]

    def verdict(record, quick):
        if not quick:
            monkeypatch.setattr(st, "_plain_turn", lambda t: False)
            monkeypatch.setattr(st, "_plain_event", lambda e: False)
        try:
            out = ("ok", st.validate(copying.deepcopy(record)))
        except st.StoreError as exc:
            out = ("bad", str(exc))
        monkeypatch.undo()
        return out

    checked = 0
    for table in ("turns", "events"):
        for key in list(base[table][0]) + ["missing-key"]:
            for value in odd + ["drop"]:
                record = copying.deepcopy(base)
                if value == "drop":
                    record[table][0].pop(key, None)
                else:
                    record[table][0][key] = value
                quick, slow = verdict(record, True), verdict(record, False)
                assert repr(quick) == repr(slow), (table, key, value)  # repr: NaN is never == itself
                checked += 1
    assert checked > 200

"""Trends: the figures `heartline trends --json` gives, computed again here straight from the files."""

from __future__ import annotations

import json
import statistics
import tomllib
from collections import Counter
from datetime import datetime, timezone

import pytest

from heartline.sessions import index, stats
from heartline.tui import cli
from tests.bench.generate import generate
from tests.records import make_record

CARELESS = ("fail", "score", "streak", "wrong", "worse", "better than", "more than", "less than", "blame")


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    data = tmp_path_factory.mktemp("generated")
    generate(data, 60, seed=11)
    return data


def independent(data, last=None):
    """The same figures, from tomllib and nothing of heartline's."""
    records = [tomllib.loads(p.read_text(encoding="utf-8")) for p in (data / "sessions").glob("*.toml")]
    records.sort(key=lambda r: (r["started_at"], r["id"]), reverse=True)
    records = [r for r in records if not (r["status"] == "not-started" or (
        r["status"] != "completed" and not any(p["speaking_seconds"] for p in r["partners"])))]  # never in a figure
    if last:
        records = records[:last]
    oldest = records[::-1]
    gaps = [(b["started_at"] - a["started_at"]).total_seconds() / 86400 for a, b in zip(oldest, oldest[1:])]
    lowest = []
    for r in oldest:
        both = [p["mood_after"] - p["mood_before"] for p in r["partners"] if "mood_before" in p and "mood_after" in p]
        if len(both) == 2:
            lowest.append(min(both))
    shares = [r["partners"][0]["speaking_seconds"] / sum(p["speaking_seconds"] for p in r["partners"])
              for r in oldest if sum(p["speaking_seconds"] for p in r["partners"]) > 0]
    events = [Counter(e["kind"] for e in r.get("events", [])) for r in oldest]
    commitments = [n for r in records for n in r.get("notes", []) if n["kind"] == "commitment"]
    topics = Counter(" ".join(r["topic"].split()).casefold() for r in records if r["topic"].strip())
    return {
        "sessions": len(records),
        "median_gap_days": round(statistics.median(gaps), 1),
        "mood_lowest_change": lowest,
        "one_left_lower": sum(1 for c in lowest if c < 0),
        "mean_balance": statistics.fmean(shares),
        "reflections_confirmed": sum(e["confirmed"] for e in events),
        "time_outs": sum(e["time-out"] - e["time-out-undone"] for e in events),
        "time_outs_per_session": [e["time-out"] - e["time-out-undone"] for e in events],
        "commitments": len(commitments),
        "commitments_kept": sum(1 for n in commitments if n.get("status") == "kept"),
        "rituals": dict(Counter(r["protocol"] for r in records)),
        "recurring": {t: n for t, n in topics.items() if n >= 2},
        "minutes": sum(r["duration_seconds"] for r in records) / 60,
    }


@pytest.mark.parametrize("last", [None, 10, 30])
def test_trends_json_equals_an_independent_count(history, capsys, last, monkeypatch):
    monkeypatch.setenv("HEARTLINE_HOME", str(history))
    argv = ["trends", "--json"] + (["--last", str(last)] if last else [])
    assert cli.main(argv) == 0
    got = json.loads(capsys.readouterr().out)
    want = independent(history, last)
    assert got["sessions"] == want["sessions"] == (last or 60 - got["not_started"])
    # to the tenth of a day, as shown; a median of 3.95 may round either way from seconds or timestamps
    assert got["median_gap_days"] == pytest.approx(want["median_gap_days"], abs=0.1 + 1e-9)
    assert got["mood_lowest_change"] == want["mood_lowest_change"]
    assert got["one_left_lower"] == want["one_left_lower"]
    assert "mood_before" not in got and "mood_after" not in got and "mood_change" not in got  # no averages
    assert got["mean_balance"] == pytest.approx(want["mean_balance"], abs=0.006)
    assert got["reflections_confirmed"] == want["reflections_confirmed"] > 0
    assert got["time_outs"] == want["time_outs"]
    assert got["time_outs_per_session"] == want["time_outs_per_session"]
    assert (got["commitments"], got["commitments_kept"]) == (want["commitments"], want["commitments_kept"])
    assert got["rituals"] == want["rituals"]
    assert {t.casefold(): n for t, n in got["recurring_topics"]} == want["recurring"]
    assert got["minutes_together"] == pytest.approx(want["minutes"], abs=0.06)


def test_trends_text_is_kind_and_shared(history, capsys, monkeypatch):
    monkeypatch.setenv("HEARTLINE_HOME", str(history))
    assert cli.main(["trends"]) == 0
    out = capsys.readouterr().out
    assert "floor shared: Alex" in out
    assert "commitments kept" not in out and "heard the first time" not in out  # scores, however kindly put
    assert "on average" not in out
    for word in CARELESS:
        assert word not in out.casefold()


def test_no_sessions_yet():
    t = stats.compute([])
    assert t.sessions == 0 and t.sentences == ["When you have had a session or two, patterns will show here."]


def _entry(day, left_talk, right_talk, moods=None, topic=""):
    start = datetime(2026, 11, day, 19, tzinfo=timezone.utc)
    rec = make_record(id=f"2026110{day}-x" if day < 10 else f"202611{day}-x", started_at=start, ended_at=start,
                      topic=topic, duration_seconds=60.0)
    rec["partners"][0]["speaking_seconds"], rec["partners"][1]["speaking_seconds"] = left_talk, right_talk
    for p, (b, a) in zip(rec["partners"], moods or [(3, 3), (3, 3)]):
        p["mood_before"], p["mood_after"] = b, a
    return index.summarize(rec)


def test_sentences_never_rank_a_partner_and_notice_regularity():
    irregular = [1, 2, 9, 10, 18, 19, 20]
    regular = [24, 27, 30]
    days = irregular + regular
    entries = [_entry(d, 300 if d % 2 else 30, 30, topic="Money" if d > 18 else "") for d in days][::-1]
    t = stats.compute(entries, now=datetime(2026, 11, 30, 20, tzinfo=timezone.utc))
    text = " ".join(t.sentences).casefold()
    assert "more regular lately" in text or "more often lately" in text
    assert "alex" not in text and "sam" not in text  # no partner named in a judgement
    assert "leaned to one side" in text
    assert t.recurring_topics == [["Money", 5]]
    for word in CARELESS:
        assert word not in text


def test_a_short_session_is_told_in_minutes_and_empty_figures_are_left_out(tmp_path, capsys, monkeypatch):
    """A 3-minute session is "3 minutes", never "0 hours"; no "0 of 0" commitments."""
    short, long = _entry(1, 100, 80), _entry(2, 3000, 2400)
    short["duration_seconds"], long["duration_seconds"] = 180.0, 5400.0
    assert stats.compute([short]).sentences[0] == "1 session together, 3 minutes in all."
    assert stats.compute([long]).sentences[0] == "1 session together, 1.5 hours in all."
    rec = make_record()
    rec["notes"] = []
    from heartline.sessions import store
    store.save_record(rec, tmp_path)
    monkeypatch.setenv("HEARTLINE_HOME", str(tmp_path))
    assert cli.main(["trends"]) == 0
    out = capsys.readouterr().out
    assert "1 session together" in out and "0 hours" not in out and "0 of 0" not in out


def _lower_for_one(tmp_path, monkeypatch, days=(1, 2, 3)):
    """Sessions where the left partner went 2→1 ("unheard") and the right 4→5: the average is +0.0."""
    from heartline.sessions import store

    for day in days:
        start = datetime(2026, 11, day, 19, tzinfo=timezone.utc)
        rec = make_record(id=f"2026110{day}-190000-maya-jon", started_at=start, ended_at=start)
        rec["partners"][0].update(name="Maya", mood_before=2, mood_after=1, feeling_after="unheard")
        rec["partners"][1].update(name="Jon", mood_before=4, mood_after=5)
        rec["events"].append({"offset_seconds": 400.0, "kind": "confirmed", "by": "left"})
        store.save_record(rec, tmp_path)
    monkeypatch.setenv("HEARTLINE_HOME", str(tmp_path))


def test_one_of_you_left_lower_is_said_gently_and_never_averaged_away(tmp_path, capsys, monkeypatch):
    _lower_for_one(tmp_path, monkeypatch)
    assert cli.main(["trends"]) == 0
    out = capsys.readouterr().out
    assert stats.LOWER_AFTER in out.replace("\n", " ")
    assert "about as you came in" not in out and "a little better" not in out
    assert "on average" not in out and "felt" not in out.replace(stats.LOWER_AFTER, "")
    for line in out.splitlines():  # a mood figure never sits beside a name
        if "lower" in line or "mood" in line:
            assert "Maya" not in line and "Jon" not in line, line
    assert cli.main(["trends", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["one_left_lower"] == 3 and got["mood_lowest_change"] == [-1, -1, -1]
    assert not {"mood_before", "mood_after", "mood_change", "reflections_first_time"} & set(got)


def test_when_no_one_left_lower_trends_says_so_without_an_average(tmp_path):
    entries = [_entry(d, 60, 60, moods=[(2, 4), (3, 3)]) for d in (1, 2)][::-1]
    t = stats.compute(entries)
    assert t.one_left_lower == 0 and t.mood_lowest_change == [0, 0]
    assert "Neither of you has left a session feeling lower than you came in." in t.sentences
    assert stats.LOWER_AFTER not in t.sentences


def test_seen_one_of_you_staying_at_one_is_not_read_as_no_one_left_lower(tmp_path):
    """Tried as a couple: Maya checked in at 1 "scared" and out at 1 "unheard"; trends said "Neither of you has
    left a session feeling lower than you came in." True, and blind to a partner stuck at the bottom."""
    entries = [_entry(d, 60, 60, moods=[(1, 1), (3, 4)]) for d in (1, 2)][::-1]
    t = stats.compute(entries)
    assert t.one_left_lower == 0 and t.one_left_low == 2
    assert stats.LOW_AFTER in t.sentences
    assert not any("Neither of you" in s for s in t.sentences)
    assert not any("Maya" in s or "Jon" in s for s in t.sentences if "low" in s)


def test_a_time_out_taken_back_is_not_counted_as_taken(tmp_path, capsys, monkeypatch):
    """Issue 17: six time-out events, five undone, read "6"; only one was taken."""
    from heartline.sessions import store

    rec = make_record()
    rec["events"] = ([{"offset_seconds": 10.0 + i, "kind": "time-out", "by": "both"} for i in range(6)]
                     + [{"offset_seconds": 12.0 + i, "kind": "time-out-undone", "by": "both"} for i in range(5)])
    store.save_record(rec, tmp_path)
    monkeypatch.setenv("HEARTLINE_HOME", str(tmp_path))
    assert cli.main(["trends", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["time_outs"] == 1 and got["time_outs_per_session"] == [1]
    assert cli.main(["trends"]) == 0
    assert "time-outs taken when you needed them: 1\n" in capsys.readouterr().out


def test_a_confirmed_reflection_is_not_a_verdict_that_you_heard_each_other(tmp_path, capsys, monkeypatch):
    """"1 reflections confirmed: you have been hearing each other." sat over a session one left "unheard"."""
    _lower_for_one(tmp_path, monkeypatch, days=(1,))
    assert cli.main(["trends"]) == 0
    out = capsys.readouterr().out
    assert "hearing each other" not in out and "1 reflections" not in out


def test_the_timeline_leaves_out_a_time_out_taken_back():
    """Issue 17: an undone time-out read "Together you took a time-out" in the timeline."""
    from heartline.sessions.export import timeline

    rec = make_record()
    rec["events"] = [{"offset_seconds": 10.0, "kind": "time-out", "by": "both"},
                     {"offset_seconds": 12.0, "kind": "time-out-undone", "by": "both"},
                     {"offset_seconds": 50.0, "kind": "time-out", "by": "both"},
                     {"offset_seconds": 1250.0, "kind": "time-out-ended", "by": "both"}]
    words = [w for _, w in timeline(rec)]
    assert words.count("Together you took a time-out") == 1
    assert [o for o, w in timeline(rec) if w == "Together you took a time-out"] == [50.0]


async def test_the_trends_screen_counts_no_undone_time_out_and_no_average(tmp_path, monkeypatch):
    from heartline.sessions.clock import ManualClock
    from heartline.tui.screens.trends import TrendsScreen
    from tests.apps import make_app, text_of

    _lower_for_one(tmp_path / "data", monkeypatch, days=(1, 2))
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, TrendsScreen)
        mood, words = text_of(app.screen, "#figure-mood"), text_of(app.screen, "#sentences")
        assert mood == "lower in 2 sessions" and "average" not in mood
        assert "one of you left feeling lower" in words and "about as you came in" not in words


def test_the_timeline_tells_every_shared_moment_of_a_time_out_in_words():
    """Issue 16: a time-out's agreed return and its extension ("time-out-extended") were left out of the
    timeline, which read as if the couple had simply come back; each reads as words, never an id."""
    from heartline.sessions.clock import ManualClock
    from heartline.sessions.engine import Engine, Settings
    from heartline.sessions.export import timeline
    from heartline.sessions.rituals import load_rituals

    ritual = load_rituals().get("speaker-listener")
    clock = ManualClock()
    engine = Engine(ritual, "Maya", "Jon", Settings.from_ritual(ritual, speak=60, reflect=30, rounds=1), clock,
                    rules=False, checkin=False)
    clock.advance(2)
    engine.toggle_pause()
    clock.advance(1)
    engine.toggle_pause()
    engine.time_out()
    clock.advance(1)
    engine.time_out()  # pressed by mistake: taken back
    clock.advance(15)
    engine.time_out()
    clock.advance(15)
    assert engine.agree_return(30).what == "return-agreed"
    clock.advance(25 * 60)
    assert engine.more_time(10).what == "time-out-extended"
    clock.advance(11 * 60)
    engine.toggle_pause()  # back together
    engine.end_early()
    record = engine.record()
    shared = {e["kind"] for e in record["events"] if e.get("by") == "both"}
    assert {"return-agreed", "time-out-extended", "time-out-undone"} <= shared
    words = [w for _, w in timeline(record)]
    moments = [w for w in words if w.startswith("Together you")]
    assert moments == ["Together you paused", "Together you carried on", "Together you took a time-out",
                       "Together you agreed a time to come back", "Together you took more time in the time-out",
                       "Together you came back from the time-out", "Together you ended the session early"]
    for w in words:
        assert "time-out-" not in w and "return-agreed" not in w and "ended-early" not in w, w  # never an id

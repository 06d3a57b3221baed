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
    if last:
        records = records[:last]
    oldest = records[::-1]
    gaps = [(b["started_at"] - a["started_at"]).total_seconds() / 86400 for a, b in zip(oldest, oldest[1:])]
    changes = []
    for r in oldest:
        both = [p["mood_after"] - p["mood_before"] for p in r["partners"] if "mood_before" in p and "mood_after" in p]
        if both:
            changes.append(sum(both) / len(both))
    shares = [r["partners"][0]["speaking_seconds"] / sum(p["speaking_seconds"] for p in r["partners"])
              for r in oldest if sum(p["speaking_seconds"] for p in r["partners"]) > 0]
    events = [Counter(e["kind"] for e in r.get("events", [])) for r in oldest]
    commitments = [n for r in records for n in r.get("notes", []) if n["kind"] == "commitment"]
    topics = Counter(" ".join(r["topic"].split()).casefold() for r in records if r["topic"].strip())
    return {
        "sessions": len(records),
        "median_gap_days": round(statistics.median(gaps), 1),
        "mood_change": changes,
        "mean_balance": statistics.fmean(shares),
        "reflections_confirmed": sum(e["confirmed"] for e in events),
        "time_outs": sum(e["time-out"] for e in events),
        "time_outs_per_session": [e["time-out"] for e in events],
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
    assert got["sessions"] == want["sessions"] == (last or 60)
    assert got["median_gap_days"] == want["median_gap_days"]
    assert got["mood_change"] == pytest.approx(want["mood_change"], abs=0.006)
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
    assert "floor shared: Alex" in out and "commitments kept" in out
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

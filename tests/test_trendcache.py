"""Trends kept beside the index (`sessions/trendcache.py`): the same figures and warnings, computed again on any change."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone

import pytest

from heartline.sessions import index, stats, store, trendcache
from heartline.tui import cli
from tests.bench.generate import generate
from tests.records import CET, make_record


def _trends(capsys, *argv):
    assert cli.main(["trends", "--json", *argv]) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def _no_compute(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(stats, "compute", refuse)


@pytest.fixture
def home(tmp_path, monkeypatch):
    generate(tmp_path, 30, seed=7)
    (tmp_path / "sessions" / "20260101-000000-bad.toml").write_text("not = [toml", encoding="utf-8")
    monkeypatch.setenv("HEARTLINE_HOME", str(tmp_path))
    return tmp_path


def test_the_second_run_gives_the_same_figures_and_warnings_without_computing(home, capsys, monkeypatch):
    first = _trends(capsys)
    assert "warning:" in first[1] and "20260101-000000-bad.toml" in first[1]
    assert trendcache.cache_path(home).exists()
    assert oct(trendcache.cache_path(home).stat().st_mode & 0o777) == "0o600"
    _no_compute(monkeypatch)
    assert _trends(capsys) == first
    assert _trends(capsys) == first


def test_each_last_is_kept_apart(home, capsys, monkeypatch):
    whole, ten = _trends(capsys), _trends(capsys, "--last", "10")
    assert json.loads(ten[0])["sessions"] == 10 != json.loads(whole[0])["sessions"]
    _no_compute(monkeypatch)
    assert _trends(capsys, "--last", "10") == ten
    assert _trends(capsys) == whole


def test_a_new_changed_or_vanished_file_computes_again(home, capsys):
    before = json.loads(_trends(capsys)[0])
    saved = store.save_record(make_record(id="20991201-090000-alex-sam", topic="One more talk",
                                          started_at=datetime(2099, 12, 1, 9, tzinfo=CET),
                                          ended_at=datetime(2099, 12, 1, 9, 30, tzinfo=CET)), home)
    after = json.loads(_trends(capsys)[0])
    assert after["sessions"] == before["sessions"] + 1
    text = saved.read_text(encoding="utf-8")
    assert "duration_seconds = 1588.2" in text
    saved.write_text(text.replace("duration_seconds = 1588.2", "duration_seconds = 6988.2"), encoding="utf-8")
    os.utime(saved, ns=(1, 1))  # another size and mtime, whatever the clock
    longer = json.loads(_trends(capsys)[0])
    assert longer["minutes_together"] == pytest.approx(after["minutes_together"] + 90, abs=0.1)
    saved.unlink()
    assert json.loads(_trends(capsys)[0]) == before


def test_deleting_a_session_takes_its_words_out_of_the_kept_figures(home, capsys):
    for day in (1, 2):
        store.save_record(make_record(id=f"2099120{day}-090000-alex-sam", topic="The quiet trip to Lisbon",
                                      started_at=datetime(2099, 12, day, 9, tzinfo=CET),
                                      ended_at=datetime(2099, 12, day, 9, 30, tzinfo=CET)), home)
    _trends(capsys)
    _trends(capsys)
    assert "Lisbon" in trendcache.cache_path(home).read_text(encoding="utf-8")
    assert cli.main(["delete", "20991201-090000-alex-sam", "--for-good"]) == 0
    capsys.readouterr()
    assert not trendcache.cache_path(home).exists()  # gone with the index's rewrite
    assert "Lisbon" not in _trends(capsys)[0]  # a topic said once is not a topic that comes back


@pytest.mark.parametrize("junk", [b"", b"{", b"[]", b'[{"key": 1}]', b"\xff\xfe", b'[{"key": [], "figures": 3}]'])
def test_a_damaged_cache_is_not_believed(home, capsys, junk):
    fresh = _trends(capsys)
    trendcache.cache_path(home).write_bytes(junk)
    assert _trends(capsys) == fresh


def test_figures_of_other_code_are_not_believed(home, capsys, monkeypatch):
    fresh = _trends(capsys)
    kept = json.loads(trendcache.cache_path(home).read_text(encoding="utf-8"))
    kept[0]["figures"]["sessions"] = 999_999
    trendcache.cache_path(home).write_text(json.dumps(kept), encoding="utf-8")
    assert json.loads(_trends(capsys)[0])["sessions"] == 999_999  # (what a kept figure is: shown as kept)
    monkeypatch.setattr(trendcache, "_code", lambda: "a newer heartline")
    assert _trends(capsys) == fresh


def test_the_last_30_days_move_with_the_calendar(home):
    entries = index.load(home).entries
    newest = datetime.fromtimestamp(entries[0][index.T], timezone.utc)
    soon = newest + timedelta(days=1)
    first, _ = trendcache.trends(home, now=soon)
    assert first.sessions_last_30_days >= 1
    later, _ = trendcache.trends(home, now=newest + timedelta(days=400))
    assert later.sessions_last_30_days == 0 == stats.compute(entries, now=newest + timedelta(days=400)).sessions_last_30_days
    again, _ = trendcache.trends(home, now=soon)
    assert again.sessions_last_30_days == first.sessions_last_30_days

"""Home's lines at once (`sessions/recentcache.py`): the sessions chosen last time, while the folder is as it was."""

from __future__ import annotations

from datetime import datetime

import pytest

from heartline.sessions import index, recentcache, store
from heartline.sessions.clock import ManualClock
from heartline.tui import cli
from tests.apps import make_app, text_of, until
from tests.records import CET, make_record


def _session(home, day: int, hour: int = 9, **kw):
    return store.save_record(make_record(id=f"202611{day:02d}-{hour:02d}0000-alex-sam",
                                         started_at=datetime(2026, 11, day, hour, tzinfo=CET),
                                         ended_at=datetime(2026, 11, day, hour, 30, tzinfo=CET), **kw), home)


def _ids(answer):
    return [r["id"] for r in answer[0]]


def _no_scan(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("every file stat'ed")

    monkeypatch.setattr(index, "_scan", refuse)


def test_the_chosen_sessions_come_back_without_stating_every_file(heartline_home, monkeypatch):
    for day in (20, 21, 22):
        _session(heartline_home, day)
    (heartline_home / "sessions" / "20261101-000000-bad.toml").write_text("not toml [", encoding="utf-8")
    full = recentcache.recent(heartline_home)
    assert _ids(full) and full[1] and full == full
    _no_scan(monkeypatch)
    kept = recentcache.quick(heartline_home)
    assert kept is not None and recentcache.same(kept, full)
    assert kept[0] == full[0]  # the records themselves, read afresh from their files
    assert [(e.source, e.problem) for e in kept[1]] == [(e.source, e.problem) for e in full[1]]


def test_a_new_or_removed_file_is_never_answered_from_before(heartline_home):
    _session(heartline_home, 20)
    recentcache.recent(heartline_home)
    newer = _session(heartline_home, 23)
    assert recentcache.quick(heartline_home) is None  # the folder changed: the full answer is read
    assert _ids(recentcache.recent(heartline_home))[0] == "20261123-090000-alex-sam"
    assert _ids(recentcache.quick(heartline_home))[0] == "20261123-090000-alex-sam"
    newer.unlink()
    assert recentcache.quick(heartline_home) is None


def test_deleting_a_session_leaves_no_name_behind(heartline_home, capsys):
    _session(heartline_home, 20)
    gone = _session(heartline_home, 22)
    recentcache.recent(heartline_home)
    assert gone.stem in recentcache.cache_path(heartline_home).read_text(encoding="utf-8")
    assert cli.main(["delete", gone.stem, "--for-good"]) == 0
    capsys.readouterr()
    assert not recentcache.cache_path(heartline_home).exists()


@pytest.mark.parametrize("junk", [b"", b"{", b"[]", b'{"version": 1, "key": 1}', b"\xff",
                                  b'{"version": 1, "key": null, "ids": ["../x"], "problems": []}'])
def test_a_damaged_answer_is_not_believed(heartline_home, junk):
    _session(heartline_home, 20)
    recentcache.recent(heartline_home)
    recentcache.cache_path(heartline_home).write_bytes(junk)
    assert recentcache.quick(heartline_home) is None


def test_a_kept_id_must_still_name_its_own_file(heartline_home):
    _session(heartline_home, 20)
    recentcache.recent(heartline_home)
    text = recentcache.cache_path(heartline_home).read_text(encoding="utf-8")
    recentcache.cache_path(heartline_home).write_text(text.replace("20261120-090000", "20261119-090000"),
                                                      encoding="utf-8")
    assert recentcache.quick(heartline_home) is None  # no such file: the full answer instead


async def test_home_corrects_a_file_edited_in_place_just_after_its_frame(tmp_path):
    data = tmp_path / "data"
    _session(data, 20, topic="Older")
    _session(data, 22, topic="Newest")
    older = data / "sessions" / "20261120-090000-alex-sam.toml"
    clock = ManualClock(start=datetime(2026, 11, 30, 12, 0, tzinfo=CET))
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "last time" in text_of(app.screen, "#last-time"))
        first = text_of(app.screen, "#last-time")
    # Edited in place, by hand (the folder's time does not move): the older session now ended last, and longer.
    text = older.read_text(encoding="utf-8")
    assert "2026-11-20 09:30:00+01:00" in text and "duration_seconds = 1588.2" in text
    with open(older, "r+", encoding="utf-8") as f:
        f.write(text.replace("2026-11-20 09:30:00+01:00", "2026-11-29 09:30:00+01:00")
                .replace("duration_seconds = 1588.2", "duration_seconds = 3588.2"))
    stale = recentcache.quick(data)
    assert stale is not None and _ids(stale)[0] == "20261122-090000-alex-sam"  # what the folder's time cannot see
    app = make_app(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: text_of(app.screen, "#last-time") not in ("", first))
        shown = text_of(app.screen, "#last-time")
        names = {r.id: r.name for r in app.rituals}
    from heartline.sessions.history import last_time

    truth = index.recent(data)
    assert "20261120-090000-alex-sam" in _ids(truth)
    assert shown == last_time(truth[0], clock.now().date(), names) != first

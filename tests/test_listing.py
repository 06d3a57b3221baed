"""The sessions folder listed once per start while it stays as it was (issue 17: two listings of years of sessions
before the first frame), and never a name missed because a listing was given again."""

from __future__ import annotations

import os
import time

from heartline.sessions import files, journal, recentcache


def _settle(folder, seconds: float = 10.0) -> None:
    """The folder last changed `seconds` ago, as a start finds it after the last session."""
    past = time.time_ns() - int(seconds * 1e9) + 123  # not a whole second: a fine-grained clock
    os.utime(folder, ns=(past, past))


def _count_listings(monkeypatch) -> list[str]:
    listed: list[str] = []
    real = os.listdir
    monkeypatch.setattr(files.os, "listdir", lambda where: (listed.append(str(where)), real(where))[1])
    return listed


def test_a_settled_folder_is_listed_once_for_who_began_and_the_unfinished_journals(tmp_path, monkeypatch):
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "20261126-1900-a-b.toml").write_text("", encoding="utf-8")
    _settle(folder)
    monkeypatch.setattr(files, "_listed", None)
    listed = _count_listings(monkeypatch)
    recentcache._listing(tmp_path)
    assert journal.unfinished(tmp_path) == ([], [])
    assert listed == [str(folder)]  # before: once each


def test_a_name_that_came_since_is_always_seen(tmp_path, monkeypatch):
    folder = tmp_path / "sessions"
    folder.mkdir()
    _settle(folder)
    monkeypatch.setattr(files, "_listed", None)
    assert files.listed_names(folder) == []
    (folder / "x.journal").write_text("", encoding="utf-8")  # the folder's times move with it
    assert files.listed_names(folder) == ["x.journal"]


def test_a_listing_taken_just_after_a_change_is_not_given_again(tmp_path, monkeypatch):
    folder = tmp_path / "sessions"
    folder.mkdir()
    monkeypatch.setattr(files, "_listed", None)
    listed = _count_listings(monkeypatch)
    files.listed_names(folder)  # the folder changed a moment ago: a change in the same clock step could hide
    files.listed_names(folder)
    assert len(listed) == 2
    whole = (time.time_ns() // 1_000_000_000 - 1) * 1_000_000_000  # a FAT stick's whole seconds, 1-2 s ago
    os.utime(folder, ns=(whole, whole))
    files.listed_names(folder)
    files.listed_names(folder)
    assert len(listed) == 4

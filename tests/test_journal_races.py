"""Putting away never replaces a file that appeared meanwhile (issue 20, noticed and fixed).

`put_away` (a journal into `trash/`) and `store.move_to_trash` (a session into `trash/`) used to look for a
free name with `os.path.lexists` and then `os.replace`/`os.rename` onto it: a file made in between (another
heartline putting away a journal of the same name, a sync tool restoring one) was silently replaced. Here
the other party's file is made at the exact moment between the look and the move: a hook in the stand-in
for `os`, wherever heartline's modules call it, runs just before any rename, replace or link onto the trash.
Nothing sleeps.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from heartline.sessions import files, journal, paths, store
from tests.records import make_record
from tests.test_powerloss import crashed_session

THEIRS = b"another journal put away at the same moment\n"


class Raced:
    """`os` with a competitor's file made at `target` just before the first move onto it."""

    def __init__(self, target: Path) -> None:
        self.target, self.raced = target, False

    def __getattr__(self, name):
        return getattr(os, name)

    def _race(self, dst) -> None:
        if Path(dst) == self.target and not self.raced:
            self.raced = True
            self.target.write_bytes(THEIRS)

    def replace(self, src, dst, **kw):
        self._race(dst)
        return os.replace(src, dst, **kw)

    def rename(self, src, dst, **kw):
        self._race(dst)
        return os.rename(src, dst, **kw)

    def link(self, src, dst, **kw):
        self._race(dst)
        return os.link(src, dst, **kw)


def staged(monkeypatch, target: Path) -> Raced:
    raced = Raced(target)
    for module in (files, journal, store):
        monkeypatch.setattr(module, "os", raced)
    return raced


def test_a_journal_put_away_never_replaces_one_that_appeared_in_the_trash_meanwhile(tmp_path, monkeypatch):
    """Mutation: `put_away` back to `while os.path.lexists(target): …` then `os.replace(item.path, target)`."""
    engine, j = crashed_session(tmp_path)
    ours = j.path.read_bytes()
    trash = files.ensure_private_dir(tmp_path / "trash")
    theirs = trash / j.path.name
    (item,), _ = journal.unfinished(tmp_path)
    raced = staged(monkeypatch, theirs)
    target = journal.put_away(item, tmp_path)
    assert raced.raced, "the hook never ran: the race was not staged"
    assert theirs.read_bytes() == THEIRS, "a journal put away meanwhile was replaced"
    assert target != theirs and target.read_bytes() == ours
    assert target.name == f"{engine.session_id}-2{journal.SUFFIX}"
    assert not j.path.exists() and not (paths.sessions_dir(tmp_path) / f"{engine.session_id}.toml").exists()


def test_a_session_moved_to_the_trash_never_replaces_one_that_appeared_there_meanwhile(tmp_path, monkeypatch):
    """Mutation: `move_to_trash` back to `while os.path.lexists(target): …` then `os.rename(source, target)`."""
    path = store.save_record(make_record(), tmp_path)
    ours = path.read_bytes()
    trash = files.ensure_private_dir(tmp_path / "trash")
    theirs = trash / path.name
    raced = staged(monkeypatch, theirs)
    target = store.move_to_trash(tmp_path, "20261126-190512-alex-sam")
    assert raced.raced, "the hook never ran: the race was not staged"
    assert theirs.read_bytes() == THEIRS, "a session moved to the trash meanwhile was replaced"
    assert target.name == "20261126-190512-alex-sam.2.toml" and target.read_bytes() == ours
    assert not path.exists()


@pytest.mark.parametrize("errno_name", ["EPERM", "EOPNOTSUPP"])
def test_where_hard_links_are_refused_the_move_still_never_replaces(tmp_path, monkeypatch, errno_name):
    """A FAT stick refuses hard links: the new name is then taken with O_EXCL and only that empty file replaced."""
    import errno

    source = tmp_path / "a.journal"
    source.write_bytes(b"ours\n")
    taken = tmp_path / "b.journal"
    taken.write_bytes(THEIRS)

    class NoLinks:
        def __getattr__(self, name):
            return getattr(os, name)

        def link(self, *a, **kw):
            raise OSError(getattr(errno, errno_name), "Operation not permitted")

    monkeypatch.setattr(files, "os", NoLinks())
    with pytest.raises(FileExistsError):
        files.move_no_replace(source, taken)
    assert taken.read_bytes() == THEIRS and source.read_bytes() == b"ours\n"
    files.move_no_replace(source, tmp_path / "c.journal")
    assert (tmp_path / "c.journal").read_bytes() == b"ours\n" and not source.exists()

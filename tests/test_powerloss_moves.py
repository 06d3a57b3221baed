"""Power loss after a name goes (issue 20, noticed and fixed): what was moved or removed stays so.

tests/test_powerloss.py checks that nothing is *lost*. These check the other half: once heartline has said a
journal is finished, moved, saved or put away (or a session moved to the trash), power lost at any later
moment must not bring the old name back. An unlink or a rename is a change to a folder, kept only once that
folder is fsynced; without it the next start finds the old journal again and offers the same session twice
(or saves a second copy of it under a new id). Each test marks the moment the call returned and asserts, in
every state after it, that the old name is gone and the file is whole where it went.
"""

from __future__ import annotations

from pathlib import Path

from heartline.sessions import files, journal, paths, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT
from tests.powerloss import Crash, Disk
from tests.records import make_record
from tests.test_powerloss import check_every, crashed_session, marks, new_engine, play

SID = "20261126-190512-alex-sam"


def journals_in(folder: Path) -> list[str]:
    return sorted(p.name for p in paths.sessions_dir(folder).glob(f"*{journal.SUFFIX}"))


def test_a_journal_moved_to_a_new_name_does_not_come_back_under_the_old_one(tmp_path, monkeypatch):
    """Mutation: the `fsync_dir(folder)` at the end of `Journal.rename` removed (the old journal's unlink is then
    never made durable: the same session would be offered twice, under two ids)."""
    root = tmp_path / "disk"
    data = root / "home"
    files.ensure_private_dir(paths.sessions_dir(data))
    clock = ManualClock()
    engine = new_engine(clock)
    j = journal.Journal.start(data, engine, taken=set())
    play(engine, clock)
    old_sid = engine.session_id
    other = paths.sessions_dir(data) / "renamed-by-hand.toml"
    other.write_text(store.dumps_record(make_record(id=old_sid, started_at=engine.started_at)))
    disk = Disk(root)
    with disk.recording(monkeypatch):
        assert j.rename(data, engine, {old_sid})
        disk.mark("moved")
        clock.advance(3)
        engine.add_note(LEFT, "after the move")  # the session goes on: only the new journal's data is synced
    j.close()
    new_sid = engine.session_id

    def check(crash: Crash, folder: Path) -> None:
        if marks(crash, "moved"):
            assert journals_in(folder / "home") == [f"{new_sid}{journal.SUFFIX}"], "the old journal came back"
            assert not (paths.sessions_dir(folder / "home") / f"{old_sid}.toml").exists()

    check_every(disk, tmp_path / "state", check)


def test_a_session_finished_from_its_journal_is_not_offered_again_after_power_loss(tmp_path, monkeypatch):
    """Mutation: the `fsync_dir` at the end of `save_recovered` removed (the journal, unlinked but not durably,
    comes back and is offered, and saved, a second time)."""
    root = tmp_path / "disk"
    data = root / "home"
    engine, j = crashed_session(data)
    disk = Disk(root)
    with disk.recording(monkeypatch):
        (item,), _ = journal.unfinished(data)
        path = journal.save_recovered(item, data)
        disk.mark("saved")
    whole = path.read_bytes()

    def check(crash: Crash, folder: Path) -> None:
        if marks(crash, "saved"):
            items, problems = journal.unfinished(folder / "home")
            assert items == [] and problems == [], "the journal of a saved session is offered again"
            assert crash.read(path.relative_to(root).as_posix()) == whole

    check_every(disk, tmp_path / "state", check)


def test_a_session_saved_at_its_end_is_not_offered_again_after_power_loss(tmp_path, monkeypatch):
    """Mutation: the `fsync_dir` in `Journal.finish` removed. The journal coming back beside its record would be
    offered as unfinished, and saving it again would write the record with its shape only, over a record
    that kept what the couple chose to keep."""
    root = tmp_path / "disk"
    data = root / "home"
    files.ensure_private_dir(paths.sessions_dir(data))
    clock = ManualClock()
    engine = new_engine(clock)
    j = journal.Journal.start(data, engine, taken=set())
    play(engine, clock)
    engine.end_early()
    disk = Disk(root)
    with disk.recording(monkeypatch):
        store.save_record(engine.record(), data)
        j.finish()
        disk.mark("finished")

    def check(crash: Crash, folder: Path) -> None:
        if marks(crash, "finished"):
            assert journals_in(folder / "home") == [], "a finished session's journal came back"

    check_every(disk, tmp_path / "state", check)


def test_a_journal_put_away_stays_in_the_trash(tmp_path, monkeypatch):
    """Mutation: `put_away` back to `os.replace` without fsyncing either folder (the journal can then be back
    in sessions/ after power loss, offered again, or in neither folder's durable listing)."""
    root = tmp_path / "disk"
    data = root / "home"
    engine, j = crashed_session(data)
    files.ensure_private_dir(data / "trash")
    whole = j.path.read_bytes()
    disk = Disk(root)
    with disk.recording(monkeypatch):
        (item,), _ = journal.unfinished(data)
        target = journal.put_away(item, data)
        disk.mark("put away")
    rel = j.path.relative_to(root).as_posix()
    trashed = target.relative_to(root).as_posix()

    def check(crash: Crash, folder: Path) -> None:
        assert whole in (crash.read(rel), crash.read(trashed)), "the journal is in neither place"
        if marks(crash, "put away"):
            assert crash.read(trashed) == whole and crash.read(rel) is None, "the journal put away came back"
            items, problems = journal.unfinished(folder / "home")
            assert items == [] and problems == []
            assert store.list_sessions(folder / "home") == ([], [])  # its empty name went with it

    check_every(disk, tmp_path / "state", check)


def test_a_session_moved_to_the_trash_is_whole_in_one_place_and_stays_there(tmp_path, monkeypatch):
    """`store.move_to_trash`, now run under the simulator: whole in sessions/ or in trash/ at every call, and
    once it returned, no longer listed after any power loss."""
    root = tmp_path / "disk"
    data = root / "home"
    path = store.save_record(make_record(), data)
    whole = path.read_bytes()
    files.ensure_private_dir(data / "trash")
    disk = Disk(root)
    with disk.recording(monkeypatch):
        target = store.move_to_trash(data, SID)
        disk.mark("trashed")
    rel, trashed = path.relative_to(root).as_posix(), target.relative_to(root).as_posix()

    def check(crash: Crash, folder: Path) -> None:
        assert whole in (crash.read(rel), crash.read(trashed)), "the session is in neither place"
        if marks(crash, "trashed"):
            assert crash.read(rel) is None, "a session moved to the trash is back in the history"
            assert crash.read(trashed) == whole

    check_every(disk, tmp_path / "state", check)


def test_whatever_a_start_cut_short_leaves_the_next_start_offers_or_puts_away_never_reports_again(
        tmp_path, monkeypatch, tmp_path_factory):
    """Power lost at every call of `Journal.start` and the first inputs (torn, lost, or zero-filled data): the
    next start (with `set_aside`, as the app's) either offers the session or puts its empty journal away with
    one line; the start after that finds nothing to say. Before issue 20's fix an empty or zero-filled journal
    was reported as a problem at every start."""
    root = tmp_path / "disk"
    data = root / "home"
    files.ensure_private_dir(paths.sessions_dir(data))
    clock = ManualClock()
    disk = Disk(root)
    with disk.recording(monkeypatch):
        engine = new_engine(clock)
        j = journal.Journal.start(data, engine, taken=set())
        play(engine, clock, disk)
    j.close()
    sid = engine.session_id
    put_away_seen = 0

    def check(crash: Crash, folder: Path) -> None:
        nonlocal put_away_seen
        said: list[str] = []
        items, problems = journal.unfinished(folder / "home", set_aside=said)
        assert problems == [], problems
        assert len(items) + len(said) <= 1 and [i.session_id for i in items] in ([], [sid])
        put_away_seen += len(said)
        again: list[str] = []
        assert journal.unfinished(folder / "home", set_aside=again)[1] == [] and again == []
        # Not asserted (noticed, left): power lost after `reserve_id` took `<id>.toml` and before the journal's
        # name was on disk leaves that empty name alone, and the history then lists it as a damaged record.

    check_every(disk, tmp_path_factory.mktemp("state") / "s", check)
    assert put_away_seen, "no crash state left an empty journal: the case was not reached"

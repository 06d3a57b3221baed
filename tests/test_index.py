"""The index of session files: rebuilt for what changed, never believed over the files."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime

from heartline.sessions import index, paths, store
from tests.records import CET, make_record


def _save(home, **kw):
    return store.save_record(make_record(**kw), home)


def _files(home):
    """The index's table of files and its rows, by file name."""
    head, table, rows = index.index_path(home).read_text().splitlines()
    return {k[0]: {"key": k, "row": r} for k, r in zip(json.loads(table), json.loads(rows))}


def _write_files(home, files, digest="not the digest"):
    """An index holding `files`; its checksums right only when digest is None."""
    table = json.dumps([f["key"] for f in files.values()]).encode()
    rows = json.dumps([f["row"] for f in files.values()]).encode()
    head = {"version": index.VERSION, "keys": index._digest(table) if digest is None else digest,
            "rows": index._digest(rows) if digest is None else digest}
    index.index_path(home).write_bytes(json.dumps(head).encode() + b"\n" + table + b"\n" + rows + b"\n")


def _ids(listing):
    return [e["id"] for e in listing.entries]


def test_first_read_builds_the_index_privately_then_reads_nothing(heartline_home):
    _save(heartline_home)
    _save(heartline_home, id="20261201-090000-alex-sam", started_at=datetime(2026, 12, 1, 9, tzinfo=CET),
          ended_at=datetime(2026, 12, 1, 9, 30, tzinfo=CET))
    index.index_path(heartline_home).unlink(missing_ok=True)  # saving may have started one
    first = index.load(heartline_home)
    assert first.parsed == 2 and _ids(first) == ["20261201-090000-alex-sam", "20261126-190512-alex-sam"]
    path = index.index_path(heartline_home)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = index.load(heartline_home)
    assert again.parsed == 0 and again.entries == first.entries


def test_summary_matches_the_record(heartline_home, sample_record):
    _save(heartline_home)
    entry = index.load(heartline_home).entries[0]
    assert entry["topic"] == sample_record["topic"]
    assert entry["started_at"] == "2026-11-26T19:05:12+01:00"
    assert entry["events"] == {"pause": 1}  # a blocked key is never kept (issue 16)
    assert entry["commitments"] == [[1, "left", "book the train", "open"]]
    assert [p["name"] for p in entry["partners"]] == ["Alex", "Sam"]


def test_added_changed_removed_and_damaged_files_are_noticed(heartline_home):
    _save(heartline_home)
    index.load(heartline_home)
    # added
    _save(heartline_home, id="20261201-090000-alex-sam", started_at=datetime(2026, 12, 1, 9, tzinfo=CET),
          ended_at=datetime(2026, 12, 1, 9, 30, tzinfo=CET))
    listing = index.load(heartline_home)
    assert listing.parsed == 1 and len(listing.entries) == 2
    # changed (same size on purpose: the topic swaps one letter): heartline's writes make a new inode
    _save(heartline_home, topic="How we spend the holidayz")
    listing = index.load(heartline_home)
    assert listing.parsed == 1
    assert listing.by_id["20261126-190512-alex-sam"]["topic"] == "How we spend the holidayz"
    # removed
    (paths.sessions_dir(heartline_home) / "20261201-090000-alex-sam.toml").unlink()
    listing = index.load(heartline_home)
    assert _ids(listing) == ["20261126-190512-alex-sam"] and listing.parsed == 0
    assert "20261201-090000-alex-sam.toml" not in _files(heartline_home)
    # damaged in place (same inode, new size and mtime)
    target = paths.sessions_dir(heartline_home) / "20261126-190512-alex-sam.toml"
    with open(target, "a", encoding="utf-8") as fh:
        fh.write("\nthis is = = not toml\n")
    listing = index.load(heartline_home)
    assert listing.entries == [] and len(listing.errors) == 1
    assert "not valid TOML" in str(listing.errors[0])
    # still reported on the next read, without reading it again
    listing = index.load(heartline_home)
    assert listing.parsed == 0 and len(listing.errors) == 1


def test_edit_in_place_keeping_size_and_inode_is_seen_through_mtime(heartline_home):
    path = _save(heartline_home)
    index.load(heartline_home)
    text = path.read_text(encoding="utf-8").replace("holidays", "holidayz")
    info = os.stat(path)
    with open(path, "r+", encoding="utf-8") as fh:  # same inode, same size
        fh.write(text)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    assert index.load(heartline_home).entries[0]["topic"] == "How we spend the holidayz"


def test_a_corrupt_index_is_never_believed(heartline_home):
    _save(heartline_home)
    path = index.index_path(heartline_home)
    for junk in ("{not json", "[]", json.dumps({"version": 999, "files": {}}), "\x00\x00", ""):
        path.write_text(junk, encoding="utf-8")
        listing = index.load(heartline_home)
        assert _ids(listing) == ["20261126-190512-alex-sam"], junk
        assert listing.parsed == 1


def test_a_stale_or_forged_entry_is_not_believed(heartline_home):
    _save(heartline_home)
    index.load(heartline_home)
    # an entry of the wrong shape, its key still matching (the checksum no longer does): parsed again
    files = _files(heartline_home)
    files["20261126-190512-alex-sam.toml"]["row"][index.LEFT] = "nobody"
    _write_files(heartline_home, files)
    listing = index.load(heartline_home)
    assert listing.parsed == 1 and listing.entries[0]["partners"][0]["name"] == "Alex"
    # an entry for a file that is not there is dropped
    files = _files(heartline_home)
    ghost = json.loads(json.dumps(files["20261126-190512-alex-sam.toml"]))
    ghost["key"][0] = "20270101-000000-ghost.toml"
    files["20270101-000000-ghost.toml"] = ghost
    _write_files(heartline_home, files)
    assert _ids(index.load(heartline_home)) == ["20261126-190512-alex-sam"]
    # a stale entry, even one whose checksum is right: the file's size and mtime win
    files = _files(heartline_home)
    files["20261126-190512-alex-sam.toml"]["key"][1] += 1
    files["20261126-190512-alex-sam.toml"]["row"][index.TOPIC] = "a stale topic"
    _write_files(heartline_home, files, digest=None)
    assert index.load(heartline_home).entries[0]["topic"] == "How we spend the holidays"
    # a forged summary under a right key and a wrong checksum: not believed either
    files = _files(heartline_home)
    files["20261126-190512-alex-sam.toml"]["row"][index.ID] = "20270101-000000-forged"
    _write_files(heartline_home, files)
    listing = index.load(heartline_home)
    assert listing.parsed == 1 and _ids(listing) == ["20261126-190512-alex-sam"]
    # an entry whose table says damaged but is the wrong shape: the file is read again
    files = _files(heartline_home)
    files["20261126-190512-alex-sam.toml"]["key"][7] = 42
    _write_files(heartline_home, files)
    listing = index.load(heartline_home)
    assert listing.parsed == 1 and listing.errors == []


def test_an_old_version_index_is_rebuilt(heartline_home):
    _save(heartline_home)
    path = index.index_path(heartline_home)
    old = {"20261126-190512-alex-sam.toml": {"key": [1, 2, 3], "summary": {"id": "forged", "topic": "old"}}}
    path.write_text(json.dumps({"version": 2, "digest": "x"}) + "\n" + json.dumps(old), encoding="utf-8")
    listing = index.load(heartline_home)
    assert listing.parsed == 1 and listing.entries[0]["topic"] == "How we spend the holidays"
    assert json.loads(path.read_text().partition("\n")[0])["version"] == index.VERSION


def test_an_intact_index_is_read_without_parsing(heartline_home):
    _save(heartline_home)
    index.load(heartline_home)
    head = json.loads(index.index_path(heartline_home).read_text().partition("\n")[0])
    assert head["version"] == index.VERSION and head["sessions"] == 1 and len(head["keys"]) == 32
    assert index.load(heartline_home).parsed == 0


def test_a_crash_mid_write_leaves_a_temp_file_that_is_ignored(heartline_home):
    _save(heartline_home)
    index.load(heartline_home)
    folder = paths.sessions_dir(heartline_home)
    (folder / ".20261127-100000-alex-sam.toml.abc.tmp").write_text("schema = 1\nid = ", encoding="utf-8")
    (heartline_home / ".index.json.xyz.tmp").write_text("{", encoding="utf-8")
    listing = index.load(heartline_home)
    assert _ids(listing) == ["20261126-190512-alex-sam"] and listing.errors == []


def test_no_folder_and_unwritable_index(heartline_home):
    assert index.load(heartline_home).entries == []
    assert not index.index_path(heartline_home).exists()
    _save(heartline_home)
    index.index_path(heartline_home).mkdir()  # cannot be replaced: still listed from the files
    assert _ids(index.load(heartline_home)) == ["20261126-190512-alex-sam"]


def test_not_a_regular_file_is_reported_not_read(heartline_home):
    _save(heartline_home)
    os.mkfifo(paths.sessions_dir(heartline_home) / "20261127-000000-fifo.toml")
    listing = index.load(heartline_home)
    assert _ids(listing) == ["20261126-190512-alex-sam"]
    assert "regular file" in str(listing.errors[0])


def test_move_to_trash_keeps_the_file(heartline_home):
    _save(heartline_home)
    moved = store.move_to_trash(heartline_home, "20261126-190512-alex-sam")
    assert moved == heartline_home / "trash" / "20261126-190512-alex-sam.toml" and moved.is_file()
    assert stat.S_IMODE(os.stat(moved.parent).st_mode) == 0o700
    assert index.load(heartline_home).entries == []
    _save(heartline_home)
    again = store.move_to_trash(heartline_home, "20261126-190512-alex-sam")
    assert again.name == "20261126-190512-alex-sam.2.toml" and moved.is_file()


def test_in_progress_placeholders_and_conflicts_as_the_store_sees_them(heartline_home):
    path = _save(heartline_home)
    folder = paths.sessions_dir(heartline_home)
    (folder / "20261127-100000-alex-sam.toml").write_bytes(b"")  # an id taken by a session in progress
    (folder / "20261127-100000-alex-sam.journal").write_text("{}\n", encoding="utf-8")
    (folder / "copy.toml").write_bytes(path.read_bytes())  # the same session under another name
    listing = index.load(heartline_home)
    assert _ids(listing) == ["20261126-190512-alex-sam"]
    assert listing.entries[0]["file"] == "20261126-190512-alex-sam.toml"
    assert len(listing.errors) == 1 and "copy.toml" in listing.errors[0].source
    assert store.find_session(heartline_home, "20261126") == path
    assert "20261127-100000-alex-sam" in store.existing_ids(heartline_home)


def test_recent_answers_home_as_every_record_would(heartline_home):
    from datetime import date

    from heartline.sessions.history import last_commitments, last_time
    from tests.bench.generate import generate

    generate(heartline_home, 25, seed=9)
    every, _ = store.list_sessions(heartline_home)
    few, errors = index.recent(heartline_home)
    assert len(few) <= 2 and errors == []
    today = date(2026, 11, 27)
    assert last_time(few, today) == last_time(every, today) != ""
    assert last_commitments(few) == last_commitments(every) != []


def test_a_current_index_answers_ids_and_home_from_its_table_alone(heartline_home, monkeypatch):
    """Ids taken and home's two records need no summary decoded (that is most of the index)."""
    _save(heartline_home)
    path = _save(heartline_home, id="20261201-090000-alex-sam", started_at=datetime(2026, 12, 1, 9, tzinfo=CET),
                 ended_at=datetime(2026, 12, 1, 9, 30, tzinfo=CET))
    renamed = path.with_name("renamed by hand.toml")
    path.rename(renamed)  # its id is still taken, though no file is named after it
    index.load(heartline_home)

    def no_rows(self, n):
        raise AssertionError("a summary row was decoded")

    monkeypatch.setattr(index._Old, "row", no_rows)
    ids = store.existing_ids(heartline_home)
    assert {"20261201-090000-alex-sam", "20261126-190512-alex-sam", "renamed by hand"} <= ids
    records, errors = index.recent(heartline_home)
    assert [r["id"] for r in records] == ["20261201-090000-alex-sam"] and errors == []  # it has commitments too
    monkeypatch.undo()
    # a file changed since: the index is no longer current, so it is read again, not believed
    assert _save(heartline_home, id="20261201-090000-alex-sam", topic="Changed meanwhile",
                 started_at=datetime(2026, 12, 1, 9, tzinfo=CET), ended_at=datetime(2026, 12, 1, 9, 30, tzinfo=CET)) == renamed
    assert index.recent(heartline_home)[0][0]["topic"] == "Changed meanwhile"


def test_an_intact_index_is_not_checked_row_by_row(heartline_home, monkeypatch):
    from tests.bench.generate import generate

    generate(heartline_home, 5, seed=2)
    first = index.load(heartline_home)
    monkeypatch.setattr(index, "_well_formed", lambda row: False)  # would reject every row it saw
    again = index.load(heartline_home)
    assert again.parsed == 0 and again.entries == first.entries


def test_a_damaged_file_keeps_its_problem_in_the_table_until_it_changes(heartline_home):
    _save(heartline_home)
    bad = paths.sessions_dir(heartline_home) / "20261127-000000-bad.toml"
    bad.write_text("schema = 1\nid = [", encoding="utf-8")
    first = index.load(heartline_home)
    assert first.parsed == 2 and [e.source for e in first.errors] == [str(bad)]
    again = index.load(heartline_home)
    assert again.parsed == 0 and [str(e) for e in again.errors] == [str(e) for e in first.errors]
    assert index.recent(heartline_home)[1][0].source == str(bad)  # home says so too
    _save(heartline_home, id="20261127-000000-bad")  # mended: read again and shown
    mended = index.load(heartline_home)
    assert mended.parsed == 1 and mended.errors == [] and len(mended.entries) == 2


def test_rows_answer_by_name_as_the_record_does(heartline_home, sample_record):
    row = index.summarize(sample_record, "x.toml")
    assert row[index.TOPIC] == row["topic"] == sample_record["topic"] and row["file"] == "x.toml"
    assert row["partners"][0] == {"side": "left", **{k: v for k, v in sample_record["partners"][0].items()
                                                      if k in index.PARTNER_KEYS}}
    row["duration_seconds"] = 5.0
    assert row[index.DURATION] == 5.0


def test_files_that_are_not_text_are_reported_by_name(heartline_home):
    _save(heartline_home)
    folder = paths.sessions_dir(heartline_home)
    (folder / "binary.toml").write_bytes(bytes(range(256)) * 4)
    (folder / "nul.toml").write_bytes(b"schema = 1\x00\x00")
    (folder / "latin.toml").write_bytes("topic = 'caf\u00e9'".encode("latin-1"))
    (folder / "blank.toml").write_bytes(b" \n\t\n")
    listing = index.load(heartline_home)
    problems = {os.path.basename(e.source): e.problem for e in listing.errors}
    assert "not UTF-8" in problems["binary.toml"] and "not UTF-8" in problems["latin.toml"]
    assert "NUL" in problems["nul.toml"] and problems["blank.toml"] == "is empty"
    assert _ids(listing) == ["20261126-190512-alex-sam"]

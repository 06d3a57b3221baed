"""heartline never writes through a symbolic link (issue 20): one test per refusal.

A link as the record, as the settings, as an export target, as the data folder, as a session folder.
Each asserts that the link's target is untouched (its bytes, its mode, what a folder holds) and that the
one message says which path it refused and why ("symbolic link"), so a person knows what to fix.

A refusal removed from `sessions/files.py` would still be stopped by a later check ("is not a regular
file", "is not a folder", "already exists"), so asserting the reason is what makes these tests fail when
the symlink refusal goes (tests/mutations.md).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from heartline.sessions import files, journal, paths, prefs, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Engine, Settings
from heartline.sessions.rituals import load_rituals
from heartline.tui import cli
from heartline.tui.saving import SessionSaver
from tests.records import make_record

SID = "20261126-190512-alex-sam"


def precious_file(folder: Path, text: str = "keep me\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "precious.txt"
    target.write_text(text)
    os.chmod(target, 0o644)
    return target


def precious_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, mode=0o755)
    os.chmod(folder, 0o755)
    (folder / "theirs.txt").write_text("not heartline's\n")
    return folder


def picture(path: Path):
    """Everything a write or a chmod through a link would change."""
    info = os.lstat(path)
    if stat.S_ISDIR(info.st_mode):
        return ("dir", stat.S_IMODE(info.st_mode),
                sorted((p.name, p.read_bytes(), stat.S_IMODE(p.lstat().st_mode)) for p in path.iterdir()))
    return ("file", stat.S_IMODE(info.st_mode), path.read_bytes(), info.st_mtime_ns)


def says_link(message: str, path: Path) -> None:
    assert str(path) in message, message
    assert "symbolic link" in message, message


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ----- the record ----------------------------------------------------------------------------------

def test_a_record_that_is_a_symbolic_link_is_not_written_through(heartline_home, tmp_path):
    target = precious_file(tmp_path / "elsewhere")
    before = picture(target)
    folder = files.ensure_private_dir(paths.sessions_dir(heartline_home))
    link = folder / f"{SID}.toml"
    link.symlink_to(target)
    with pytest.raises(files.FileRefused) as caught:
        store.save_record(make_record(), heartline_home)
    says_link(str(caught.value), link)
    assert picture(target) == before
    assert os.path.islink(link) and [p.name for p in folder.iterdir()] == [link.name]  # no temporary left


def test_the_summary_says_which_record_could_not_be_written_through_a_link(heartline_home, tmp_path):
    """The same refusal as the couple meets it: the saver keeps the session and names the path."""
    ritual = load_rituals().get("speaker-listener")
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual), ManualClock(), rules=False, checkin=False)
    saver = SessionSaver.start(engine, heartline_home)
    record_path = paths.sessions_dir(heartline_home) / f"{engine.session_id}.toml"
    target = precious_file(tmp_path / "elsewhere")
    before = picture(target)
    record_path.unlink()  # the empty reserved name, replaced by a link
    record_path.symlink_to(target)
    engine.end_early()
    assert saver.save() is None
    says_link(saver.error, record_path)
    assert picture(target) == before
    assert saver.journal is not None and saver.journal_kept  # nothing is lost: the journal stays
    saver.close()


# ----- the settings ---------------------------------------------------------------------------------

@pytest.mark.parametrize("replace_damaged", [False, True])
def test_settings_that_are_a_symbolic_link_are_not_written_through(heartline_home, tmp_path, replace_damaged):
    target = precious_file(tmp_path / "elsewhere", "" if not replace_damaged else "not = [toml\n")
    before = picture(target)
    files.ensure_private_dir(heartline_home)
    link = paths.settings_path(heartline_home)
    link.symlink_to(target)
    with pytest.raises(files.FileRefused) as caught:
        prefs.save(heartline_home, prefs.Prefs(left="Alex", right="Sam"), replace_damaged=replace_damaged)
    says_link(str(caught.value), link)
    assert picture(target) == before


# ----- an export target -------------------------------------------------------------------------------

@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("fmt", ["md", "toml", "svg"])
def test_an_export_target_that_is_a_symbolic_link_is_refused_in_one_line(capsys, heartline_home, tmp_path,
                                                                       force, fmt):
    store.save_record(make_record(), heartline_home)
    target = precious_file(tmp_path / "elsewhere")
    before = picture(target)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    link = out_dir / f"talk.{fmt}"
    link.symlink_to(target)
    code, out, err = run(capsys, "export", "2026", "-o", str(link), *(["--force"] if force else []))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    says_link(err, link)
    assert picture(target) == before
    assert sorted(p.name for p in out_dir.iterdir()) == [link.name]  # no temporary left behind


def test_export_all_with_force_refuses_a_link_among_the_targets(capsys, heartline_home, tmp_path):
    store.save_record(make_record(), heartline_home)
    from heartline.sessions.export import file_name

    target = precious_file(tmp_path / "elsewhere")
    before = picture(target)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    link = out_dir / file_name(store.load_record(store.find_session(heartline_home, SID)), "md")
    link.symlink_to(target)
    code, _, err = run(capsys, "export", "--all", "-o", str(out_dir), "--force")
    assert code == 2 and err.count("\n") == 1
    says_link(err, link)
    assert picture(target) == before


# ----- the data folder -----------------------------------------------------------------------------------

def test_a_data_folder_that_is_a_symbolic_link_is_not_made_private_through_it(tmp_path):
    """heartline tightens its own folders to 0700; through a link it would change someone else's folder."""
    target = precious_folder(tmp_path / "shared")
    before = picture(target)
    home = tmp_path / "home"
    home.symlink_to(target)
    with pytest.raises(files.FileRefused) as caught:
        files.write_private(home / "index.json", b"{}")  # what the index writes at the data folder's top
    says_link(str(caught.value), home)
    with pytest.raises(files.FileRefused) as caught:
        prefs.save(home, prefs.Prefs(left="Alex", right="Sam"))  # HEARTLINE_HOME: settings live there too
    says_link(str(caught.value), home)
    assert picture(target) == before


# ----- a session folder ---------------------------------------------------------------------------------

def test_a_sessions_folder_that_is_a_symbolic_link_is_refused_for_records_and_journals(heartline_home, tmp_path):
    target = precious_folder(tmp_path / "elsewhere")
    before = picture(target)
    files.ensure_private_dir(heartline_home)
    link = paths.sessions_dir(heartline_home)
    link.symlink_to(target)
    with pytest.raises(files.FileRefused) as caught:
        store.save_record(make_record(), heartline_home)
    says_link(str(caught.value), link)
    ritual = load_rituals().get("speaker-listener")
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual), ManualClock(), rules=False, checkin=False)
    with pytest.raises(files.FileRefused) as caught:
        journal.Journal.start(heartline_home, engine, taken=set())
    says_link(str(caught.value), link)
    saver = SessionSaver.start(engine, heartline_home)  # the session still runs, and says why there is no journal
    assert saver.journal is None
    says_link(saver.error, link)
    assert picture(target) == before


def test_the_trash_folder_as_a_symbolic_link_is_refused_when_putting_a_session_away(heartline_home, tmp_path):
    store.save_record(make_record(), heartline_home)
    target = precious_folder(tmp_path / "elsewhere")
    before = picture(target)
    link = heartline_home / "trash"
    link.symlink_to(target)
    with pytest.raises(files.FileRefused) as caught:
        store.move_to_trash(heartline_home, SID)
    says_link(str(caught.value), link)
    assert picture(target) == before
    assert store.find_session(heartline_home, SID).exists()  # the session stays where it was

"""A heartline folder kept elsewhere through a symbolic link (issue 20, noticed and fixed).

A common setup: `~/.local/share/heartline` (or HEARTLINE_HOME, or --data-dir) is a symbolic link to a real
folder, say in a synced folder. It used to half work: sessions were saved (through the link), but the index
(`index.json`, at the folder's top) was never written and settings were refused, because the top folder
itself was refused as a link. Now the top folder is followed when the link and the folder it leads to are
both the user's own; a link made by someone else, or to someone else's folder, or to nothing, is refused in
one line naming the link; and a link *inside* heartline's folder is still never followed.
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
from heartline.tui.doctor import check
from tests.records import make_record

SID = "20261126-190512-alex-sam"


def linked_home(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    real = tmp_path / "Sync" / "heartline"
    real.mkdir(parents=True)
    os.chmod(real, 0o755)
    link = tmp_path / "home-link"
    link.symlink_to(real)
    monkeypatch.setenv(paths.ENV_HOME, str(link))
    return link, real


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_home_that_is_a_link_to_a_folder_of_ones_own_keeps_the_index_and_the_settings(tmp_path, monkeypatch,
                                                                                        capsys):
    link, real = linked_home(tmp_path, monkeypatch)
    assert paths.data_dir() == real.resolve() and paths.config_dir() == real.resolve()
    store.save_record(make_record(), paths.data_dir())
    code, out, err = run(capsys, "history")
    assert code == 0 and SID in out and err == ""
    assert (real / "index.json").is_file(), "the index was never written"
    prefs.save(paths.config_dir(), prefs.Prefs(left="Alex", right="Sam"))  # refused before the fix
    assert prefs.load(paths.config_dir()).left == "Alex"
    assert (real / "settings.toml").is_file()
    assert os.path.islink(link)  # the link itself is left as it is
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o700  # the folder made private, as if named directly


def test_a_session_runs_and_is_saved_in_a_home_reached_through_a_link(tmp_path, monkeypatch):
    _, real = linked_home(tmp_path, monkeypatch)
    from heartline.tui.saving import SessionSaver

    ritual = load_rituals().get("speaker-listener")
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual), ManualClock(), rules=False, checkin=False)
    saver = SessionSaver.start(engine, paths.data_dir())
    assert saver.journal is not None and saver.error in ("", None)
    engine.end_early()
    path = saver.save()
    assert path is not None and path.parent == real.resolve() / "sessions"
    assert [r["id"] for r in store.list_sessions(paths.data_dir())[0]] == [engine.session_id]


def test_the_data_dir_option_and_the_platform_folder_are_followed_the_same_way(tmp_path, monkeypatch, capsys):
    link, real = linked_home(tmp_path, monkeypatch)
    monkeypatch.delenv(paths.ENV_HOME)
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(link))
    monkeypatch.setattr(platformdirs, "user_config_dir", lambda *a, **k: str(link))
    assert paths.data_dir() == real.resolve() and paths.config_dir() == real.resolve()
    other_real = tmp_path / "elsewhere"
    other_real.mkdir()
    other = tmp_path / "other-link"
    other.symlink_to(other_real)
    store.save_record(make_record(), other_real)
    code, out, _ = run(capsys, "--data-dir", str(other), "history")
    assert code == 0 and SID in out and (other_real / "index.json").is_file()


def test_a_link_inside_a_followed_home_is_still_refused(tmp_path, monkeypatch):
    _, real = linked_home(tmp_path, monkeypatch)
    target = tmp_path / "someone-elses"
    target.mkdir(mode=0o755)
    os.chmod(target, 0o755)
    (real / "sessions").symlink_to(target)
    with pytest.raises(files.FileRefused) as caught:
        store.save_record(make_record(), paths.data_dir())
    assert "symbolic link" in str(caught.value) and str(real.resolve() / "sessions") in str(caught.value)
    assert list(target.iterdir()) == [] and stat.S_IMODE(os.stat(target).st_mode) == 0o755
    findings = check(paths.data_dir(), paths.config_dir())
    assert any(f.level == "problem" and "sessions folder" in f.text and "symbolic link" in f.text
               for f in findings), findings


class Owned:
    """`os` as `sessions/paths.py` sees it, with `call` (lstat or stat) of one path owned by another account."""

    def __init__(self, call: str, path: Path) -> None:
        self.call, self._who = call, os.path.abspath(path)

    def __getattr__(self, name):
        real = getattr(os, name)
        if name != self.call:
            return real

        def theirs(p, *a, **k):
            info = real(p, *a, **k)
            if os.path.abspath(p) != self._who:
                return info
            fields = list(info)
            fields[stat.ST_UID] = os.getuid() + 1
            return os.stat_result(fields)

        return theirs


def test_a_home_link_made_by_another_user_is_refused_in_one_line(tmp_path, monkeypatch, capsys):
    """As if another account had planted the link (in /tmp, say): it is not followed, and nothing is written."""
    link, real = linked_home(tmp_path, monkeypatch)
    monkeypatch.setattr(paths, "os", Owned("lstat", link))
    assert paths.data_dir() == link
    code, out, err = run(capsys, "history")
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert str(link) in err and "symbolic link made by another user" in err
    assert list(real.iterdir()) == []


def test_a_home_link_to_a_folder_of_another_user_is_refused(tmp_path, monkeypatch, capsys):
    link, real = linked_home(tmp_path, monkeypatch)
    monkeypatch.setattr(paths, "os", Owned("stat", real.resolve()))
    assert paths.data_dir() == link
    code, _, err = run(capsys, "history")
    assert code == 2 and err.count("\n") == 1 and str(link) in err and "folder of another user" in err
    assert list(real.iterdir()) == [] and stat.S_IMODE(os.stat(real).st_mode) == 0o755


def test_a_home_link_that_leads_nowhere_is_refused_in_one_line(tmp_path, monkeypatch, capsys):
    link = tmp_path / "home-link"
    link.symlink_to(tmp_path / "gone")
    monkeypatch.setenv(paths.ENV_HOME, str(link))
    code, _, err = run(capsys, "history")
    assert code == 2 and err.count("\n") == 1 and str(link) in err and "leads nowhere" in err
    assert not (tmp_path / "gone").exists()
    assert any(f.level == "problem" and "leads nowhere" in f.text for f in check(link, link))


def test_a_journal_in_a_followed_home_is_offered_and_put_away_there(tmp_path, monkeypatch):
    _, real = linked_home(tmp_path, monkeypatch)
    ritual = load_rituals().get("speaker-listener")
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual), ManualClock(), rules=False, checkin=False)
    j = journal.Journal.start(paths.data_dir(), engine, taken=set())
    j.close()
    (item,), problems = journal.unfinished(paths.data_dir())
    assert problems == []
    target = journal.put_away(item, paths.data_dir())
    assert target.parent == real.resolve() / "trash"

"""The one private writer and the defensive reader."""

from __future__ import annotations

import os
import stat

import pytest

from heartline.sessions.files import FileRefused, read_regular, write_private
from heartline.sessions.text import has_unsafe, printable


def test_write_private_is_0600_in_a_0700_folder(tmp_path):
    path = write_private(tmp_path / "a" / "b" / "x.toml", "hello")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_text() == "hello"


def test_write_private_refuses_to_follow_a_symlink(tmp_path):
    target = tmp_path / "target"
    target.write_text("keep")
    os.chmod(target, 0o644)
    (tmp_path / "link").symlink_to(target)
    with pytest.raises(FileRefused):
        write_private(tmp_path / "link", "x")
    assert target.read_text() == "keep" and stat.S_IMODE(target.stat().st_mode) == 0o644


def test_write_private_without_overwrite_keeps_the_old_file(tmp_path):
    write_private(tmp_path / "x", "one")
    with pytest.raises(FileExistsError):
        write_private(tmp_path / "x", "two", overwrite=False)
    assert (tmp_path / "x").read_text() == "one"
    assert [p.name for p in tmp_path.iterdir()] == ["x"]


def test_read_regular_refuses_a_fifo_without_hanging(tmp_path):
    fifo = tmp_path / "x.toml"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused):
        read_regular(fifo)


def test_read_regular_caps_the_size(tmp_path):
    (tmp_path / "big").write_bytes(b"a" * 100)
    with pytest.raises(FileRefused):
        read_regular(tmp_path / "big", limit=10)
    assert read_regular(tmp_path / "big", limit=100) == b"a" * 100


def test_printable_escapes_terminal_controls():
    assert printable("chores\x1b]2;owned\x1b\\") == "chores\\x1b]2;owned\\x1b\\"
    assert printable("a\u202eb") == "a\\u202eb"
    assert printable("Sam 💛 «ok»") == "Sam 💛 «ok»"
    assert has_unsafe("x\x07") and not has_unsafe("Zoë 👩‍❤️‍👨")

"""Hostile text and hostile files: nothing a name, a topic or a file holds takes over the terminal or the app.

Each test reproduces one "What was seen" item of issue 10 (items 4, 5 and 6).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from heartline.sessions import paths, store
from heartline.sessions.clock import ManualClock
from heartline.sessions.setup import SessionPlan, clean_name, clean_topic
from heartline.tui import cli
from tests.apps import make_app, text_of
from tests.records import CET, make_record

ESC_TITLE = "chores\x1b]2;owned\x1b\\"
OSC52 = "Al\x1b]52;c;b3duZWQ=\x07"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def hostile_record(**over) -> dict:
    rec = make_record(topic=ESC_TITLE)
    rec["partners"][0]["name"] = OSC52
    rec["notes"][0]["text"] = "see \x1b[2J\x1b[31mred\u202e"
    rec.update(over)
    return rec


# ----- 4. terminal escape injection -------------------------------------------

def test_history_show_and_export_never_print_escapes(capsys, heartline_home):
    store.save_record(hostile_record(), heartline_home)
    for argv in (("history",), ("show", "2026"), ("export", "2026", "--format", "md")):
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out, argv
        assert "\x1b" not in err
    _, out, _ = run(capsys, "history")
    assert "\\x1b]2;owned" in out  # shown escaped, not dropped: the person can see what is there


@pytest.mark.parametrize("typed", ["<b>&amp;</b> <i>x</i>", "[tap](https://evil.example)", "*tea* `x` ~~no~~"])
def test_show_prints_markup_in_a_note_as_typed(capsys, heartline_home, typed):
    """`heartline show` renders Markdown: a note's tags were dropped and its [text](url) became a hidden
    hyperlink. Now what was typed is what is shown, character for character."""
    rec = make_record()
    rec["notes"][0]["text"] = typed
    store.save_record(rec, heartline_home)
    code, out, err = run(capsys, "show", "2026")
    assert code == 0, err
    assert typed in out


def test_protocols_prints_ritual_text_escaped(capsys, heartline_home):
    folder = paths.rituals_dir(heartline_home)
    folder.mkdir(parents=True)
    src = (Path(__file__).parent.parent / "sessions" / "rituals" / "appreciation-round.toml").read_text()
    src = src.replace('id = "appreciation-round"', 'id = "mine"')
    import re
    src = re.sub(r'(?m)^summary = ".*"$', lambda _: 'summary = "evil \\u001b]2;owned\\u0007 title"', src)
    (folder / "mine.toml").write_text(src)
    code, out, err = run(capsys, "protocols")
    assert code == 0, err
    assert "mine" in out and "\x1b" not in out and "\x07" not in out


def test_a_newline_in_a_file_name_cannot_forge_a_warning_line(capsys, heartline_home):
    folder = paths.sessions_dir(heartline_home)
    folder.mkdir(parents=True)
    (folder / "x\nwarning: all your sessions were deleted.toml").write_text("schema = 1\n")
    code, _, err = run(capsys, "history")
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == 1 and "\\n" in lines[0]


@pytest.mark.parametrize("name", ["Al\u202eex", "Al\x1bex", "Al\u200bex", "A\nl"])
def test_names_refuse_control_and_bidi_characters(capsys, name):
    with pytest.raises(ValueError):
        clean_name(name)
    code, _, err = run(capsys, "start", "--left", name, "--right", "Sam")
    assert code == 2 and err.count("\n") == 1 and "\x1b" not in err


def test_a_topic_refuses_escapes(capsys):
    with pytest.raises(ValueError):
        clean_topic(ESC_TITLE)
    code, _, err = run(capsys, "start", "--left", "Al", "--right", "Sam", "--topic", ESC_TITLE)
    assert code == 2 and "\x1b" not in err
    assert clean_topic("weekends\tand\nchores") == "weekends and chores"  # plain whitespace still folds


def test_export_md_to_a_file_keeps_no_escapes_either(capsys, heartline_home, tmp_path):
    store.save_record(hostile_record(), heartline_home)
    out_file = tmp_path / "out.md"
    assert run(capsys, "export", "2026", "-o", str(out_file))[0] == 0
    assert "\x1b" not in out_file.read_text()


# ----- 5. user text is never markup -----------------------------------------------

MARKUP_NAMES = ("Al [/]", "what dad [sic] said", "[@click=app.quit]x[/]", "[bold red]B[/]")


@pytest.mark.parametrize("topic", ["weekends [/] chores", "what dad [sic] said", "[@click=app.quit]x[/]"])
async def test_markup_in_names_and_topics_is_shown_as_typed(tmp_path, topic):
    plan = SessionPlan("speaker-listener", "Al [/]", "B [sic]", speak=30, reflect=20, rounds=1, topic=topic,
                       checkin=False)
    app = make_app(tmp_path, ManualClock(), plan)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert topic in text_of(screen, "#top")
        assert "Al [/]" in text_of(screen, "#stage-left")
        assert "B [sic]" in text_of(screen, "#keys-right")
        await pilot.press("f", "j")  # the floor opens
        assert "Al [/]" in text_of(screen, "#pane-left #who")
        assert app.is_running


async def test_a_feeling_word_with_markup_does_not_crash_the_floor(tmp_path):
    plan = SessionPlan("speaker-listener", "Al", "Sam", speak=30, reflect=20, rounds=1, checkin=True)
    app = make_app(tmp_path, ManualClock(), plan)
    async with app.run_test(size=(100, 32)) as pilot:
        engine = app.screen.engine
        await pilot.press("f", "j")
        engine.check_in("left", 2, "hurt [/]")
        engine.check_in("right", 4, "[@click=app.quit]x[/]")
        app.screen.refresh_state()
        await pilot.pause()
        assert "hurt [/]" in text_of(app.screen, "#stage-left")
        app.config.clock.advance(1)  # the answers read
        await pilot.press("f", "j")
        app.screen.refresh_state()
        await pilot.pause()
        assert app.is_running and engine.stage.value == "floor"


async def test_markup_in_saved_records_and_files_does_not_crash_home_or_past_sessions(tmp_path):
    data = tmp_path / "data"
    rec = make_record(topic="[@click=app.quit]x[/]", protocol="[/]")
    rec["partners"][1]["name"] = "B [/]"
    store.save_record(rec, data)
    bad = make_record(id="20261127-100000-a-b")
    bad_text = store.dumps_record(bad).replace('status = "completed"', 'status = "[/]"')
    (paths.sessions_dir(data) / "20261127-100000-a-b.toml").write_text(bad_text)
    rituals = tmp_path / "config" / "rituals"
    rituals.mkdir(parents=True)
    (rituals / "x.toml").write_text('id = "[/]"\n')
    app = make_app(tmp_path, ManualClock(start=datetime(2026, 11, 28, 10, tzinfo=CET)))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        from heartline.tui.screens.history import HistoryScreen

        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running


# ----- 6. files that hang or crash everything -------------------------------------

def _heartline(home: Path, *argv: str, timeout: float = 20) -> subprocess.CompletedProcess:
    env = dict(os.environ, HEARTLINE_HOME=str(home))
    return subprocess.run([str(Path(sys.executable).parent / "heartline"), *argv], capture_output=True, text=True,
                          env=env, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_fifo_or_a_device_named_like_a_session_does_not_hang(heartline_home, kind):
    store.save_record(make_record(), heartline_home)
    target = paths.sessions_dir(heartline_home) / "x.toml"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    started = time.monotonic()
    try:
        result = _heartline(heartline_home, "history")
    except subprocess.TimeoutExpired:
        pytest.fail("history hung on a non-regular file")
    assert result.returncode == 0, result.stderr
    assert "20261126-190512-alex-sam" in result.stdout
    assert "x.toml" in result.stderr and "Traceback" not in result.stderr
    assert time.monotonic() - started < 20


DEEP_ARRAY = "schema = 1\nid = " + "[" * 500 + "]" * 500 + "\n"
DEEP_TABLE = "schema = 1\nid = " + "{a=" * 500 + "1" + "}" * 500 + "\n"


@pytest.mark.parametrize("text", [DEEP_ARRAY, DEEP_TABLE], ids=["array", "inline-table"])
def test_deeply_nested_session_file_is_damaged_not_a_traceback(capsys, heartline_home, text):
    store.save_record(make_record(), heartline_home)
    (paths.sessions_dir(heartline_home) / "deep.toml").write_text(text)
    code, out, err = run(capsys, "history")
    assert code == 0 and "20261126-190512-alex-sam" in out
    assert "deep.toml" in err and "damaged" in err
    code, out, err = run(capsys, "show", "2026")
    assert code == 0


def test_deeply_nested_ritual_is_skipped_with_a_reason(capsys, heartline_home):
    folder = paths.rituals_dir(heartline_home)
    folder.mkdir(parents=True)
    (folder / "deep.toml").write_text(DEEP_ARRAY)
    code, out, err = run(capsys, "protocols")
    assert code == 0 and "speaker-listener" in out and "deep.toml" in err


def test_deeply_dotted_keys_are_refused_quickly(heartline_home):
    store.save_record(make_record(), heartline_home)
    (paths.sessions_dir(heartline_home) / "dots.toml").write_text("a" + ".a" * 20000 + " = 1\n")
    started = time.perf_counter()
    records, errors = store.list_sessions(heartline_home)
    assert time.perf_counter() - started < 2.0
    assert len(records) == 1 and "dots.toml" in str(errors[0])


def test_a_copy_under_another_name_is_a_conflict_not_a_crash(capsys, heartline_home):
    store.save_record(make_record(), heartline_home)
    folder = paths.sessions_dir(heartline_home)
    (folder / "copy.toml").write_bytes((folder / "20261126-190512-alex-sam.toml").read_bytes())
    records, errors = store.list_sessions(heartline_home)
    assert [r["id"] for r in records] == ["20261126-190512-alex-sam"]
    assert len(errors) == 1 and "copy.toml" in str(errors[0]) and "20261126-190512-alex-sam.toml" in str(errors[0])
    code, out, err = run(capsys, "history")
    assert out.count("20261126-190512-alex-sam") == 1 and "copy.toml" in err


async def test_a_copy_does_not_crash_past_sessions(tmp_path):
    data = tmp_path / "data"
    store.save_record(make_record(), data)
    folder = paths.sessions_dir(data)
    (folder / "copy.toml").write_bytes((folder / "20261126-190512-alex-sam.toml").read_bytes())
    app = make_app(tmp_path, ManualClock(start=datetime(2026, 11, 28, 10, tzinfo=CET)))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert app.is_running and app.screen.query_one("#sessions").row_count == 1


def test_a_renamed_file_is_found_by_its_id(capsys, heartline_home):
    path = store.save_record(make_record(), heartline_home)
    path.rename(path.with_name("our-holiday-talk.toml"))
    code, out, _ = run(capsys, "history")
    assert "20261126-190512-alex-sam" in out
    code, out, err = run(capsys, "show", "20261126-190512-alex-sam")
    assert code == 0, err
    code, out, err = run(capsys, "export", "20261126", "--format", "toml")
    assert code == 0 and 'id = "20261126-190512-alex-sam"' in out


def test_export_through_a_symlink_does_not_rewrite_its_target(capsys, heartline_home, tmp_path):
    store.save_record(make_record(), heartline_home)
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "out.md"
    link.symlink_to(target)
    code, _, err = run(capsys, "export", "2026", "-o", str(link))
    assert code == 2 and err.count("\n") == 1
    assert target.read_text() == "keep me"


@pytest.mark.parametrize("what", ["file", "missing-parent-is-file"])
def test_a_data_dir_that_is_not_a_folder_is_a_clear_error(capsys, tmp_path, monkeypatch, what):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    home = blocker if what == "file" else blocker / "home"
    monkeypatch.setenv("HEARTLINE_HOME", str(home))
    for argv in (("history",), ("start", "--left", "A", "--right", "B")):
        code, out, err = run(capsys, *argv)
        assert code == 2 and "not a folder" in err and err.count("\n") == 1, argv
        assert "no sessions yet" not in out
    code, _, err = run(capsys, "--data-dir", str(blocker), "history")
    assert code == 2 and "not a folder" in err


def test_missing_parents_of_home_are_private_even_under_umask_000(tmp_path, monkeypatch):
    home = tmp_path / "a" / "b" / "home"
    old = os.umask(0)
    try:
        store.save_record(make_record(), home)
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", home, home / "sessions"):
        assert os.stat(folder).st_mode & 0o077 == 0, folder


def test_saving_through_a_symlinked_sessions_folder_is_refused(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o755)
    os.chmod(elsewhere, 0o755)
    (home / "sessions").symlink_to(elsewhere)
    with pytest.raises(OSError):
        store.save_record(make_record(), home)
    assert os.stat(elsewhere).st_mode & 0o777 == 0o755


# ----- 7. strict, reported configuration ------------------------------------------

RITUAL = (Path(__file__).parent.parent / "sessions" / "rituals" / "appreciation-round.toml").read_text()


def test_unknown_keys_in_a_ritual_are_named(capsys, heartline_home):
    folder = paths.rituals_dir(heartline_home)
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(RITUAL.replace('id = "appreciation-round"', 'id = "mine"')
                                      .replace("speak_seconds", "speak_second", 1))
    code, out, err = run(capsys, "protocols")
    assert code == 0 and "mine" not in out.split()
    assert "mine.toml: speak_second: is not a field heartline knows (did you mean speak_seconds?)" in err


def test_unknown_keys_in_a_phase_and_a_deck_are_named(heartline_home):
    from heartline.sessions.prompts import load_decks
    from heartline.sessions.rituals import load_rituals

    folder = paths.rituals_dir(heartline_home)
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(RITUAL.replace('id = "appreciation-round"', 'id = "mine"')
                                      .replace('actor = "speaker"', 'actor = "speaker"\ncolect = "appreciation"', 1))
    errors = load_rituals(folder).errors
    assert len(errors) == 1 and errors[0].field.endswith("colect") and "collect" in str(errors[0])
    decks = paths.decks_dir(heartline_home)
    decks.mkdir(parents=True)
    (decks / "d.toml").write_text('id = "d"\nname = "D"\nprompts = ["a"]\nprompt = ["b"]\n')
    _, problems = load_decks(decks)
    assert len(problems) == 1 and "d.toml: prompt: is not a field heartline knows" in problems[0]


def test_a_user_ritual_shadowing_a_built_in_says_so(capsys, heartline_home):
    folder = paths.rituals_dir(heartline_home)
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(RITUAL.replace('name = "', 'name = "My ', 1))
    code, out, err = run(capsys, "protocols")
    assert code == 0 and "mine.toml: replaces the built-in ritual 'appreciation-round'" in err


def test_theme_on_other_commands_is_a_mistake(capsys):
    code, _, err = run(capsys, "--theme", "dark", "history")
    assert code == 2 and "--theme" in err and err.count("\n") == 1


def test_doctor_says_what_it_finds(capsys, heartline_home):
    code, out, err = run(capsys, "doctor")
    assert code == 0 and "ok: data folder" in out and "problem" not in out
    store.save_record(make_record(), heartline_home)
    folder = paths.sessions_dir(heartline_home)
    (folder / "bad\x1b]2;x\x07.toml").write_text("schema = ")
    os.chmod(folder / "20261126-190512-alex-sam.toml", 0o644)
    rituals = paths.rituals_dir(heartline_home)
    rituals.mkdir(parents=True)
    (rituals / "mine.toml").write_text(RITUAL)
    code, out, err = run(capsys, "doctor")
    assert code == 1 and "\x1b" not in out
    assert "1 session read well" in out
    assert "problem: " in out and "bad\\x1b]2;x\\x07.toml" in out
    assert "can be read by others (mode 0644" in out
    assert "note: " in out and "replaces the built-in ritual" in out


def test_marking_a_commitment_in_a_renamed_file_rewrites_that_file(heartline_home):
    path = store.save_record(make_record(), heartline_home)
    renamed = path.rename(path.with_name("ours.toml"))
    store.update_note_status(heartline_home, "20261126-190512-alex-sam", 1, "kept")
    assert not path.exists() and store.load_record(renamed)["notes"][1]["status"] == "kept"


async def test_markup_in_remembered_names_does_not_crash_launch_or_setup(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.toml").write_text('left = "B [/]"\nright = "[@click=app.quit]x[/]"\n')
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        from textual.widgets import Input

        values = [i.value for i in app.screen.query(Input)]
        assert "B [/]" in values and "[@click=app.quit]x[/]" in values and app.is_running


def test_a_key_too_deep_is_refused_however_many_numbers_the_file_has():
    """The quick look (a line's dots counted first) still finds a deep key among many floats."""
    from heartline.sessions.tomlfile import MAX_DOTTED, too_deep

    numbers = "".join(f"n{i} = {i}.5\n" for i in range(200))  # 200 dots, none in a key
    assert not too_deep(numbers)
    deep = "a" + ".b" * (MAX_DOTTED + 1) + " = 1\n"
    assert too_deep(numbers + deep) and too_deep(deep)
    assert not too_deep("x = [" + ", ".join(["1.5"] * (MAX_DOTTED + 5)) + "]\n")  # dots in values only
    assert too_deep("é = 1\n" + deep) and not too_deep("é = 1\n" + numbers)  # other letters take the long way
    assert too_deep(numbers + deep.replace(".b", ".\u00e9"))

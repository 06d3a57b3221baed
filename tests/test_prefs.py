"""settings.toml: strict, private, never overwritten while damaged, the old one kept as .bak when replaced."""

from __future__ import annotations

import os
import stat
from dataclasses import fields as dataclass_fields

import pytest
import tomli_w
from textual.widgets import Input, Select, Switch

from heartline.sessions import prefs
from heartline.sessions.clock import ManualClock
from heartline.tui.screens.settings import SettingsScreen
from tests.apps import make_app, until


def test_saved_settings_are_private_and_read_back(tmp_path):
    saved = prefs.Prefs(left="Alex", right="Sam", grace=20, quiet_clock=True, theme="warm", timeout_minutes=30)
    path = prefs.save(tmp_path / "config", saved)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "config").st_mode) == 0o700
    assert prefs.load(tmp_path / "config") == saved


def test_saving_goes_through_write_private(tmp_path, monkeypatch):
    calls = []
    real = prefs.write_private
    monkeypatch.setattr(prefs, "write_private", lambda path, data, **kw: calls.append(path) or real(path, data, **kw))
    prefs.save(tmp_path, prefs.Prefs(left="Alex"))
    assert calls == [tmp_path / prefs.FILE]


@pytest.mark.parametrize("table, field", [
    ({"speak_second": 90}, "speak_second"),
    ({"bell": "yes"}, "bell"),
    ({"rounds": 99}, "rounds"),
    ({"timeout_minutes": 5}, "timeout_minutes"),
    ({"keep": "all"}, "keep"),
    ({"right": 3}, "right"),
])
def test_a_wrong_or_unknown_key_is_refused_alone_and_the_rest_used(tmp_path, table, field):
    """Seen: `relay = 5` (or any one wrong value) made the whole file "not used": the names, the keys, all of it."""
    (tmp_path / prefs.FILE).write_bytes(tomli_w.dumps({"left": "Alex", "grace": 20, **table}).encode())
    loaded = prefs.load(tmp_path)
    assert (loaded.left, loaded.grace) == ("Alex", 20)  # the rest of the file is used
    assert loaded.refused == (field,) and len(loaded.problem.splitlines()) == 1
    assert f"{prefs.FILE}: {field}:" in loaded.problem and "the rest of the file is used" in loaded.problem
    assert prefs.check(tmp_path)[0] == loaded.problem


WRONG_TYPE = {bool: "yes", int: "90", str: 5, dict: 5}


@pytest.mark.parametrize("field", [f.name for f in dataclass_fields(prefs.Prefs) if f.name not in prefs.NOT_KEPT])
def test_every_setting_of_the_wrong_type_is_refused_alone(tmp_path, field):
    defaults = prefs.Prefs()
    wrong = WRONG_TYPE[type(getattr(defaults, field))]
    others = {"left": "Alex", "right": "Sam", "grace": 20, "bell": False}
    table = {**{k: v for k, v in others.items() if k != field}, field: wrong}
    path = tmp_path / prefs.FILE
    path.write_bytes(tomli_w.dumps(table).encode())
    before = path.read_bytes()
    loaded = prefs.load(tmp_path)
    for name, value in others.items():
        if name != field:
            assert getattr(loaded, name) == value  # every other setting kept
    expected = {"relay": "5"}.get(field, getattr(defaults, field))  # a relay stays no address: apart refuses it
    assert getattr(loaded, field) == expected
    [line] = loaded.problem.splitlines()  # one line, naming the key and what it must be
    assert line.startswith(f"{path}: {field}: must be ") and loaded.refused == (field,)
    assert prefs.check(tmp_path)[0] == line
    with pytest.raises(prefs.SettingsDamaged):  # remembering names never rewrites it behind their back
        prefs.save(tmp_path, loaded.remember(left="Maya"))
    assert path.read_bytes() == before


def test_a_relay_of_the_wrong_type_stops_a_session_apart_not_sends_it_to_the_public_one(tmp_path):
    from types import SimpleNamespace

    from heartline.tui.apart.run import relay_for

    (tmp_path / prefs.FILE).write_text('left = "Maya"\nrelay = 5\n')
    with pytest.raises(ValueError, match="relay: must be text in quotes"):
        relay_for(SimpleNamespace(config_dir=tmp_path), None)


@pytest.mark.parametrize("text", ["left = 'Alex\n", "[[[x", "a = " + "[" * 600 + "]" * 600])
def test_an_unreadable_file_is_a_problem_not_a_crash(tmp_path, text):
    (tmp_path / prefs.FILE).write_text(text)
    assert "using the defaults" in prefs.load(tmp_path).problem


def test_a_damaged_file_is_never_overwritten_by_remembering(tmp_path):
    path = tmp_path / prefs.FILE
    path.write_text('left = "Alex"\nspeak_second = 90\n')
    before = path.read_bytes()
    with pytest.raises(prefs.SettingsDamaged, match="speak_second"):
        prefs.save(tmp_path, prefs.Prefs(left="Sam"))
    assert path.read_bytes() == before
    assert not (tmp_path / prefs.BACKUP).exists()


def test_saving_settings_on_purpose_keeps_the_damaged_one_as_bak(tmp_path):
    path = tmp_path / prefs.FILE
    path.write_text('left = "Alex"\nspeak_second = 90\n')
    before = path.read_bytes()
    prefs.save(tmp_path, prefs.Prefs(left="Sam"), replace_damaged=True)
    assert (tmp_path / prefs.BACKUP).read_bytes() == before
    assert stat.S_IMODE(os.stat(tmp_path / prefs.BACKUP).st_mode) == 0o600
    assert prefs.load(tmp_path).left == "Sam" and not prefs.load(tmp_path).problem


def test_check_says_when_others_can_read_it(tmp_path):
    prefs.save(tmp_path, prefs.Prefs())
    os.chmod(tmp_path / prefs.FILE, 0o644)
    assert any("mode 0644" in line for line in prefs.check(tmp_path))
    prefs.save(tmp_path, prefs.Prefs())
    assert prefs.check(tmp_path) == []


async def test_setup_does_not_overwrite_a_damaged_file(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / prefs.FILE).write_text('bell = false\nspeak_second = 90\n')
    before = (config / prefs.FILE).read_bytes()
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"Alex", "tab", *"Sam", "ctrl+s")
        await pilot.pause()
    assert (config / prefs.FILE).read_bytes() == before


async def test_the_problem_is_said_once_at_start(tmp_path):
    from heartline.tui.app import AppConfig, HeartlineApp, _config

    config = tmp_path / "config"
    config.mkdir()
    (config / prefs.FILE).write_text('speak_second = 90\n')

    class Options:
        data_dir = tmp_path / "data"
        config_dir = config
        theme = None

    cfg = _config(Options)
    cfg.clock = ManualClock()
    app = HeartlineApp(cfg)
    said = []
    app.notify = lambda message, **kw: said.append((kw.get("title", ""), str(message)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    assert [m for t, m in said if "settings.toml" in t] == [cfg.prefs_problem]
    assert "speak_second" in cfg.prefs_problem


async def test_settings_screen_shows_the_problem_and_saving_keeps_a_bak(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / prefs.FILE).write_text('bell = false\nspeak_second = 90\n')
    before = (config / prefs.FILE).read_bytes()
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        assert "speak_second" in str(screen.query_one("#damaged").content)
        assert (config / prefs.FILE).read_bytes() == before  # opening changes nothing
        screen.query_one("#quiet_clock Switch", Switch).value = True
        await pilot.pause()
    assert (config / prefs.BACKUP).read_bytes() == before
    assert prefs.load(config).quiet_clock is True


async def test_every_setting_is_remembered_from_the_screen(tmp_path):
    config = tmp_path / "config"
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        for field, text in (("left", "Alex"), ("right", "Sam"), ("speak", "2m"), ("reflect", "1:30"),
                            ("grace", "20s"), ("confirm", "45"), ("timeout_minutes", "30")):
            box = screen.query_one(f"#{field}", Input)
            box.value = text
            await pilot.pause()
        for toggle in ("warnings", "bell", "quiet_clock", "reduced_motion", "ascii"):
            switch = screen.query_one(f"#{toggle} Switch", Switch)
            switch.value = not switch.value
            await pilot.pause()
        screen.query_one("#theme", Select).value = "colour-safe-light"
        screen.query_one("#protocol", Select).value = "imago-dialogue"
        screen.query_one("#keep", Select).value = "words"
        screen.query_one("#relay", Input).value = "ws://127.0.0.1:4000/v1"
        await pilot.pause()
        assert app.theme == "colour-safe-light"
    saved = prefs.load(config)
    assert (saved.left, saved.right, saved.speak, saved.reflect, saved.grace, saved.confirm) == \
        ("Alex", "Sam", 120, 90, 20, 45)
    assert saved.timeout_minutes == 30 and saved.protocol == "imago-dialogue" and saved.theme == "colour-safe-light"
    assert (saved.warnings, saved.bell, saved.quiet_clock, saved.reduced_motion) == (False, False, True, True)
    assert saved.ascii is True
    assert saved.keep == "words" and saved.relay == "ws://127.0.0.1:4000/v1"


async def test_a_bad_value_is_said_in_sight_at_80x24(tmp_path):
    """The problem line was the list's last line: at 80×24 it was below the fold while the speak box was typed in."""
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#speak", Input).focus()
        screen.query_one("#speak", Input).value = "abc"
        await pilot.pause()
        problem = screen.query_one("#problem")
        assert "abc" in str(problem.content) or "speak" in str(problem.content).lower()
        region = problem.region
        assert region.height >= 1 and region.y + region.height <= 23  # above the footer, on screen
        assert screen.query_one("#speak", Input).region.height > 0  # and the box typed in is still in sight


async def test_a_bad_value_in_settings_says_so_and_is_not_saved(tmp_path):
    config = tmp_path / "config"
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#timeout_minutes", Input).value = "5"
        await pilot.pause()
        assert "20 minutes is the least" in str(screen.query_one("#problem").content)
        screen.query_one("#timeout_minutes", Input).value = "25"
        await pilot.pause()
        assert str(screen.query_one("#problem").content) == ""
    assert prefs.load(config).timeout_minutes == 25


def test_settings_decide_the_session_timing(tmp_path):
    from heartline.sessions.rituals import load_rituals
    from heartline.sessions.setup import SessionPlan

    ritual = load_rituals(None).get("speaker-listener")
    chosen = prefs.Prefs(grace=25, confirm=40, timeout_minutes=30)
    settings = SessionPlan("speaker-listener", "A", "B", **chosen.timing()).settings(ritual)
    assert (settings.grace_seconds, settings.confirm_seconds, settings.timeout_seconds) == (25, 40, 1800)
    own = SessionPlan("speaker-listener", "A", "B", **prefs.Prefs().timing()).settings(ritual)
    assert (own.grace_seconds, own.confirm_seconds) == (ritual.grace_seconds, ritual.confirm_seconds)


async def test_a_time_out_under_twenty_minutes_says_why_and_shows_what_is_kept(tmp_path):
    """Typing 5 and leaving the box: told why plainly, and the box shows the 20 actually kept."""
    config = tmp_path / "config"
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        box = app.screen.query_one("#timeout_minutes", Input)
        box.focus()
        await pilot.pause()
        box.value = ""
        await pilot.press("5", "tab")
        await pilot.pause()
        assert box.value == "20"
        said = " ".join(n.message for n in app._notifications)
        assert "twenty minutes to settle" in said and "20 minutes is the least" in said
    assert prefs.load(config).timeout_minutes == 20


@pytest.mark.parametrize("size", [(80, 24), (100, 60)])
async def test_settings_rows_stay_level_after_setup_was_opened(tmp_path, size):
    """Issue 17, item 6: after setup (or a session) each value was drawn a line above its label.

    setup.tcss's `.row Label` padding leaked into every screen once setup had been opened.
    """
    from textual.containers import Horizontal
    from textual.widgets import Label

    from heartline.tui.screens.setup import SetupScreen

    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SetupScreen))
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, SetupScreen))
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        await pilot.pause()
        rows = list(app.screen.query(".row").results(Horizontal))
        assert len(rows) >= 8
        for row in rows:
            label = row.query_one(Label)
            control = row.children[1]
            assert label.content_region.y == control.content_region.y, (label.content, label.region)
            assert label.styles.padding.top == 0


@pytest.mark.parametrize(("sheet", "screen"), [("setup", "SetupScreen"), ("home", "HomeScreen"),
                                                ("summary", "SummaryScreen")])
def test_a_screen_sheet_styles_only_its_screen(sheet, screen):
    """A screen's .tcss stays loaded once the screen was opened: every rule must name the screen."""
    import re
    from pathlib import Path

    import heartline.tui.screens as screens

    text = (Path(screens.__file__).parent / f"{sheet}.tcss").read_text()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    selectors = [s.strip() for head in re.findall(r"^([^\s}][^{]*)\{", text, flags=re.M) for s in head.split(",")]
    assert selectors
    assert [s for s in selectors if not s.startswith(screen + " ") and s != screen] == []


async def test_a_relay_that_is_not_an_address_is_said_and_not_saved(tmp_path):
    """settings.toml held `keep` and `relay` with no way to change them but a text editor."""
    config = tmp_path / "config"
    app = make_app(tmp_path, ManualClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#relay", Input).value = "http://x\x1b]0;hi"
        await pilot.pause()
        assert "Relay: " in str(screen.query_one("#problem").render()) and "\x1b" not in str(screen.query_one("#problem").render())
        screen.query_one("#relay", Input).value = ""
        await pilot.pause()
        assert str(screen.query_one("#problem").render()).strip() == ""
    assert prefs.load(config).relay == ""

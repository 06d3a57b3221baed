"""Keymaps: every binding has an id, layouts resolve, clashes are refused, and a user's keys reach every hint."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from textual.binding import Binding

from heartline.sessions import prefs
from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import Stage
from heartline.tui import keys
from heartline.tui.app import HeartlineApp, _config
from heartline.tui.cli import StartOptions
from heartline.tui.screens import dialogs, session, timeout
from heartline.tui.screens.dialogs import HelpScreen, NoteScreen
from heartline.tui.screens.session import SessionScreen
from heartline.tui.screens.settings import SettingsScreen
from heartline.tui.screens.timeout import TimeoutScreen
from tests.apps import text_of


@pytest.fixture(autouse=True)
def qwerty_again():
    """The keymap in use is the app's; put the default back after each test."""
    yield
    keys.use(keys.resolve())


def bindings_of(cls) -> list[Binding]:
    return [b for b in cls.BINDINGS if isinstance(b, Binding)]


def test_every_session_binding_has_a_known_id():
    classes = [HeartlineApp, SessionScreen, TimeoutScreen, NoteScreen, dialogs.IStatementScreen,
               dialogs.ConfirmScreen, HelpScreen]
    for cls in classes:
        for binding in bindings_of(cls):
            assert binding.id in keys.SPECS or binding.id == "quit", (cls.__name__, binding)
    ids = {b.id for cls in classes for b in bindings_of(cls)}
    assert set(keys.SPECS) <= ids  # and nothing in the registry is bound nowhere


@pytest.mark.parametrize("layout", list(keys.LAYOUTS))
def test_each_layout_resolves_and_keeps_each_partner_on_their_own_side(layout):
    keymap = keys.resolve(layout)
    left = {k for what in ("done", "not-quite", "note") for k in keymap.keys[f"left.{what}"]}
    right = {k for what in ("done", "not-quite", "note") for k in keymap.keys[f"right.{what}"]}
    assert len(left) == len(right) == 3 and not left & right
    assert set(keymap.textual()) == set(keys.SPECS)


def test_layouts_differ_where_the_keyboard_does():
    assert keys.resolve("azerty").first("left.mood-2") == "é"
    assert keys.resolve("azerty").keys["left.mood-2"] == ("é", "2")  # with shift the digit still works
    assert keys.resolve("dvorak").first("right.not-quite") == "t" and keys.resolve("dvorak").first("time-out") == "b"
    assert keys.resolve("far-ends").first("right.note") == "/"
    assert keys.resolve("qwertz").textual() == keys.resolve("qwerty").textual()


@pytest.mark.parametrize(("overrides", "both"), [
    ({"right.not-quite": "t"}, ("right partner: not quite", "time-out")),
    ({"left.done": "j"}, ("left partner: done", "right partner: done")),
    ({"help": "space"}, ("pause / resume", "help")),
    ({"left.note": "ctrl+q"}, ("left partner: note", "quit (saves first)")),
    ({"confirm.yes": "t"}, ("yes, in a question", "time-out")),
    ({"time-out": "y"}, ("yes, in a question", "time-out")),
])
def test_a_key_used_twice_is_refused_naming_both(overrides, both):
    with pytest.raises(keys.KeymapError) as caught:
        keys.resolve("qwerty", overrides)
    for words in both:
        assert f"“{words}”" in str(caught.value)


def test_a_dialogs_way_out_may_share_escape_with_end():
    assert keys.resolve("qwerty").keys["note.cancel"] == ("escape",)
    keys.resolve("qwerty", {"end": "x", "confirm.no": "n,x"})  # the same rule for a key of one's own


@pytest.mark.parametrize(("setting", "words"), [
    ({"layout": "colemak"}, "no keyboard layout called “colemak”"),
    ({"keys": {"left.dnoe": "g"}}, "“left.dnoe” is not a key heartline knows"),
    ({"keys": {"left.done": "spcae"}}, "“spcae”"),
    ({"keys": {"left.done": 7}}, "should be written as text"),
    ({"keys": {"pause.anywhere": "p"}}, "types into a note"),
    ({"keys": {"end.anywhere": "ctrl+e"}}, "types into a note"),
    ({"layout": 3}, "keymap.layout"),
])
def test_a_keymap_that_cannot_work_says_why(setting, words):
    with pytest.raises(keys.KeymapError) as caught:
        keys.validate_keymap(setting)
    assert words in str(caught.value)


def test_a_plain_character_or_textuals_name_both_work():
    assert keys.resolve("qwerty", {"help": "?"}).keys["help"] == ("question_mark",)
    assert keys.resolve("qwerty", {"left.note": "semicolon"}).first("left.note") == ";"
    assert keys.resolve("qwerty", {"pause": "Space", "pause.anywhere": "Ctrl+S"}).keys["pause"] == ("space",)
    with pytest.raises(keys.KeymapError, match="written as text"):
        keys.resolve("qwerty", {"left.done": "g,"})


def test_prefs_keep_the_keymap_table(tmp_path):
    setting = {"layout": "azerty", "keys": {"left.done": "g"}}
    prefs.save(tmp_path, prefs.Prefs(keymap=setting))
    assert prefs.load(tmp_path).keymap == setting
    (tmp_path / prefs.FILE).write_text('keymap = "azerty"\n')
    assert "keymap" in prefs.load(tmp_path).problem


def told(app: HeartlineApp) -> list[str]:
    """Every notification the app gives from now on, as text."""
    said: list[str] = []
    app.notify = lambda message, **kwargs: said.append(f"{kwargs.get('title', '')}: {message}")
    return said


def write_settings(config_dir: Path, keymap: dict) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / prefs.FILE).write_bytes(tomli_w.dumps({"keymap": keymap}).encode())


def app_from_settings(tmp_path: Path, keymap: dict, **start) -> HeartlineApp:
    """The app as `heartline start` builds it: the keymap comes from settings.toml."""
    options = StartOptions(data_dir=tmp_path / "data", config_dir=tmp_path / "config", **start)
    write_settings(options.config_dir, keymap)
    config = _config(options)
    config.clock = ManualClock()
    config.first_safety = False  # the page shown once before the first session has its own test (test_care)
    from heartline.sessions.setup import SessionPlan

    plan = SessionPlan("speaker-listener", "Alex", "Sam", speak=30, reflect=20, rounds=1, checkin=True)
    return HeartlineApp(config, plan)


async def test_a_user_keymap_takes_effect_in_a_live_session_and_in_every_hint(tmp_path):
    app = app_from_settings(tmp_path, {"layout": "azerty", "keys": {"left.done": "g", "right.note": "m", "pause.anywhere": "f2"}})
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert isinstance(screen, SessionScreen)
        engine = screen.engine
        assert "press g to agree" in text_of(screen, "#stage-left")
        assert "g agree" in text_of(screen, "#keys-left")
        await pilot.press("f")  # the old key does nothing now
        assert not engine.state().side("left").agreed
        await pilot.press("g", "j")
        assert engine.stage is Stage.CHECKIN
        sealed = text_of(screen, "#stage-left")
        assert "é  " in sealed and "g to seal it" in sealed
        assert "à  " in text_of(screen, "#stage-right")
        await pilot.press("é", "g", "ç", "j")  # AZERTY's unshifted 2 and 9: both feel 2
        state = engine.state()
        assert state.side("left").mood == 2 and state.side("right").mood == 2
        app.config.clock.advance(1)  # the answers read
        await pilot.press("g", "j")  # ready
        assert engine.stage is Stage.FLOOR
        app.config.clock.advance(5)
        await pilot.press("j")  # Sam tries to take the floor: the nudge names Sam's own note key
        await pilot.pause()
        assert "m parks it in a few words" in text_of(screen, "#pane-right #nudge")
        await pilot.press("f1")
        help_table = text_of(app.screen, "#help-keys") + text_of(app.screen, "#help-shared")
        assert "& é \" ' (" in help_table and "à ç _ è -" in help_table
        assert " g " in help_table and " m " in help_table and " f2" in help_table
        await pilot.press("escape")
        await pilot.press("m")
        assert isinstance(app.screen, NoteScreen)
        assert "f2 pause" in str(app.screen.query_one(".typing-keys").content)
        await pilot.press("f2")
        assert engine.state().paused
        await pilot.press("escape", "space")
        await pilot.press("g")  # Alex done, with the new key
        await pilot.pause()
        assert engine.state().floor == "right"


async def test_dvorak_time_out_and_return_with_the_layouts_keys(tmp_path):
    app = app_from_settings(tmp_path, {"layout": "dvorak"})
    async with app.run_test(size=(100, 32)) as pilot:
        screen = app.screen
        assert "b time-out" in text_of(screen, "#keys-shared")
        await pilot.press("u", "h")  # agree
        await pilot.press("1", "u", "0", "h")  # feel, seal
        app.config.clock.advance(1)  # the answers read
        await pilot.press("u", "h")  # ready
        assert screen.engine.stage is Stage.FLOOR
        app.config.clock.advance(5)
        await pilot.press("t")  # Sam's not-quite key on Dvorak (nothing while listening), not a time-out
        assert screen.engine.state().pause_kind == "" and not isinstance(app.screen, TimeoutScreen)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        app.config.clock.advance(20 * 60)  # nobody comes back before the time-out's minimum
        await pilot.pause()
        app.screen.redraw()
        assert "done key (u or h)" in text_of(app.screen, "#return")
        await pilot.press("u", "h")
        await pilot.pause()
        assert app.screen is screen and not screen.engine.state().paused


async def test_a_clash_in_settings_is_refused_with_a_message_and_the_layout_alone_is_used(tmp_path):
    app = app_from_settings(tmp_path, {"layout": "dvorak", "keys": {"right.done": "b"}})
    said = told(app)
    async with app.run_test(size=(100, 32)) as pilot:
        assert "“right partner: done”" in app.keymap_problem and "“time-out”" in app.keymap_problem
        assert any("right partner: done" in n and "Dvorak keys are used" in n for n in said)
        assert keys.current().layout == "dvorak"
        await pilot.press("u", "h")
        assert app.screen.engine.stage is not Stage.RULES


async def test_settings_change_the_layout_and_refuse_a_clash(tmp_path):
    from heartline.tui.app import AppConfig

    config_dir = tmp_path / "config"
    write_settings(config_dir, {"layout": "qwerty", "keys": {"left.done": "g"}})
    app = HeartlineApp(AppConfig(data_dir=tmp_path / "data", config_dir=config_dir, clock=ManualClock(),
                                 keymap=prefs.load(config_dir).keymap))
    said = told(app)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("o")
        assert isinstance(app.screen, SettingsScreen)
        from textual.widgets import Select

        select = app.screen.query_one("#keymap", Select)
        select.value = "azerty"
        await pilot.pause()
        assert keys.current().layout == "azerty" and keys.current().first("left.done") == "g"
        assert prefs.load(config_dir).keymap == {"layout": "azerty", "keys": {"left.done": "g"}}
        assert "& é" in text_of(app.screen, "#keymap-about")
        # a time-out of one's own on h: on Dvorak that is Sam's done, so Dvorak is refused
        write_settings(config_dir, {"layout": "azerty", "keys": {"left.done": "g", "time-out": "h"}})
        app.screen.prefs = prefs.load(config_dir)
        select.value = "dvorak"
        await pilot.pause()
        assert keys.current().layout == "azerty" and select.value == "azerty"
        assert any("That layout was not used" in n and "“right partner: done”" in n and "“time-out”" in n
                   for n in said)
        assert prefs.load(config_dir).keymap["layout"] == "azerty"


def test_no_hint_names_a_key_by_literal():
    """Hints come from tui/keys.py: the session screens hold no quoted default key in their words."""
    import inspect
    import re

    for module in (session, timeout, dialogs):
        source = inspect.getsource(module)
        for literal in ("press space", "space to", "(space)", "press f ", "press j ", "(n)", "(y)", "escape:"):
            assert literal not in source, (module.__name__, literal)
        assert not re.search(r'"[fdsjkl]: ', source), module.__name__


def test_ground_rules_name_no_key():
    """The rules are read before the keys are; a key named in them would be wrong on another layout."""
    from heartline.sessions.rituals import load_rituals

    for ritual in load_rituals(Path("/nonexistent")):
        for rule in ritual.ground_rules:
            assert "(space)" not in rule and "(t)" not in rule, (ritual.id, rule)


def test_every_binding_in_the_app_has_an_id():
    """So a keymap can reach it (`App.set_keymap` matches bindings by id)."""
    import importlib
    import inspect
    import pkgutil

    import heartline.tui.screens
    import heartline.tui.widgets

    missing = []
    for package in (heartline.tui.screens, heartline.tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ != module.__name__:
                    continue
                for binding in cls.__dict__.get("BINDINGS", []):
                    if not isinstance(binding, Binding) or not binding.id:
                        missing.append(f"{module.__name__}.{name}: {binding}")
    assert not missing


async def test_a_keymap_written_like_markup_is_shown_as_written(tmp_path):
    app = app_from_settings(tmp_path, {"layout": "[/b]x[@click=app.quit]y[/]", "keys": {}})
    given = []
    app.notify = lambda message, **kwargs: given.append((message, kwargs))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert keys.current().layout == "qwerty"
    said = [(m, k) for m, k in given if "[/b]x[@click=app.quit]y[/]" in m]
    assert said and all(k.get("markup") is False for _, k in said)


def test_doctor_names_the_keys_and_a_clash(tmp_path):
    from heartline.tui.doctor import check

    config = tmp_path / "config"
    write_settings(config, {"layout": "dvorak", "keys": {"left.note": "a"}})
    assert any(f.level == "ok" and f.text == "keys: Dvorak, with 1 of your own" for f in check(tmp_path / "data", config))
    write_settings(config, {"layout": "dvorak", "keys": {"left.note": "b"}})
    problems = [f.text for f in check(tmp_path / "data", config) if f.level == "problem"]
    assert any("keymap" in p and "“left partner: note”" in p and "“time-out”" in p for p in problems)

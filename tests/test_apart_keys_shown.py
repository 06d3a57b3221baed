"""A session apart: each machine shows its own partner's keys as theirs, and no key letters in the other
partner's column, pane or stage (there, those letters are this keyboard's own partner's keys)."""

from __future__ import annotations

import re

import pytest

from heartline.sessions.engine import Stage
from tests.apart_server import mailbox  # noqa: F401 - a fixture
from tests.test_apart_app import both_joined, pane_text, pass_time, until
from tests.test_apart_holds import joined

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.fixture(autouse=True)
def patient(monkeypatch):
    """Minutes pass on the manual clocks here: nobody is taken for away by them (their own tests do that)."""
    from heartline.tui.apart import screens

    monkeypatch.setattr(screens, "GONE_SECONDS", 10_000.0)
LETTER = re.compile(r"(?:^|: |· |\n)[a-z0-9](?::| )")  # a key, as bars and nudges write one ("f done", "j: ")


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def no_keys(words: str) -> bool:
    return not LETTER.search(words)


async def test_each_machine_shows_key_letters_only_for_its_own_partner(mailbox, tmp_path):
    async def body(host, hp, guest, gp):
        for _ in range(2):  # Alex speaking; then Sam saying back what they heard
            await hp.pause()
            await gp.pause()
            assert "l note" in shown(guest, "#keys-right") and "s note" in shown(host, "#keys-left")
            for app, other in ((host, "right"), (guest, "left")):
                assert no_keys(shown(app, f"#keys-{other}")), shown(app, f"#keys-{other}")
                assert no_keys(pane_text(app, other, "nudge")), pane_text(app, other, "nudge")
            await hp.press("f")  # Alex is done; Sam says back what they heard
            await until(gp, lambda: guest.screen.engine.state().floor == "right", "Sam's floor")
            pass_time(host, guest, 3.0)
        await gp.press("j")
        await until(gp, lambda: guest.screen.engine.state().side("left").done_means == "got-it", "Alex asked")
        await until(hp, lambda: host.screen.engine.state().side("left").done_means == "got-it", "Alex asked, at home")
        await hp.pause()
        await gp.pause()
        assert pane_text(host, "left", "nudge").startswith("f: ")  # Alex's own keys, on Alex's machine
        assert pane_text(guest, "left", "nudge") == "" and no_keys(shown(guest, "#keys-left"))
        assert "j " in shown(guest, "#keys-right") or "Sam" in shown(guest, "#keys-right")

    await joined(mailbox, tmp_path, body)


async def test_the_ground_rules_name_no_key_of_the_other_partner(mailbox, tmp_path):
    from tests.test_apart_app import now_is_a_good_time, options

    couple = options(tmp_path, "host", left="Alex", right="Sam", protocol="speaker-listener", speak=60, reflect=30,
                     rounds=1, checkin=True)
    async with both_joined(mailbox, tmp_path, couple) as (host, hp, guest, gp):
        await now_is_a_good_time(host, hp, guest, gp)
        await hp.pause()
        await gp.pause()
        assert "press f to agree" in shown(host, "#stage-left") and "press j to agree" in shown(guest, "#stage-right")
        assert "press" not in shown(host, "#stage-right") and "press" not in shown(guest, "#stage-left")
        await gp.press("j")
        await until(hp, lambda: "✓ agreed" in shown(host, "#stage-right"), "Sam agreed, on Alex's screen")
        await hp.press("f")
        await until(gp, lambda: guest.screen.engine.state().stage is Stage.CHECKIN, "the check-in")
        await hp.pause()
        await gp.pause()
        assert "choosing a number" in shown(guest, "#stage-left") and " 1  " not in shown(guest, "#stage-left")
        assert "choosing a number" in shown(host, "#stage-right") and " 0  " not in shown(host, "#stage-right")
        assert no_keys(shown(host, "#keys-right")) and no_keys(shown(guest, "#keys-left"))

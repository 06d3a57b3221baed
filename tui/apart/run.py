"""`heartline start --apart` and `heartline join`: the app opened on the connect screen."""

from __future__ import annotations

import re
import sys

from heartline.sessions.prefs import RELAY_RE, check_relay  # noqa: F401 - the address is a setting; checked there

from ..app import HeartlineApp, _config, start_app

CODE_RE = re.compile(r"^[0-9]{1,4}(-[a-z]{1,20}){1,6}$")


def check_code(code: str) -> str:
    """A wormhole code as a person reads it out: a number, then words, with dashes."""
    code = "-".join(code.strip().lower().split())
    if not CODE_RE.match(code):
        raise ValueError(f"{code!r} is not a code: it looks like 7-guitarist-revenge (a number, then words)")
    return code


def relay_for(options, given: str | None) -> str:
    """The relay typed (`--relay`), else the one in settings, else the public one; ValueError in one line
    that names where the mistake is: `--relay`, or settings.toml's `relay`."""
    from heartline.sessions import prefs

    from .link import PUBLIC_RELAY

    if given:
        try:
            return check_relay(given)
        except ValueError as exc:
            raise ValueError(f"--relay: {exc}") from None
    settings = prefs.load(options.config_dir)
    remembered = settings.relay
    problem = prefs.refusal(settings, "relay") or prefs.relay_problem(options.config_dir, remembered)
    if problem:
        raise ValueError(problem)
    return check_relay(remembered) if remembered else PUBLIC_RELAY


class ApartApp(HeartlineApp):
    """heartline opened on the connect screen; a connection that cannot be made ends it with one line."""

    def __init__(self, config, plan, role: str, relay: str, code: str = "") -> None:
        super().__init__(config, plan)
        self.role, self.relay, self.code = role, relay, code
        self.apart_problem = ""
        self.apart_exit_on_problem = True  # the command line: one line, exit 2

    def _open_plan(self) -> None:
        from .screens import ConnectScreen

        self.push_screen(ConnectScreen(self.relay, self.role, self.plan, self.code))

    def _recovered(self, result) -> None:
        """A session the starter's heartline left unfinished (closed, killed): resumed, it is offered apart again
        with a fresh code, the journal going on; else what was asked for at start."""
        from ..screens.home import HomeScreen

        if result and result[0] == "resume" and self.role != "host":
            super()._recovered(result)
            return
        if isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if result and result[0] == "resume":
            from heartline.sessions.setup import SessionPlan

            from .screens import ConnectScreen

            _, engine, journal = result
            self.plan = SessionPlan(engine.ritual.id, engine.partners["left"].name, engine.partners["right"].name,
                                    topic=engine.topic, checkin=engine.checkin, rules=engine.rules,
                                    good_time=engine.good_time)
            self.push_screen(ConnectScreen(self.relay, self.role, self.plan, resumed=(engine, journal)))
            return
        self._open_plan()

    def on_unmount(self) -> None:
        from .link import stop_reactor

        stop_reactor()


def _run(app: ApartApp) -> int:
    app.run()
    if app.apart_problem and app.return_code == 2:
        from heartline.sessions.text import printable

        print(f"heartline: {printable(app.apart_problem)}", file=sys.stderr)
        return 2
    return app.return_code or 0


def host_app(options, relay: str, clock=None) -> ApartApp:
    base = start_app(options, clock)  # the plan and config exactly as `start` makes them
    return ApartApp(base.config, base.plan, "host", relay)


def guest_app(options, relay: str, code: str = "", clock=None) -> ApartApp:
    config = _config(options)
    if clock is not None:
        config.clock = clock
    return ApartApp(config, None, "guest", relay, code)


def run_host(options, relay: str) -> int:
    return _run(host_app(options, relay))


def run_guest(options, relay: str, code: str = "") -> int:
    return _run(guest_app(options, relay, code))

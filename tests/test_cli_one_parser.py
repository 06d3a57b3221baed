"""`heartline start` builds the parser of its own subcommand only (issue 17): the same answers and messages."""

from __future__ import annotations

import contextlib
import io

import pytest

from heartline.tui import cli

CASES = [
    ["start", "--left", "Alex", "--right", "Sam", "--speak", "2m", "--topic", "x y", "--no-checkin"],
    ["--data-dir", "/tmp/x", "--theme", "warm", "start", "--left", "A", "--theme", "calm"],
    ["--theme=warm", "start", "--first", "left"],
    ["start", "--rounds"],  # a value missing
    ["start", "--bogus"],
    ["start", "extra"],
    ["start", "--help"],
    ["history", "--json"],
    ["export", "20261126", "--format", "pdf"],
    ["join", "7-guitarist-revenge", "--relay", "ws://x"],
    ["--data-dir", "history", "start"],  # a folder named like a command
    ["doctor"],
    ["protocols", "--json"],
]


def _parse(parser_for, argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            return "ok", vars(parser_for(argv).parse_args(argv)), out.getvalue()
        except cli.UsageError as exc:
            return "usage", str(exc), out.getvalue()
        except SystemExit as exc:
            return "exit", exc.code, out.getvalue()


@pytest.mark.parametrize("argv", CASES, ids=" ".join)
def test_the_parser_of_one_subcommand_answers_as_the_whole_one(argv):
    whole = _parse(lambda a: cli.build_parser(), argv)
    one = _parse(lambda a: cli.build_parser(cli._command_in(a)), argv)
    assert one == whole


def test_start_is_read_with_its_own_parser_only():
    assert cli._command_in(["--data-dir", "d", "start", "--left", "A"]) == "start"
    assert cli._command_in(["--data", "history", "start"]) is None  # abbreviated: every subcommand, as before
    assert cli._command_in(["--help"]) is None and cli._command_in([]) is None

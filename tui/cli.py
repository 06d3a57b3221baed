"""The `heartline` command line (DESIGN: "Command line").

Every mistake a user can make gets one line on stderr starting "heartline: "
and exit status 2, never a traceback or a usage dump. The history commands
need no Textual; the app is imported only when a screen is about to open.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from heartline.sessions import __version__, paths, store
from heartline.sessions.files import FileRefused, write_private
from heartline.sessions.text import is_unsafe, printable
from heartline.sessions.durations import parse_duration
from heartline.sessions.rituals import load_rituals

PROG = "heartline"
TOPIC_WIDTH = 32


class UsageError(Exception):
    """A user's mistake: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and exit
        message = " ".join(message.split()).replace("argument COMMAND: invalid choice:", "unknown command")
        raise UsageError(f"{message} (try '{self.prog} --help')")


@dataclass(frozen=True)
class StartOptions:
    """What `heartline` / `heartline start` hand to the app, already checked."""

    data_dir: Path
    config_dir: Path
    theme: str | None = None
    left: str | None = None
    right: str | None = None
    protocol: str | None = None
    speak: int | None = None
    reflect: int | None = None
    rounds: int | None = None
    topic: str = ""
    checkin: bool = True
    first: str | None = None  # who starts, a side; None: the other one from last time
    rituals: object = field(default=None, compare=False, repr=False)  # read to check --protocol: not again
    prefs: object = field(default=None, compare=False, repr=False)  # settings.toml as read here: not read again


EPILOG = """\
where files live:
  HEARTLINE_HOME   when set, one folder for everything (sessions, settings,
                   your rituals, decks and themes); handy for a USB stick
  otherwise        sessions in the user data folder ({data}),
                   settings.toml, rituals/, decks/, themes/ in the user
                   config folder ({config})
  --data-dir DIR   sessions here instead, for this run

durations (DUR):   90, 90s, 2m, 1m30s or 1:30, from 1 second to 60 minutes

exit status:       0 done; 1 a saved file is damaged; 2 a mistake in what was
                   typed (one line on stderr says what); 130 interrupted

examples:
  heartline                                   the home screen
  heartline start --left Alex --right Sam     straight into a session
  heartline COMMAND --help                    more about one command
"""

EXAMPLES = {
    "start": "example:\n  heartline start --left Alex --right Sam --speak 2m --reflect 1:30 --topic 'the holidays'",
    "history": "example:\n  heartline history --json | jq '.[0].id'",
    "trends": "example:\n  heartline trends --last 10",
    "show": "example:\n  heartline show 20261126",
    "export": "examples:\n  heartline export 20261126 -o notes.md\n  heartline export --all --format toml -o backup/\n"
              "  heartline export --for-therapist 20261126 20261203 -o for-our-therapist.md",
    "delete": "examples:\n  heartline delete 20261126\n  heartline delete 20261126 --for-good",
    "trash": "examples:\n  heartline trash\n  heartline trash --empty",
    "protocols": "example:\n  heartline protocols",
    "doctor": "example:\n  heartline doctor",
    "join": "example:\n  heartline join 7-guitarist-revenge",
}


class _Unused:
    """A subcommand left out of a parser built for another one: its arguments go nowhere."""

    def add_argument(self, *args, **kwargs) -> None:
        pass


def _describe(sub, name: str, help_text: str, description: str):
    """A subcommand with a one-line help, a description and an example (left out when another one is asked for)."""
    if sub.only is not None and name != sub.only:
        return _Unused()
    return sub.add_parser(name, help=help_text, description=description, epilog=EXAMPLES.get(name),
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _command_in(argv: list[str]) -> str | None:
    """The subcommand `argv` runs when nothing else could be read from it (then only its parser is built: issue 17,
    `heartline start`'s first frame); None when in doubt (help, an abbreviated option, no command): every one."""
    rest = iter(argv)
    for token in rest:
        if token in ("--data-dir", "--theme"):
            next(rest, None)  # its value, whatever it says
        elif token.startswith(("--data-dir=", "--theme=")):
            continue
        else:
            return token if token in COMMANDS and token is not None else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only` its options and that one subcommand (what `main` parses with
    when `_command_in` names it: the same answers and the same messages for it)."""
    epilog = None if only else EPILOG.format(data=printable(str(paths.data_dir())),
                                             config=printable(str(paths.config_dir())))
    parser = _Parser(prog=PROG, description="Take turns to speak and listen: one keyboard, two people.",
                     epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", metavar="DIR", type=Path, help="where sessions are kept")
    parser.add_argument("--theme", metavar="NAME", help="colour theme")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.only = only

    start = _describe(sub, "start", "go straight into a session",
                      "Start a session now. Without both names, the setup form opens with what was given.")
    start.add_argument("--left", metavar="NAME", help="the left partner's name")
    start.add_argument("--right", metavar="NAME", help="the right partner's name")
    start.add_argument("--protocol", metavar="ID", help="the ritual (see `heartline protocols`)")
    start.add_argument("--speak", metavar="DUR", help="speaking turn: 90, 90s, 2m, 1m30s or 1:30")
    start.add_argument("--reflect", metavar="DUR", help="reflecting turn: 90, 90s, 2m, 1m30s or 1:30")
    start.add_argument("--rounds", metavar="N", help="rounds, 1 to 20")
    start.add_argument("--topic", metavar="TEXT", default="", help="what you will talk about")
    start.add_argument("--no-checkin", dest="checkin", action="store_false", help="skip the mood check-in")
    start.add_argument("--first", metavar="WHO", help="who starts: left, right or one of the names"
                       " (default: the one who did not start last time)")
    # README: --theme belongs to the home screen and `start`, so it is taken after `start` too;
    # SUPPRESS keeps a --theme given before `start` when none follows it.
    start.add_argument("--theme", metavar="NAME", default=argparse.SUPPRESS, help="colour theme")
    start.add_argument("--apart", action="store_true",
                       help="one of you is elsewhere: show a code for them to `heartline join` (you are --left)")
    start.add_argument("--relay", metavar="URL", help="with --apart: the magic-wormhole mailbox server to use")

    join = _describe(sub, "join", "join a session apart, started elsewhere with `start --apart`",
                     "Join your partner's session from this terminal, with the code they read out to you. "
                     "Everything between your two heartlines is encrypted end to end (magic-wormhole).")
    join.add_argument("code", metavar="CODE", nargs="?", help="the code, like 7-guitarist-revenge (asked when left out)")
    join.add_argument("--relay", metavar="URL", help="the magic-wormhole mailbox server to use")

    history = _describe(sub, "history", "past sessions, newest first",
                        "List past sessions, newest first: date, id, ritual, minutes, how it ended, who and topic.")
    history.add_argument("--json", action="store_true", help="as JSON, for scripts")

    trends = _describe(sub, "trends", "patterns over past sessions",
                       "Patterns over your sessions together: how often, how the floor was shared, moods.")
    trends.add_argument("--json", action="store_true", help="as JSON, for scripts")
    trends.add_argument("--last", metavar="N", help="only the newest N sessions")

    show = _describe(sub, "show", "one session, rendered",
                     "Show one session in full: the time shared, the turns, notes and commitments.")
    show.add_argument("id", metavar="ID", help="a session id, or the start of one")

    export = _describe(sub, "export", "one session (or --all) as Markdown, TOML or SVG",
                       "Write one session, or every session, as Markdown, TOML or SVG; to stdout or a file.")
    export.add_argument("id", metavar="ID", nargs="*", help="a session id, or the start of one")
    export.add_argument("--all", action="store_true", help="every session, one file each, into -o DIR")
    export.add_argument("--for-therapist", action="store_true",
                        help="a hand-off of these sessions (ID...) for a therapist, into -o FILE; opens a screen "
                             "where both of you write your part and agree, and nothing is made without that")
    export.add_argument("--format", choices=("md", "toml", "svg"), default=None,
                        help="md (the default), toml or svg; with -o FILE.toml, toml")
    export.add_argument("-o", "--output", metavar="FILE", type=Path, help="write here instead of stdout")
    export.add_argument("--force", action="store_true", help="replace a file that is already there")

    delete = _describe(sub, "delete", "move one session to the trash, or delete it for good",
                       "Move one session to trash/ in the data folder (move it back to restore it), or with "
                       "--for-good delete it. Either way its exports and its line in the index go too.")
    delete.add_argument("id", metavar="ID", help="a session id, or the start of one")
    delete.add_argument("--for-good", action="store_true", help="delete it now instead of moving it to the trash")

    trash = _describe(sub, "trash", "what is in the trash; --empty deletes it for good",
                      "List what is in trash/ in the data folder: sessions moved there and unfinished sessions "
                      "put away. --empty deletes all of it for good.")
    trash.add_argument("--empty", action="store_true", help="delete everything in the trash for good")

    _describe(sub, "protocols", "the rituals available",
              "List the rituals: the built-in ones and your own from the rituals/ folder.")
    _describe(sub, "doctor", "check the folders, files and modes, and say what was found",
              "Check heartline's folders and files (modes, damaged or unknown settings, themes, rituals) "
              "and say what was found.")
    return parser


# ----- helpers ------------------------------------------------------------

def _dirs(args: argparse.Namespace, writable: bool = False) -> tuple[Path, Path]:
    """The data and config folders; a UsageError, before anything else, when one is not a usable folder."""
    data = paths.followed(args.data_dir.expanduser()) if args.data_dir else paths.data_dir()
    config = paths.config_dir()
    try:
        paths.check_usable(data, writable=writable)
        paths.check_usable(config, writable=False)
    except FileRefused as exc:
        where = "--data-dir" if args.data_dir else (paths.ENV_HOME if os.environ.get(paths.ENV_HOME) else "the data folder")
        raise UsageError(f"{where}: {exc} (heartline needs a folder there)") from None
    return data, config


def _warn(problem: object) -> None:
    print(f"warning: {printable(problem)}", file=sys.stderr)


def _escape_unsafe(text: str) -> str:
    """Unsafe characters as \\u escapes, valid both in JSON and in TOML's basic strings: same data, no control."""
    # Printable ASCII, newline and tab are never unsafe: only the rest is looked at (fast on 5,000 sessions).
    return _NOT_PLAIN.sub(lambda m: json.dumps(m.group())[1:-1] if is_unsafe(m.group()) else m.group(), text)


_NOT_PLAIN = re.compile(r"[^\x20-\x7e\n\t]")


def _load(data: Path, session_id: str) -> dict:
    try:
        path = store.find_session(data, session_id)
    except store.StoreError as exc:
        raise UsageError(exc.problem) from None
    return store.load_record(path)  # a damaged file: StoreError, exit 1


def _write_private(path: Path, text: str) -> None:
    try:
        write_private(path, text, private_dir=False)  # the user's folder stays as it is
    except FileRefused as exc:
        raise UsageError(f"cannot write there: {exc}") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _local(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M")


def _short(text: str, width: int) -> str:
    """In `width` terminal cells: a CJK character or an emoji takes two."""
    from heartline.tui.cells import cut  # rich's tables, read only when a listing is printed

    return cut(" ".join(text.split()), width)


# ----- commands -----------------------------------------------------------

def cmd_protocols(args: argparse.Namespace) -> int:
    rituals = load_rituals(paths.rituals_dir(_dirs(args)[1]))
    for problem in rituals.errors:
        _warn(problem)
    for notice in rituals.notices:
        print(f"note: {printable(notice)}", file=sys.stderr)
    width = max((len(r.id) for r in rituals), default=0) + 2
    for ritual in rituals:
        print(f"{printable(ritual.id):<{width}}{printable(ritual.summary)}")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """Exit 0 when all is well, 1 when something needs attention (each named on its own line)."""
    from heartline.tui.doctor import check

    data = paths.followed(args.data_dir.expanduser()) if args.data_dir else paths.data_dir()
    findings = check(data, paths.config_dir())
    for finding in findings:
        print(f"{finding.level}: {printable(finding.text)}")
    return 1 if any(f.level == "problem" for f in findings) else 0


def cmd_history(args: argparse.Namespace) -> int:
    from heartline.sessions import index

    listing = index.load(_dirs(args)[0])  # the index, checked against every file's size and mtime
    for problem in listing.errors:
        _warn(problem)
    records = listing.entries
    if args.json:
        _print_history_json(records)
        return 0
    if not records:
        print("no sessions yet: start one with `heartline start`")
        return 0
    id_w = max(len(r[index.ID]) for r in records)
    ritual_w = max(len(printable(r[index.PROTOCOL])) for r in records)
    lines = [f"{'date':<16}  {'id':<{id_w}}  {'ritual':<{ritual_w}}  {'min':>4}  {'status':<11}  who / topic"]
    for sid, started, _, _, protocol, topic, _, status, seconds, _, _, _, left, right, *_ in records:
        who = " & ".join(_short(printable(p[index.P_NAME]), 20) for p in (left, right))
        about = f" · {_short(printable(topic), TOPIC_WIDTH)}" if topic.strip() else ""
        lines.append(f"{started[:16].replace('T', ' '):<16}  {sid:<{id_w}}  {printable(protocol):<{ritual_w}}  "
                     f"{round(seconds / 60):>4}  {status:<11}  {who}{about}")
    print("\n".join(lines))
    return 0


def _print_history_json(records: list) -> None:
    """The sessions as a JSON list laid out as `json.dumps(…, indent=2)` would, written a session at a time.

    Built from a template (json's pure-Python indenting encoder took most of
    the time of a warm `history --json`), each value encoded by json itself;
    years of sessions never sit in memory twice.
    """
    from heartline.sessions.index import PARTNER_KEYS

    if not records:
        print("[]")
        return
    out = sys.stdout
    out.write("[\n")
    last = len(records) - 1
    for n, (sid, started, ended, _, protocol, topic, _, status, seconds, _, _, _, left, right, *_) in \
            enumerate(records):
        partners = ",\n".join(
            f'      {{\n        "side": "{side}",\n'
            + ",\n".join(f'        "{key}": {_json_value(value)}' for key, value in zip(PARTNER_KEYS, values)
                          if value is not None)
            + "\n      }"
            for side, values in (("left", left), ("right", right)))
        text = (f'  {{\n    "id": {_json_value(sid)},\n    "started_at": {_json_value(started)},\n'
                f'    "ended_at": {_json_value(ended)},\n    "protocol": {_json_value(protocol)},\n'
                f'    "topic": {_json_value(topic)},\n    "status": {_json_value(status)},\n'
                f'    "duration_seconds": {_json_value(seconds)},\n    "partners": [\n{partners}\n    ]\n  }}')
        out.write(_escape_unsafe(text) + (",\n" if n < last else "\n"))
    out.write("]\n")


def _json_value(value: object) -> str:
    """One value as json.dumps(…, ensure_ascii=False) writes it."""
    if value.__class__ is str:
        return json.encoder.encode_basestring(value)  # json's own (C) string encoder, as ensure_ascii=False uses
    if value.__class__ in (int, float):
        return float.__repr__(value) if value.__class__ is float else int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _count(raw: str | None, flag: str) -> int | None:
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise UsageError(f"{flag}: {raw!r} is not a number of sessions (1 or more)")
    return value


def cmd_trends(args: argparse.Namespace) -> int:
    from heartline.sessions import trendcache

    last = _count(args.last, "--last")
    trends, errors = trendcache.trends(_dirs(args)[0], last)  # kept beside the index while it is current
    for problem in errors:
        _warn(problem)
    if args.json:  # one figure a line; its long series compact (indent=2 would write 100,000 lines slowly)
        figures = trends.as_dict()
        print("{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                                    for k, v in figures.items()) + "\n}")
        return 0
    for line in trends.sentences:
        print(printable(line))
    if trends.sessions:
        left, right = (printable(n) for n in trends.names)
        print()
        if trends.mean_balance is not None:
            share = round(100 * trends.mean_balance)
            print(f"floor shared: {left} {share}% · {right} {100 - share}%")
        if trends.one_left_lower:  # never an average, never a name: how often one of you left lower
            print(f"sessions one of you left lower than you came: {trends.one_left_lower:,}")
        # a figure with nothing in it says nothing kind: leave it out
        if trends.reflections_confirmed:
            print(f"reflections confirmed together: {trends.reflections_confirmed:,}")
        if trends.time_outs:
            print(f"time-outs taken when you needed them: {trends.time_outs:,}")
        print("rituals: " + ", ".join(f"{printable(k)} {v}" for k, v in trends.rituals.items()))
        if trends.recurring_topics:
            print("topics that come back: " + ", ".join(f"{printable(t)} ({n})" for t, n in trends.recurring_topics[:5]))
    return 0


def _ritual_name(args: argparse.Namespace, record: dict) -> str | None:
    ritual = load_rituals(paths.rituals_dir(_dirs(args)[1])).get(record["protocol"])
    return ritual.name if ritual else None


def cmd_show(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.markdown import Markdown

    from heartline.sessions.export import to_markdown

    record = _load(_dirs(args)[0], args.id)
    Console().print(Markdown(printable(to_markdown(record, _ritual_name(args, record)), newlines=True)))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    data = _dirs(args, writable=True)[0]
    try:
        path = store.find_session(data, args.id)
    except store.StoreError as exc:
        raise UsageError(exc.problem) from None
    sid = _id_of(data, path)
    try:
        if args.for_good:
            store.delete_for_good(data, sid, path.name)
            print(f"deleted for good: {printable(sid)}, its exports and its line in the index "
                  f"({store.BEYOND_REACH})")
        else:
            moved = store.move_to_trash(data, sid, path.name)
            print(f"moved to the trash: {printable(str(moved))} (move it back to restore it; "
                  "`heartline trash --empty` deletes it for good)")
    except (store.StoreError, OSError) as exc:
        print(f"{PROG}: {printable(str(exc))}", file=sys.stderr)
        return 1
    return 0


def _id_of(data: Path, path: Path) -> str:
    """The id a session file holds (a damaged file: its name)."""
    for sid, name in store.record_files(data).items():
        if name == path.name:
            return sid
    return path.stem


def cmd_trash(args: argparse.Namespace) -> int:
    data = _dirs(args, writable=bool(args.empty))[0]
    held = store.trash_contents(data)
    if args.empty:
        try:
            n = store.empty_trash(data)
        except OSError as exc:
            raise UsageError(f"the trash could not be emptied: {exc.strerror or exc}") from None
        print(f"deleted for good: {n} file{'s' if n != 1 else ''} from the trash ({store.BEYOND_REACH})"
              if n else "the trash is empty")
        return 0
    if not held:
        print("the trash is empty")
        return 0
    for path in held:
        print(printable(path.name))
    print(f"{len(held)} in {printable(str(store.trash_dir(data)))}: `heartline trash --empty` deletes "
          f"{'it' if len(held) == 1 else 'them'} for good")
    return 0


def _render(args: argparse.Namespace, record: dict, fmt: str) -> str:
    from heartline.sessions.export import to_markdown, to_svg, to_toml

    if fmt == "toml":
        return _escape_unsafe(to_toml(record))
    if fmt == "svg":
        return to_svg(record, _ritual_name(args, record))  # text in it is made printable there
    return printable(to_markdown(record, _ritual_name(args, record)), newlines=True)


def _write_export(path: Path, text: str, force: bool) -> None:
    from heartline.sessions.files import write_private

    try:
        write_private(path, text, overwrite=force, private_dir=False)
    except FileExistsError:
        raise UsageError(f"{printable(path)} already exists (add --force to replace it)") from None
    except OSError as exc:
        raise UsageError(f"cannot write {printable(path)}: {exc.strerror or exc}") from None


def cmd_export(args: argparse.Namespace) -> int:
    if args.for_therapist:
        return _export_for_therapist(args)
    if len(args.id) > 1:
        raise UsageError("export takes one session id (or --all -o DIR, or --for-therapist ID... -o FILE)")
    args.id = args.id[0] if args.id else None
    if args.format is None:  # the file name says what is wanted: notes.toml gets TOML
        suffix = args.output.suffix.lower() if args.output and not args.all else ""
        args.format = {".toml": "toml", ".svg": "svg"}.get(suffix, "md")
    if args.all:
        return _export_all(args)
    if not args.id:
        raise UsageError("export needs a session id (or --all -o DIR)")
    record = _load(_dirs(args)[0], args.id)
    text = _render(args, record, args.format)
    if args.output is None:
        sys.stdout.write(text)
    else:
        _write_export(args.output.expanduser(), text, args.force)
    return 0


def _at_a_terminal() -> bool:
    """Both partners can see a screen and press their keys here (not a pipe, not a script)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _export_for_therapist(args: argparse.Namespace) -> int:
    """Only on screen, only when both agree there: the hand-off is never made from the command line alone."""
    if args.all:
        raise UsageError("--for-therapist takes session ids, not --all")
    if not args.id:
        raise UsageError("export --for-therapist needs one or more session ids (see heartline history)")
    if args.output is None:
        raise UsageError("export --for-therapist needs -o FILE (a hand-off is never printed to the terminal)")
    if args.format not in (None, "md"):
        raise UsageError("a hand-off for a therapist is Markdown: leave out --format")
    path = args.output.expanduser()
    if os.path.lexists(path) and not args.force:
        raise UsageError(f"{printable(path)} already exists (add --force to replace it)")
    data, config = _dirs(args)
    records = {}
    for session_id in args.id:
        record = _load(data, session_id)
        records[record["id"]] = record
    couples = {tuple(sorted(" ".join(str(p["name"]).split()).casefold() for p in r["partners"]))
               for r in records.values()}
    if len(couples) > 1:
        raise UsageError("those sessions are not all of the same two people: hand off one couple's sessions")
    if not _at_a_terminal():
        raise UsageError("export --for-therapist asks you both to agree on screen: run it in a terminal")
    from heartline.sessions.handoff import build
    from heartline.tui.handoff import run_handoff

    handoff = run_handoff(StartOptions(data, config, args.theme if "theme" in args else None),
                          list(records.values()))
    if handoff is None or not handoff.both_agree:
        print("nothing was written: a hand-off is made only when you both agree on screen", file=sys.stderr)
        return 1
    names = {r.id: r.name for r in load_rituals(paths.rituals_dir(config))}
    _write_export(path, printable(build(list(records.values()), handoff, names), newlines=True), args.force)
    print(f"written to {printable(path)}, readable only by you")
    return 0


def _export_all(args: argparse.Namespace) -> int:
    """One file a session into a folder; nothing replaced without --force."""
    from heartline.sessions import index
    from heartline.sessions.export import file_name

    if args.id:
        raise UsageError("give a session id or --all, not both")
    if args.output is None:
        raise UsageError("export --all needs a folder: -o DIR")
    if args.format == "svg":
        raise UsageError("export --all writes md or toml; export one session at a time as svg")
    folder = args.output.expanduser()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{printable(folder)} is not a folder")
    data = _dirs(args)[0]
    listing = index.load(data)
    for problem in listing.errors:
        _warn(problem)
    if not listing.entries:
        print("no sessions to export yet")
        return 0
    targets = [(e, folder / file_name(e, args.format)) for e in listing.entries]
    if not args.force:
        taken = [path for _, path in targets if os.path.lexists(path)]
        if taken:
            raise UsageError(f"{len(taken)} file(s) already in {printable(folder)}, such as {printable(taken[0].name)}"
                             " (add --force to replace them)")
    from heartline.sessions.files import ensure_private_dir

    try:
        if not folder.exists():
            ensure_private_dir(folder)
    except OSError as exc:
        raise UsageError(f"cannot make {printable(folder)}: {exc.strerror or exc}") from None
    written = 0
    for entry, path in targets:
        try:
            record = store.load_record(index.path_of(data, entry))
        except store.StoreError as exc:
            _warn(exc)
            continue
        _write_export(path, _render(args, record, args.format), args.force)
        written += 1
    print(f"{written} session{'s' if written != 1 else ''} written to {printable(folder)}")
    return 0


def _check_theme(theme: str | None, config: Path) -> None:
    if theme is None:
        return
    from heartline.themes import load_themes

    found = load_themes(paths.themes_dir(config))
    if theme not in found.themes:
        broken = found.broken_file_named(theme)
        if broken:
            raise UsageError(f"theme {theme!r} could not be loaded: {broken}")
        raise UsageError(f"unknown theme {theme!r}; available: {', '.join(sorted(found.themes))}")


def _name(value: str | None, flag: str) -> str | None:
    from heartline.sessions.setup import clean_name

    if value is None:
        return None
    try:
        return clean_name(value, "name")
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def _start_options(args: argparse.Namespace) -> StartOptions:
    from heartline.sessions import prefs
    from heartline.sessions.setup import MAX_ROUNDS, clean_topic

    data, config = _dirs(args, writable=True)
    _check_theme(args.theme, config)
    left, right = _name(args.left, "--left"), _name(args.right, "--right")
    if left and right and left.casefold() == right.casefold():
        raise UsageError("--left and --right are the same name: please tell the partners apart")
    rituals = load_rituals(paths.rituals_dir(config))
    remembered = prefs.load(config)
    protocol = args.protocol
    if protocol is None:
        protocol = (remembered.protocol if rituals.get(remembered.protocol)
                    else next(iter(rituals.rituals), "speaker-listener"))
    elif rituals.get(protocol) is None:
        raise UsageError(f"unknown ritual {protocol!r}; available: {', '.join(rituals.rituals)}")
    durations = {}
    for flag in ("speak", "reflect"):
        raw = getattr(args, flag)
        try:
            durations[flag] = None if raw is None else parse_duration(raw)
        except ValueError as exc:
            raise UsageError(f"--{flag}: {exc}") from None
    rounds = None
    if args.rounds is not None:
        try:
            rounds = int(args.rounds.strip())
        except ValueError:
            rounds = 0
        if not 1 <= rounds <= MAX_ROUNDS:
            raise UsageError(f"--rounds: {args.rounds!r} is not a number of rounds from 1 to {MAX_ROUNDS}")
    try:
        topic = clean_topic(args.topic)
    except ValueError as exc:
        raise UsageError(f"--topic: {exc}") from None
    first = None
    if args.first is not None:
        from heartline.sessions.setup import first_of

        try:
            first = first_of(args.first, left or "", right or "")
        except ValueError as exc:
            raise UsageError(f"--first: {exc}") from None
    _calm_first(rituals.get(protocol), data, remembered)
    return StartOptions(data, config, args.theme, left, right, protocol, durations["speak"],
                        durations["reflect"], rounds, topic, args.checkin, first, rituals, remembered)


def _calm_first(ritual, data: Path, remembered) -> None:
    """A calm-first ritual (the aftermath of a fight) refused within a time-out's minimum: one line, exit 2."""
    if ritual is None or not ritual.calm_first:
        return
    from datetime import datetime

    from heartline.sessions import recentcache
    from heartline.sessions.setup import SessionPlan

    records, _ = recentcache.answer(data)
    plan = SessionPlan(ritual.id, "", "", **remembered.timing())
    why = plan.not_yet(ritual, records, datetime.now().astimezone())
    if why:
        raise UsageError(why[0].lower() + why[1:])


def cmd_start(args: argparse.Namespace) -> int:
    if args.relay is not None and not args.apart:
        raise UsageError("--relay is for a session apart: add --apart")
    options = _start_options(args)
    if args.apart:
        if not (options.left and options.right):
            raise UsageError("--apart needs --left (you, at this keyboard) and --right (your partner, elsewhere)")
        from heartline.tui.apart.run import relay_for, run_host

        try:
            relay = relay_for(options, args.relay)
        except ValueError as exc:
            raise UsageError(str(exc)) from None  # names --relay, or the settings file's relay
        return run_host(options, relay)
    from heartline.tui.app import run_session

    return run_session(options)


def cmd_join(args: argparse.Namespace) -> int:
    data, config = _dirs(args, writable=True)
    _check_theme(args.theme, config)
    from heartline.tui.apart.run import check_code, relay_for, run_guest

    options = StartOptions(data, config, args.theme)
    try:
        relay = relay_for(options, args.relay)
    except ValueError as exc:
        raise UsageError(str(exc)) from None  # names --relay, or the settings file's relay
    code = ""
    if args.code is not None:
        try:
            code = check_code(args.code)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return run_guest(options, relay, code)


def cmd_home(args: argparse.Namespace) -> int:
    data, config = _dirs(args, writable=True)
    _check_theme(args.theme, config)
    from heartline.tui.app import run_home

    return run_home(StartOptions(data, config, args.theme))


COMMANDS = {
    None: cmd_home,
    "start": cmd_start,
    "join": cmd_join,
    "history": cmd_history,
    "trends": cmd_trends,
    "show": cmd_show,
    "export": cmd_export,
    "delete": cmd_delete,
    "trash": cmd_trash,
    "protocols": cmd_protocols,
    "doctor": cmd_doctor,
}


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status (0 fine, 1 damaged data, 2 user mistake)."""
    try:
        try:
            args = build_parser(_command_in(sys.argv[1:] if argv is None else argv)).parse_args(argv)
        except SystemExit as exc:  # --help and --version print, then "exit"
            return exc.code if isinstance(exc.code, int) else 0
        if args.theme is not None and args.command not in (None, "start", "join"):
            raise UsageError(f"--theme is for the home screen, `start` and `join`, not `{args.command}`")
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"{PROG}: {printable(exc)}", file=sys.stderr)
        return 2
    except store.StoreError as exc:
        print(f"{PROG}: {printable(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `heartline history | head`: not an error
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0

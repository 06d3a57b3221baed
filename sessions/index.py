"""A small index of the session files, so looking back never parses every record.

`<data>/index.json` keeps, per file name, the file's size, mtime and inode
and a short summary of its record (what history, trends and home show). On
every read the folder is listed and each file stat'ed; a file whose name,
size, mtime or inode differ from its entry (heartline's writes always make a
new inode) is parsed again, a vanished file is dropped, a new one added. The
files are the truth: an index that cannot be read, is of another version or
holds an entry of the wrong shape is not believed, only rebuilt. It is
written with `write_private` (atomic), so a crash mid-write leaves the old
index or the new one; a damaged file is remembered as damaged (and reported
again) until it changes.

Compact on purpose (20,000 sessions are a few MB, not 20): after a header
line, one line holds a small table of the files (name, size, mtime, inode,
id, start time, how many commitments, when it ended and whether it began, or the file's problem), enough for the
ids taken and for home; the next holds the summaries as positional rows,
decoded only when history or trends ask. In memory a summary is a `Row`, a
list (positions below) that still answers `row["topic"]`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from .files import FileRefused, read_regular, write_private
from .folderscan import _key, _one_per_id, _scan, no_cycles_collected  # noqa: F401 - trendcache reads them here
from .paths import sessions_dir
from .rows import (  # noqa: F401 - the index's readers find the row's fields here too
    FIELDS, ID, STARTED, ENDED, T, PROTOCOL, TOPIC, DECK, STATUS, DURATION, NOTES, EVENTS, COMMITMENTS, LEFT,
    RIGHT, WORDS, FILE, PARTNER_KEYS, P_NAME, P_MOOD_BEFORE, P_MOOD_AFTER, P_FEELING_BEFORE, P_FEELING_AFTER,
    P_SPEAKING, K_NAME, K_SIZE, K_MTIME, K_INO,
    K_ID, K_T, K_COMMITMENTS, K_PROBLEM, K_END, K_BEGAN, Row, end_timestamp, not_started, partner, summarize,
    _well_formed, _well_formed_key,
)
from .validate import StoreError, load_record, parse_record

INDEX_NAME = "index.json"
TRENDS_NAME, RECENT_NAME = "index-trends.json", "index-recent.json"  # derived: gone whenever it is written
MAX_INDEX_BYTES = 512 * 1024 * 1024  # about 400 bytes a session: far beyond a lifetime
VERSION = 7  # bump when the index changes shape: an old index is then rebuilt


def index_path(data: Path) -> Path:
    return Path(data) / INDEX_NAME


def _digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


class _Old:
    """The index as read: its table of files now, its rows only when asked (they are most of it)."""

    def __init__(self, path: Path) -> None:
        self.keys: list[list] = []
        self.intact = False  # the table exactly as heartline wrote it (its checksum matches)
        self._body = b""
        self._body_digest: str | None = None
        self._rows: list | None = None
        self.rows_intact = False
        try:
            raw = read_regular(path, limit=MAX_INDEX_BYTES)
            # slices, not partitions: the rows (most of 20,000 sessions' index) are copied once, not three times
            first = raw.find(b"\n")
            if first < 0:
                first = len(raw)
            second = raw.find(b"\n", first + 1)
            if second < 0:
                second = len(raw)
            head, table = raw[:first], raw[first + 1:second]
            body = raw[second + 1:-1] if raw.endswith(b"\n") and second < len(raw) else raw[second + 1:]
            del raw
            header = json.loads(head)
            if not isinstance(header, dict) or header.get("version") != VERSION:
                return
            keys = json.loads(table)
        except (OSError, ValueError):
            return
        if not isinstance(keys, list):
            return
        self.intact = header.get("keys") == _digest(table)
        if not self.intact:  # still used, each entry checked; one of the wrong shape is as if not there
            keys = [k if _well_formed_key(k) else None for k in keys]
        self.keys = keys
        self._body, self._body_digest = body, header.get("rows")
        self.digests = (header.get("keys"), self._body_digest)  # what this index holds, as its header says

    @cached_property
    def by_name(self) -> dict[str, int]:
        return {k[K_NAME]: n for n, k in enumerate(self.keys) if k is not None}

    def row(self, n: int) -> list | str | None:
        """The n-th file's summary row (or problem), or None when the index cannot say."""
        key = self.keys[n]
        if key[K_PROBLEM] is not None:
            return key[K_PROBLEM]
        if self._rows is None:
            self._rows = []
            try:
                rows = json.loads(self._body)
            except ValueError:
                rows = None
            if isinstance(rows, list) and len(rows) == len(self.keys):
                self._rows = rows
                self.rows_intact = self.intact and self._body_digest == _digest(self._body)
            self._body = b""
        if n >= len(self._rows):
            return None
        row = self._rows[n]
        if self.rows_intact or (_well_formed(row) and row[ID] == key[K_ID] and row[T] == key[K_T]):
            return row
        return None


def _parse(path: str) -> Row | str:
    """One file's summary, or its problem in words."""
    try:
        raw = read_regular(Path(path))
    except FileRefused as exc:
        return exc.reason
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    try:
        if not raw or raw.isspace():
            raise StoreError(path, "is empty")
        if b"\x00" in raw:  # NUL is never inside another character's UTF-8 bytes
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                raise StoreError(path, "is not a text file (not UTF-8): it may be damaged") from None
            raise StoreError(path, "is not a text file (it has NUL bytes): it may be damaged")
        return summarize(parse_record(raw, path))
    except StoreError as exc:
        return exc.problem


@dataclass
class Listing:
    """Every readable session's summary row, newest first, and one error per damaged file."""

    entries: list[Row] = field(default_factory=list)
    errors: list[StoreError] = field(default_factory=list)
    parsed: int = 0  # how many files were read this time (0 when the index was all current)
    key: tuple | None = None  # the index's digests when the listing is exactly what the index on disk holds
    found: list = field(default_factory=list)  # the files it was read from, each (name, [size, mtime, inode])

    @property
    def rows(self) -> list[Row]:
        return self.entries

    @cached_property
    def by_id(self) -> dict[str, Row]:
        return {e[ID]: e for e in self.entries}


def _current(data: Path) -> tuple[_Old, list[tuple[str, list[int]]], list[StoreError]] | None:
    """The index's table when every file on disk matches it exactly (nothing to parse); else None."""
    folder = sessions_dir(Path(data))
    old = _Old(index_path(data))
    found, errors = _scan(folder)
    if not old.intact or len(found) != len(old.keys):
        return None
    by_name = old.by_name
    for name, key in found:
        n = by_name.get(name)
        if n is None or old.keys[n][K_SIZE:K_ID] != key:
            return None
    return old, found, errors


def load(data: Path, *, write: bool = True) -> Listing:
    """The sessions under `data`, from the index where it is current and the files where not."""
    with no_cycles_collected():
        return _load(Path(data), write)


def _load(data: Path, write: bool) -> Listing:
    folder = sessions_dir(data)
    old = _Old(index_path(data))
    found, scan_errors = _scan(folder)
    listing = Listing(found=found)
    by_name = old.by_name
    keys: list[list] = []
    rows: list[Any] = []
    changed = len(found) != len(old.keys)
    prefix = os.path.join(folder, "")
    old_keys = old.keys
    for name, key in found:
        n = by_name.get(name)
        if n is not None:
            k = old_keys[n]
            if k[K_SIZE] == key[0] and k[K_MTIME] == key[1] and k[K_INO] == key[2]:
                row = old.row(n)
                if row is not None:  # current: the index's entry, as it was
                    keys.append(k)
                    rows.append(row)
                    continue
        row = _parse(prefix + name)
        listing.parsed += 1
        changed = True
        if isinstance(row, str):
            keys.append([name, *key, None, None, None, row, None, None])
        else:
            keys.append([name, *key, row[ID], row[T], len(row[COMMITMENTS]), None, end_timestamp(row),
                         not not_started(row)])
        rows.append(row)
    errors = list(scan_errors)
    readable = []
    for k, row in zip(keys, rows):
        if k[K_PROBLEM] is not None:
            errors.append(StoreError(folder / k[K_NAME], k[K_PROBLEM]))
        else:
            readable.append((k[K_NAME], k[K_ID], row))
    if len({r[1] for r in readable}) < len(readable):  # two files hold one session: one is shown
        chosen, conflicts = _one_per_id([r[:2] for r in readable], folder)
        errors += conflicts
        shown = set(chosen.values())
        readable = [r for r in readable if r[0] in shown]
    newest = sorted(((row[T], sid, name, row) for name, sid, row in readable), reverse=True)
    entries = []
    for _, _, name, row in newest:
        entry = Row(row)
        if len(entry) == FILE:
            entry.append(name)
        else:
            entry[FILE] = name
        entries.append(entry)
    listing.entries = entries
    errors.sort(key=lambda e: e.source)
    listing.errors = errors
    if changed and write and (keys or old.keys):
        listing.key = _write(data, keys, [None if isinstance(r, str) else r for r in rows])
    elif not changed and old.rows_intact:
        listing.key = old.digests
    return listing


def _write(data: Path, keys: list[list], rows: list) -> tuple[str, str] | None:
    try:
        table = json.dumps(keys, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        body = json.dumps([r[:FILE] if r is not None else None for r in rows],
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        digests = _digest(table), _digest(body)
        head = json.dumps({"version": VERSION, "sessions": len(keys), "keys": digests[0],
                           "rows": digests[1]}).encode()
        write_private(index_path(data), b"\n".join((head, table, body)) + b"\n")
        for derived in (TRENDS_NAME, RECENT_NAME):  # never older figures (nor words) than the index's
            (Path(data) / derived).unlink(missing_ok=True)
        return digests
    except (OSError, ValueError):
        return None  # the index is only a shortcut; the files are still read correctly


def record_files(data: Path) -> dict[str, str]:
    """Each id inside a readable session file and the file shown for it, from the index's small table when current."""
    with no_cycles_collected():
        now = _current(data)
    if now is None:
        return {e[ID]: e[FILE] for e in load(data).entries}
    keys = now[0].keys
    return _one_per_id([(k[K_NAME], k[K_ID]) for k in keys if k[K_PROBLEM] is None], sessions_dir(Path(data)))[0]


def taken_ids(data: Path) -> set[str]:
    """The ids inside the session files (readable ones), reading only the index's small table when current."""
    return set(record_files(data))


def path_of(data: Path, entry: Row | dict[str, Any]) -> Path:
    """The file an entry was read from (a file's name need not be its id)."""
    return sessions_dir(Path(data)) / entry["file"]


def started(entry: Row) -> datetime:
    return datetime.fromisoformat(entry[STARTED])


def ended(entry: Row) -> datetime:
    return datetime.fromisoformat(entry[ENDED])


def recent(data: Path) -> tuple[list[dict[str, Any]], list[StoreError]]:
    """The newest session, the one that ended last of those begun and the newest with commitments (at most three).

    Newest first by start, as `store.list_sessions` lists them. "Last time" is the
    session that ended last: one taken up again after a time-out can start
    before a shorter one and end after it; a run stopped before it began does not count.

    What home and the start of a session show ("last time …", last time's
    commitments) without reading every record, nor (when the index is
    current) every summary: `history.last_time` and `history.last_commitments`
    give the same answers over these as over all.
    """
    data = Path(data)
    folder = sessions_dir(data)
    with no_cycles_collected():
        now = _current(data)
    if now is None:
        listing = load(data)
        shown = [(e[T], e[ID], e[FILE], len(e[COMMITMENTS]), end_timestamp(e), not not_started(e))
                 for e in listing.entries]
        errors = list(listing.errors)
    else:
        old, _, errors = now
        errors = list(errors)
        readable = []
        for k in old.keys:
            if k[K_PROBLEM] is not None:
                errors.append(StoreError(folder / k[K_NAME], k[K_PROBLEM]))
            else:
                readable.append(k)
        chosen, conflicts = _one_per_id([(k[K_NAME], k[K_ID]) for k in readable], folder)
        errors = sorted(errors + conflicts, key=lambda e: e.source)
        names = set(chosen.values())
        shown = sorted(((k[K_T], k[K_ID], k[K_NAME], k[K_COMMITMENTS], k[K_END], k[K_BEGAN]) for k in readable
                        if k[K_NAME] in names), reverse=True)
    records: list[dict[str, Any]] = []
    for name in choose(shown):
        try:
            records.append(load_record(folder / name))
        except StoreError as exc:  # changed since the index was read: say so, show the rest
            errors.append(exc)
    return records, errors


def choose(shown: list[tuple]) -> list[str]:
    """`recent`'s choice: the file names of the newest, the last ended of those begun and the newest with commitments.

    `shown` is (start, id, file name, commitments, end, began) a session, newest
    first; choosing among some of them and one more gives what choosing among
    all and that one would (`recentcache.saved` relies on it).
    """
    began = [s for s in shown if s[5]]  # a run stopped before it began is never "last time" (`rows.not_started`)
    last_ended = [max(began, key=lambda s: s[4])] if began else []  # the first of equals: the newest start
    wanted = sorted(shown[:1] + last_ended + next(([s] for s in shown if s[3]), []), reverse=True)
    return list(dict.fromkeys(s[2] for s in wanted))

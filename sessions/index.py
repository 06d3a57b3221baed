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
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from .files import FileRefused, read_regular, write_private
from .paths import sessions_dir
from .store import JOURNAL_SUFFIX, StoreError, load_record, parse_record

INDEX_NAME = "index.json"
MAX_INDEX_BYTES = 512 * 1024 * 1024  # about 1 KB a session: far beyond a lifetime
VERSION = 2  # bump when the summary changes shape: an old index is then rebuilt
PARTNER_KEYS = ("side", "name", "mood_before", "mood_after", "feeling_before", "feeling_after",
                "speaking_seconds", "overtime_seconds", "interruptions_blocked",
                "reflections_confirmed_first_time", "reflection_retries", "hands_raised")


def index_path(data: Path) -> Path:
    return Path(data) / INDEX_NAME


def summarize(record: dict) -> dict[str, Any]:
    """What looking back needs from one validated record, as JSON-able values."""
    events = Counter(e["kind"] for e in record["events"])
    return {
        "id": record["id"],
        "started_at": record["started_at"].isoformat(),
        "ended_at": record["ended_at"].isoformat(),
        "t": record["started_at"].timestamp(),
        "protocol": record["protocol"],
        "topic": record["topic"],
        "topic_deck": record.get("topic_deck", ""),
        "status": record["status"],
        "duration_seconds": record["duration_seconds"],
        "partners": [{k: p[k] for k in PARTNER_KEYS if k in p} for p in record["partners"]],
        "events": dict(events),
        "commitments": [[i, n["by"], n["text"], n.get("status", "open")]
                        for i, n in enumerate(record["notes"]) if n["kind"] == "commitment"],
        "notes": len(record["notes"]),
    }


_SHAPE = {"id": str, "started_at": str, "ended_at": str, "t": (int, float), "protocol": str, "topic": str,
          "topic_deck": str, "status": str, "duration_seconds": (int, float), "partners": list,
          "events": dict, "commitments": list, "notes": int}


def _well_formed(summary: object) -> bool:
    """A cheap check that an entry read from the index has the shape `summarize` gives."""
    if not isinstance(summary, dict):
        return False
    for key, kind in _SHAPE.items():
        if not isinstance(summary.get(key), kind) or isinstance(summary.get(key), bool):
            return False
    partners = summary["partners"]
    if len(partners) != 2 or not all(isinstance(p, dict) and isinstance(p.get("name"), str)
                                     and isinstance(p.get("speaking_seconds"), (int, float)) for p in partners):
        return False
    if not all(isinstance(c, list) and len(c) == 4 for c in summary["commitments"]):
        return False
    try:
        datetime.fromisoformat(summary["started_at"])
    except ValueError:
        return False
    return True


@dataclass
class Listing:
    """Every readable session's summary, newest first, and one error per damaged file."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    errors: list[StoreError] = field(default_factory=list)
    parsed: int = 0  # how many files were read this time (0 when the index was all current)

    @cached_property
    def by_id(self) -> dict[str, dict[str, Any]]:
        return {e["id"]: e for e in self.entries}


def _digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def _read_index(path: Path) -> tuple[dict[str, Any], bool]:
    """The index's file table and whether it is exactly as heartline wrote it; ({}, False) when unusable.

    The first line is a header with a checksum of the rest: a table whose
    checksum matches needs no entry-by-entry shape check (that took longer
    than reading it); one that does not is still used, each entry checked.
    """
    try:
        raw = read_regular(path, limit=MAX_INDEX_BYTES)
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
        files = json.loads(body)
    except (OSError, ValueError):
        return {}, False
    if not isinstance(header, dict) or header.get("version") != VERSION or not isinstance(files, dict):
        return {}, False
    return files, header.get("digest") == _digest(body)


def _key(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def _parse(path: Path) -> dict[str, Any]:
    """One file's summary, or its problem in words."""
    try:
        raw = read_regular(path)
    except FileRefused as exc:
        return {"error": str(exc).removeprefix(f"{path} ")}
    except OSError as exc:
        return {"error": f"cannot be read ({exc.strerror or exc})"}
    try:
        if not raw.strip():
            raise StoreError(path, "is empty")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise StoreError(path, "is not a text file (not UTF-8): it may be damaged") from None
        if "\x00" in text:
            raise StoreError(path, "is not a text file (it has NUL bytes): it may be damaged")
        return {"summary": summarize(parse_record(text, path))}
    except StoreError as exc:
        return {"error": exc.problem}


def load(data: Path, *, write: bool = True) -> Listing:
    """The sessions under `data`, from the index where it is current and the files where not."""
    data = Path(data)
    folder = sessions_dir(data)
    old, intact = _read_index(index_path(data))
    files: dict[str, Any] = {}
    listing = Listing()
    try:
        scan = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        scan = []
    changed = False
    for item in scan:
        name = item.name
        if name.startswith(".") or not name.endswith(".toml"):
            continue  # a temporary file from a write in progress, or not ours
        path = folder / name
        try:
            info = item.stat()  # follows a link, as reading does
        except OSError:
            continue  # removed meanwhile
        if not stat.S_ISREG(info.st_mode):
            listing.errors.append(StoreError(path, "is not a regular file"))
            continue
        if info.st_size == 0 and (folder / (name[:-5] + JOURNAL_SUFFIX)).exists():
            continue  # a session in progress: its name is taken, its record not written yet
        key = _key(info)
        entry = old.get(name)
        if not (isinstance(entry, dict) and entry.get("key") == key
                and (("summary" in entry and (intact or _well_formed(entry["summary"])))
                     or isinstance(entry.get("error"), str) and "summary" not in entry)):
            entry = {"key": key, **_parse(path)}
            listing.parsed += 1
            changed = True
        files[name] = entry
        if "summary" in entry:
            entry["summary"]["file"] = name
        else:
            listing.errors.append(StoreError(path, entry["error"]))
    if set(files) != set(old):
        changed = True
    # one session a id: the file named after it wins, else the first by name (as store.scan does)
    by_id: dict[str, dict[str, Any]] = {}
    for name in sorted(files):
        summary = files[name].get("summary")
        if summary is None:
            continue
        sid = summary["id"]
        kept = by_id.get(sid)
        if kept is None:
            by_id[sid] = summary
            continue
        if name == f"{sid}.toml" and kept["file"] != f"{sid}.toml":
            by_id[sid], summary = summary, kept
        listing.errors.append(StoreError(folder / summary["file"], f"holds the same session ({sid}) as "
                                         f"{by_id[sid]['file']}: a conflict, {by_id[sid]['file']} is the one shown"))
    listing.entries = list(by_id.values())
    listing.entries.sort(key=lambda e: (e["t"], e["id"]), reverse=True)
    listing.errors.sort(key=lambda e: e.source)
    if changed and write and (files or old):
        try:
            body = json.dumps(files, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            head = json.dumps({"version": VERSION, "digest": _digest(body), "sessions": len(files)}).encode()
            write_private(index_path(data), head + b"\n" + body)
        except OSError:
            pass  # the index is only a shortcut; the files are still read correctly
    return listing


def path_of(data: Path, entry: dict[str, Any]) -> Path:
    """The file an entry was read from (a file's name need not be its id)."""
    return sessions_dir(Path(data)) / entry["file"]


def started(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["started_at"])


def ended(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["ended_at"])


def recent(data: Path) -> tuple[list[dict[str, Any]], list[StoreError]]:
    """The newest session and the newest one with commitments, read in full (at most two files).

    What home and the start of a session show ("last time …", last time's
    commitments) without reading every record: `history.last_time` and
    `history.last_commitments` give the same answers over these as over all.
    """
    listing = load(data)
    wanted = listing.entries[:1] + next(([e] for e in listing.entries if e["commitments"]), [])
    records: list[dict[str, Any]] = []
    errors = list(listing.errors)
    for entry in dict.fromkeys(e["id"] for e in wanted):
        try:
            records.append(load_record(path_of(data, listing.by_id[entry])))
        except StoreError as exc:  # changed since the index was read: say so, show the rest
            errors.append(exc)
    return records, errors

"""Trends over years of sessions without reading every summary again: the figures kept beside the index.

`<data>/index-trends.json` holds the last figures `stats.compute` gave (and
the files' problems it reported), keyed by what they were computed from: the
session files as listed and stat'ed (name, size, mtime, inode: the index's own
test of a file unchanged), `--last`, and the code that computes them (a hash of
the trends, index and rows modules, so a newer heartline never shows an older
one's figures). They are kept only while the index on disk is the one they
came from, and used only until the one figure that moves with the calendar
(`sessions_last_30_days`) could change. A hit costs the folder's listing and
stat (which every read of the index pays), not the index's 10 MB at 20,000.

The files stay the truth, the index the shortcut to them, and this a shortcut
to the index: whenever the index is written this file goes (`index._write`),
so it never holds a word the index no longer does; a cache that cannot be
read, is of another version or has the wrong shape is not believed, only
computed again and rewritten (atomically, 0600).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from array import array
from dataclasses import fields
from datetime import datetime, timezone
from functools import lru_cache
from itertools import chain
from pathlib import Path

from . import index, rows, stats
from .files import read_regular, write_private
from .paths import sessions_dir
from .validate import StoreError

VERSION = 1
MAX_BYTES = 64 * 1024 * 1024
MONTH = 30 * stats.DAY  # `sessions_last_30_days`'s window
KEEP = 4  # figures kept for this many `--last` values over one index


@lru_cache(maxsize=1)
def _code() -> str:
    """The code the figures come from: a newer or changed heartline computes them again."""
    digest = hashlib.blake2b(digest_size=16)
    for module in (stats, index, rows):
        digest.update(Path(module.__file__).read_bytes())
    digest.update(str(index.VERSION).encode())
    return digest.hexdigest()


def cache_path(data: Path) -> Path:
    return Path(data) / index.TRENDS_NAME


def trends(data: Path, last: int | None = None, now: datetime | None = None
           ) -> tuple[stats.Trends, list[StoreError]]:
    """The trends over the sessions under `data` (as `stats.compute` over `index.load`) and the files' problems."""
    data = Path(data)
    now = now or datetime.now(timezone.utc)
    with index.no_cycles_collected():  # tens of thousands of small lists and no cycles among them
        if cache_path(data).exists():
            found, scan_errors = index._scan(sessions_dir(data))
            kept = _read(data, _fingerprint(found), last, now.timestamp())
            if kept is not None:
                figures, problems = kept
                errors = scan_errors + [StoreError(source, problem) for source, problem in problems]
                return stats.Trends(**figures), sorted(errors, key=lambda e: e.source)
        listing = index.load(data)
        out = stats.compute(listing.entries, last, now)
        if listing.key is not None:
            _save(data, listing, last, out, now.timestamp())
    return out, listing.errors


def _fingerprint(found: list[tuple[str, list[int]]]) -> str:
    """The session files as listed and stat'ed (name, size, mtime, inode): any change to one, another print.

    In the folder's own order (the same while nothing in it changes; another
    order only computes the figures again), the numbers packed, not formatted:
    at 20,000 files that is 10 ms, not 60.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update("\0".join([name for name, _ in found]).encode("utf-8", "surrogateescape"))
    try:
        digest.update(array("q", chain.from_iterable([key for _, key in found])).tobytes())
    except OverflowError:  # an inode beyond 2**63: written out instead
        digest.update(repr([key for _, key in found]).encode())
    return digest.hexdigest()


def _problems(data: Path, listing: index.Listing) -> list[list[str]]:
    """The problems of the files listed (damaged, one id in two), not of names that are no file (listed anew)."""
    folder = str(sessions_dir(data))
    names = {name for name, _ in listing.found}
    return [[e.source, e.problem] for e in listing.errors
            if os.path.dirname(e.source) == folder and os.path.basename(e.source) in names]


def _until(entries: list, last: int | None, now_t: float) -> float | None:
    """Until when the figures hold as the days go by: the next time a session enters or leaves the last 30 days."""
    counted = [row for row in entries if not stats.not_started(row)]
    times = [row[index.T] for row in (counted[:last] if last else counted)]
    moments = [t + MONTH for t in times if 0 <= now_t - t <= MONTH] + [t for t in times if t > now_t]
    return min(moments, default=None)


def _key(fingerprint: str, last: int | None) -> list:
    return [VERSION, _code(), fingerprint, last]


def _read(data: Path, fingerprint: str, last: int | None, now_t: float) -> tuple[dict, list] | None:
    """The figures kept for these very files and `last`, while the calendar leaves them true; else None."""
    try:
        kept = json.loads(read_regular(cache_path(data), limit=MAX_BYTES))
        for entry in kept:
            if entry["key"] != _key(fingerprint, last):
                continue
            until, figures, problems = entry["until"], entry["figures"], entry["problems"]
            if not (entry["at"] <= now_t and (until is None or now_t < until)) or set(figures) != _FIELDS:
                return None
            if not all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in problems):
                return None
            return figures, problems
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        pass
    return None


_FIELDS = {f.name for f in fields(stats.Trends)}


def _save(data: Path, listing: index.Listing, last: int | None, out: stats.Trends, now_t: float) -> None:
    """Keep the figures for the files they were computed from, while the index on disk is the one they came from."""
    if not math.isfinite(now_t):
        return
    entry = {"key": _key(_fingerprint(listing.found), last), "at": now_t,
             "until": _until(listing.entries, last, now_t), "figures": out.as_dict(),
             "problems": _problems(data, listing)}
    kept = [entry]
    try:
        earlier = json.loads(read_regular(cache_path(data), limit=MAX_BYTES))
        kept += [e for e in earlier if isinstance(e, dict) and isinstance(e.get("key"), list)
                 and e["key"][:3] == entry["key"][:3] and e["key"] != entry["key"]][:KEEP - 1]
    except (OSError, ValueError, TypeError):
        pass
    try:
        body = json.dumps(kept, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        write_private(cache_path(data), body.encode("utf-8"))
        if _index_digests(data) != tuple(listing.key):  # written anew meanwhile: these may hold words it dropped
            cache_path(data).unlink(missing_ok=True)
    except (OSError, ValueError):
        pass  # only a shortcut: the figures are computed again next time


def _index_digests(data: Path) -> tuple | None:
    """The digests the index on disk now names in its header line."""
    with open(index.index_path(data), "rb") as f:
        header = json.loads(f.readline())
    return (header.get("keys"), header.get("rows")) if isinstance(header, dict) else None

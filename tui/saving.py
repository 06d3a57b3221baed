"""Saving a session without ever lying about it.

`SessionSaver` holds what a live session needs to be saved at any moment: the
engine and its journal. It writes the record, removes the journal only after
the record is safely written, and when the record cannot be written it keeps
both the session in memory and its journal, and says exactly that.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from heartline.sessions import journal as journals
from heartline.sessions import keep as keeping
from heartline.sessions import store
from heartline.sessions.paths import sessions_dir
from heartline.sessions.engine import Engine


class SessionSaver:
    """Save once; if that fails, try again or save elsewhere, as often as needed."""

    def __init__(self, engine: Engine, data_dir: Path, journal: journals.Journal | None) -> None:
        self.engine = engine
        # What the file keeps (sessions/keep.py): the setting `keep` (read from `config_dir` when the session
        # is first saved), with no topics for later and no moods until both say yes at the end.
        self.keep, self.keep_topics, self.keep_moods = keeping.DEFAULT, False, False
        self.config_dir: Path | None = None
        self.chosen = False  # the couple answered "what do you keep?" (`rekeep`)
        self.kept_nothing = False  # nothing is kept: no record, and the journal is gone
        self.data_dir = data_dir
        self.journal = journal
        self.path: Path | None = None
        self.error = ""
        self.name_checked = False  # no record in a file under another name holds this session's id
        self.name_check: asyncio.Future | None = None  # the check after the first frame, while it runs

    @classmethod
    def start(cls, engine: Engine, data_dir: Path) -> SessionSaver:
        """Take the session's name and open its journal; without a journal the session still runs.

        The name is taken by the folder's file names alone (no record is read
        before the first frame): `check_name_soon` then makes sure no record
        inside a file holds the same id, and moves the journal if one does.
        """
        try:
            journal = journals.Journal.start(data_dir, engine, taken=set())
        except (OSError, journals.JournalError) as exc:
            saver = cls(engine, data_dir, None)
            saver.error = f"no journal could be kept ({_reason(exc)})"
            if not engine.session_id:
                engine.session_id = saver._free_id(set())
            return saver
        return cls(engine, data_dir, journal)

    def _free_id(self, taken: set[str]) -> str:
        """An id no file in the folder and nothing in `taken` uses (for a session without a journal)."""
        partners = self.engine.partners
        return journals.free_id(sessions_dir(self.data_dir), self.engine.started_at, partners["left"].name,
                                partners["right"].name, taken)

    def check_name(self, record_ids: set[str] | None = None) -> None:
        """Make sure no record inside a file holds this session's id (`record_ids`: read now when not given)."""
        if self.name_checked or self.path is not None:
            return
        if record_ids is None:
            try:
                record_ids = set(store.record_files(self.data_dir))
            except OSError:
                return  # the save that follows says what is wrong with the folder
        self.name_checked = True
        if self.engine.session_id not in record_ids:
            return
        if self.journal is not None:
            if not self.journal.rename(self.data_dir, self.engine, record_ids):
                self.name_checked = False  # tried again before the record is written
        else:
            self.engine.session_id = self._free_id(record_ids)

    def check_name_soon(self) -> None:
        """Read the records' ids on a thread (the index can be large), then `check_name` here on the loop."""
        if self.name_checked or self.name_check is not None:
            return
        loop = asyncio.get_running_loop()
        self.name_check = loop.create_future()

        def read() -> None:
            try:
                ids = set(store.record_files(self.data_dir))
            except Exception:  # noqa: BLE001 - the save checks again, and says what is wrong
                ids = None
            try:
                loop.call_soon_threadsafe(self._checked, ids)
            except RuntimeError:
                pass  # the app has gone: the session was saved (and checked) on the way out

        threading.Thread(target=read, name="heartline-name-check", daemon=True).start()

    def _checked(self, ids: set[str] | None) -> None:
        if ids is not None:
            self.check_name(ids)
        if self.name_check is not None and not self.name_check.done():
            self.name_check.set_result(self.name_checked)

    def record(self) -> dict | None:
        """The record as it is kept (schema 2: never a per-partner tally), or None when nothing is kept."""
        return keeping.kept(self.engine.record(), self.keep, topics=self.keep_topics, moods=self.keep_moods)

    @property
    def saved(self) -> bool:
        return self.path is not None

    @property
    def journal_kept(self) -> bool:
        """The session is on disk in its journal, so a later start will offer it."""
        return self.journal is not None and self.journal.complete and self.journal.path.exists()

    def keep_now(self) -> str:
        """What ending now would keep: the choice made on the summary, else the `keep` setting."""
        self._setting()
        return self.keep

    def _setting(self) -> None:
        if self.chosen or self.config_dir is None:
            return
        from heartline.sessions import prefs

        self.keep = prefs.load(self.config_dir).keep

    def save(self) -> Path | None:
        """Write the record (again, after a failure); the journal goes only once it is written.

        With `keep = "nothing"` no record is written, and the journal and the
        name taken for the session are removed: nothing of it stays on disk.
        """
        if self.path is not None or self.kept_nothing:
            return self.path
        self._setting()
        if self.keep == "nothing":
            self._keep_nothing()
            return None
        if self.journal is not None:
            self.journal.flush()  # catch up first: space may have come back
        self.check_name()  # at once, if the session ends before the check after the first frame came back
        from heartline.sessions import recentcache  # not on the way to the first frame

        before = recentcache.before_save(self.data_dir, self.engine.session_id) if self.journal is not None else None
        try:
            self.path = store.save_record(self.record(), self.data_dir)
        except (OSError, store.StoreError) as exc:
            self.error = _reason(exc)
            return None
        self.error = ""
        if self.journal is not None:
            self.journal.finish()
            recentcache.saved(self.data_dir, before)  # the next start knows who began this one at once
        return self.path

    def _keep_nothing(self) -> None:
        self.keep_nothing()

    def keep_nothing(self, forget_names: bool = True) -> None:
        """No record, no journal, no name taken. A run that ended at "later, within a day" keeps the names
        remembered for the next setup (`forget_names=False`): nothing of it was said, and you come back soon."""
        if self.journal is not None:
            self.journal.finish()
        name = sessions_dir(self.data_dir) / f"{self.engine.session_id}.toml"
        journals.free_name(name)  # the empty file that held the session's name (its names are in it)
        if forget_names:
            self._forget_names()
        self.kept_nothing, self.error = True, ""

    def _forget_names(self) -> None:
        """Nothing kept: the names remembered for the next setup go too (settings.toml is left otherwise)."""
        if self.config_dir is None:
            return
        from heartline.sessions import prefs

        remembered = prefs.load(self.config_dir)
        names = {p.name for p in self.engine.partners.values()}
        if remembered.problem or not {remembered.left, remembered.right} & names:
            return
        try:
            prefs.save(self.config_dir, remembered.remember(left="", right=""))
        except OSError:
            pass  # a settings file that cannot be written keeps them; nothing of the session is in it

    def rekeep(self, keep: str, topics: bool = False, moods: bool = False) -> Path | None:
        """The couple's answer at the end: write the record again with what they keep, or remove it."""
        self.keep, self.keep_topics, self.keep_moods, self.chosen = keep, topics, moods, True
        if keep == "nothing":
            if self.path is not None:
                try:
                    store.delete_for_good(self.data_dir, self.engine.session_id, self.path.name)
                except (OSError, store.StoreError) as exc:
                    self.error = _reason(exc)
                    return self.path
                self.path = None
            self._keep_nothing()
            return None
        self.path, self.kept_nothing = None, False
        return self.save()

    def save_elsewhere(self, folder: Path) -> Path | None:
        """Write the record into a folder the couple chose: safely written, so the journal goes."""
        try:
            self.path = journals.write_elsewhere(self.record(), Path(folder).expanduser())
        except FileExistsError:
            self.error = f"{folder} already holds a file for this session"
            return None
        except (OSError, store.StoreError) as exc:
            self.error = _reason(exc)
            return None
        self.error = ""
        if self.journal is not None:
            self.journal.finish()
        return self.path

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror.lower()}{where}"
    return str(exc)

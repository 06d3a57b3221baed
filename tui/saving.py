"""Saving a session without ever lying about it.

`SessionSaver` holds what a live session needs to be saved at any moment: the
engine and its journal. It writes the record, removes the journal only after
the record is safely written, and when the record cannot be written it keeps
both the session in memory and its journal, and says exactly that.
"""

from __future__ import annotations

from pathlib import Path

from heartline.sessions import journal as journals
from heartline.sessions import store
from heartline.sessions.engine import Engine


class SessionSaver:
    """Save once; if that fails, try again or save elsewhere, as often as needed."""

    def __init__(self, engine: Engine, data_dir: Path, journal: journals.Journal | None) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self.journal = journal
        self.path: Path | None = None
        self.error = ""

    @classmethod
    def start(cls, engine: Engine, data_dir: Path) -> SessionSaver:
        """Take the session's name and open its journal; without a journal the session still runs."""
        try:
            journal = journals.Journal.start(data_dir, engine)
        except (OSError, journals.JournalError) as exc:
            saver = cls(engine, data_dir, None)
            saver.error = f"no journal could be kept ({_reason(exc)})"
            if not engine.session_id:
                engine.session_id = store.make_session_id(engine.started_at, engine.partners["left"].name,
                                                          engine.partners["right"].name,
                                                          store.existing_ids(data_dir))
            return saver
        return cls(engine, data_dir, journal)

    @property
    def saved(self) -> bool:
        return self.path is not None

    @property
    def journal_kept(self) -> bool:
        """The session is on disk in its journal, so a later start will offer it."""
        return self.journal is not None and self.journal.complete and self.journal.path.exists()

    def save(self) -> Path | None:
        """Write the record (again, after a failure); the journal goes only once it is written."""
        if self.path is not None:
            return self.path
        if self.journal is not None:
            self.journal.flush()  # catch up first: space may have come back
        try:
            self.path = store.save_record(self.engine.record(), self.data_dir)
        except (OSError, store.StoreError) as exc:
            self.error = _reason(exc)
            return None
        self.error = ""
        if self.journal is not None:
            self.journal.finish()
        return self.path

    def save_elsewhere(self, folder: Path) -> Path | None:
        """Write the record into a folder the couple chose: safely written, so the journal goes."""
        try:
            self.path = journals.write_elsewhere(self.engine.record(), Path(folder).expanduser())
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

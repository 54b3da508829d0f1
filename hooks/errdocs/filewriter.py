"""Writing many small files on a worker thread, in order.

A build of 10,000 codes creates 10,000 Markdown twins. Creating a file is disk work
(a directory entry, an inode, the journal) that costs up to half a millisecond on a
busy disk, for instance right after MkDocs has deleted the previous site. Done inline
it would all land on the one core MkDocs keeps busy; a worker thread makes the system
calls (which release the GIL) while MkDocs goes on converting pages.
"""

from __future__ import annotations

import os
import queue
import threading
from functools import partial
from pathlib import Path
from typing import Callable, Optional

Job = Callable[[], None]


def write_bytes(path: Path, data: bytes) -> None:
    """Create or replace ``path`` with ``data`` (os-level: no file object per file)."""
    view = memoryview(data)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


class FileWriter:
    """Runs write jobs on one worker thread, first in, first out.

    ``wait()`` returns once every job submitted so far is done and re-raises the
    first job's error, if any; later jobs are skipped after an error. The queue is
    bounded so memory stays flat when the disk is slower than the build: 2,048 twins
    are about 6 MB. Deep enough that the build rarely waits: while MkDocs converts
    pages it holds the GIL, and the writer mostly catches up when MkDocs writes HTML.
    """

    def __init__(self, *, backlog: int = 2048) -> None:
        self._jobs: queue.Queue[Optional[Job]] = queue.Queue(maxsize=backlog)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def write(self, path: Path, data: bytes) -> None:
        self.submit(partial(write_bytes, path, data))

    def submit(self, job: Job) -> None:
        self._raise_error()
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="errdocs-writer", daemon=True)
            self._thread.start()
        self._jobs.put(job)

    def wait(self) -> None:
        """Block until every submitted job has run; raise the first error a job raised."""
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join()
            self._thread = None
        self._raise_error()

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if self._error is None:
                try:
                    job()
                except BaseException as err:  # handed to the caller by wait()
                    self._error = err

    def _raise_error(self) -> None:
        error, self._error = self._error, None
        if error is not None:
            raise error

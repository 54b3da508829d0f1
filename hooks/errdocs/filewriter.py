"""Writing many small files while the build keeps its one thread busy.

A build of 10,000 codes creates 10,000 Markdown twins and ``llms-full.txt``, which
repeats them. MkDocs converts pages on one thread and holds the GIL while it does. A
writer *thread* got the GIL back only every 5 ms (the switch interval) after each of
its system calls, so it fell behind and the build waited for it: about 1 s at 10,000
codes. So the files are written by a child Python process fed through a pipe: the build
only copies each file's bytes into the pipe, and the child makes the system calls on
another core. It is started with the writer, at the start of a build, so its own start
(about 6 ms) is over before the first page is ready. With a single CPU there is no other
core to use, and the files are written inline; so are a small site's few files (the caller
decides: ``publish.SPAWN_FROM_CODES``).

Running this file as a script is the child: it reads frames from stdin until EOF.
It imports nothing but the standard library (it runs with ``-I -S``).
"""

from __future__ import annotations

import os
import signal
import struct
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO, Sequence, Union

PathLike = Union[str, bytes, Path]

_COUNT = struct.Struct("<cI")  # operation, number of fields
_LENGTH = struct.Struct("<I")  # length of the next field
_WRITE, _JOIN = b"W", b"J"


def write_bytes(path: PathLike, data: bytes) -> None:
    """Create or replace ``path`` with ``data`` (os-level: no file object per file)."""
    view = memoryview(data)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def join_files(target: PathLike, head: bytes, sources: Sequence[PathLike], *, skip: int, sep: bytes, tail: bytes) -> None:
    """Write ``target``: ``head``, then for each source ``sep`` and its bytes from ``skip``
    on without trailing newlines, then ``tail``. Bytes in, bytes out: nothing is decoded."""
    with open(target, "wb") as out:
        out.write(head)
        for source in sources:
            with open(source, "rb") as part:
                body = part.read()[skip:]
            out.write(sep)
            out.write(body.rstrip(b"\n"))
        out.write(tail)


class FileWriter:
    """Writes files in the order asked, through a child process or inline.

    ``wait()`` returns once every file asked for so far is written, and raises
    ``OSError`` for the first one that failed; files asked for after a failure are
    skipped. A writer can be used again after ``wait()``.
    """

    def __init__(self, *, spawn: bool | None = None) -> None:
        self._spawn = _cpus() > 1 if spawn is None else spawn
        """Whether to write through a child process (by default: if there is a core for it)."""
        self._child: subprocess.Popen[bytes] | None = None
        self._error: OSError | None = None
        self._start()

    @property
    def spawned(self) -> bool:
        """Whether a child process is writing (until the next ``wait()``)."""
        return self._child is not None

    def write(self, path: PathLike, data: bytes) -> None:
        if self._start() is None:
            self._run(write_bytes, path, data)
        else:
            self._send(_WRITE, [os.fsencode(path), data])

    def join(self, target: PathLike, head: bytes, sources: Sequence[PathLike], *, skip: int, sep: bytes, tail: bytes) -> None:
        """``join_files``, run after every file asked for before it."""
        if self._start() is None:
            self._run(join_files, target, head, sources, skip=skip, sep=sep, tail=tail)
        else:
            fields = [os.fsencode(target), head, sep, tail, str(skip).encode()]
            self._send(_JOIN, fields + [os.fsencode(source) for source in sources])

    def wait(self) -> None:
        child, self._child = self._child, None
        if child is not None:
            assert child.stdin is not None and child.stderr is not None
            try:
                child.stdin.close()  # flushes what is buffered; EOF ends the child
            except BrokenPipeError:
                pass
            message = child.stderr.read().decode("utf-8", "replace").strip()
            child.stderr.close()
            if child.wait() != 0 and self._error is None:
                self._error = OSError(message or f"the file writer process exited with status {child.returncode}")
        error, self._error = self._error, None
        if error is not None:
            raise error

    def flush(self) -> None:
        """Hand everything asked for so far to the child now, rather than when its pipe buffer fills."""
        if self._child is not None:
            try:
                self._child.stdin.flush()  # type: ignore[union-attr]
            except BrokenPipeError:
                pass  # the child stopped on an error; wait() reports it

    def _start(self) -> subprocess.Popen[bytes] | None:
        """The child process, started if need be; None to write inline."""
        if self._child is None and self._spawn and self._error is None and sys.executable:
            try:
                self._child = subprocess.Popen(
                    [sys.executable, "-I", "-S", __file__],
                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, bufsize=1 << 16,
                )
            except OSError:
                self._spawn = False  # no process to be had: inline it is
        return self._child

    def _run(self, func, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self._error is not None:
            return
        try:
            func(*args, **kwargs)
        except OSError as err:
            self._error = err

    def _send(self, operation: bytes, fields: list[bytes]) -> None:
        assert self._child is not None and self._child.stdin is not None
        frame = [_COUNT.pack(operation, len(fields))]
        for field in fields:
            frame += (_LENGTH.pack(len(field)), field)
        try:
            self._child.stdin.write(b"".join(frame))
        except BrokenPipeError:
            pass  # the child stopped on an error; wait() reports it


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may use (containers, taskset)
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _read_field(stream: BinaryIO) -> bytes:
    (length,) = _LENGTH.unpack(stream.read(_LENGTH.size))
    field = stream.read(length)
    if len(field) != length:
        raise EOFError
    return field


def _serve(stream: BinaryIO) -> int:
    """The child: run each frame from ``stream`` until EOF; stop at the first failure."""
    while True:
        head = stream.read(_COUNT.size)
        if not head:
            return 0  # EOF between frames: everything asked for is written
        try:
            operation, count = _COUNT.unpack(head)
            fields = [_read_field(stream) for _ in range(count)]
        except (struct.error, EOFError):
            return 1  # the build went away mid-frame; nobody is left to tell
        try:
            if operation == _WRITE:
                write_bytes(fields[0], fields[1])
            else:
                target, head, sep, tail, skip, *sources = fields
                join_files(target, head, sources, skip=int(skip), sep=sep, tail=tail)
        except OSError as err:
            name = os.fsdecode(err.filename) if err.filename is not None else "a file"
            print(f"cannot write {name}: {err.strerror or err}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the build, which then closes the pipe
    status = _serve(sys.stdin.buffer)
    sys.stderr.flush()
    # Straight out: the files are written and closed, and the build waits for this exit.
    # Tearing the interpreter down would cost it about 5 ms for nothing.
    os._exit(status)

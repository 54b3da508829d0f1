"""Making and writing the LLM files while the build keeps its one thread busy.

A build of 10,000 codes creates 10,000 Markdown twins and ``llms-full.txt``, which
repeats them. MkDocs converts pages on one thread and holds the GIL while it does. A
writer *thread* got the GIL back only every 5 ms (the switch interval) after each of
its system calls, so it fell behind and the build waited for it: about 1 s at 10,000
codes. So the files are handled by a child Python process fed through a pipe: the build
only copies each page's Markdown into the pipe, and the child turns it into the twin's
text (``twintext``), writes it, and makes the other files, on another core. It is
started with the writer, at the start of a build, so its own start is over before the
first page is ready. With a single CPU there is no other core to use, and the same work
is done inline; so is a small site's (the caller decides: ``publish.SPAWN_FROM_CODES``).

The child runs ``_child_main``: it reads frames from stdin until EOF, then answers with
the facts of the twins it made. It imports only the standard library and this package's
``twintext`` and ``markup`` (no MkDocs, YAML or registry model; it runs with ``-I -S``).
"""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO, Sequence, Union

from . import twintext

PathLike = Union[str, bytes, Path]

_COUNT = struct.Struct("<cI")  # operation, number of fields
_LENGTH = struct.Struct("<I")  # length of the next field
_WRITE, _JOIN, _TWIN = b"W", b"J", b"T"
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_CHILD = f"import sys; sys.path.insert(0, {_PACKAGE_PARENT!r}); from errdocs.filewriter import _child_main; _child_main()"


TwinFacts = tuple[int, tuple[str, ...]]
"""What the build keeps of a twin once it is written: its size in characters (for the
size budget) and the ``doc_url`` values it shows, sorted (for the parity gate)."""


def make_twin(path: PathLike, head: str, title: str, description: str, markdown: str, src_uri: str, docs_url: str) -> TwinFacts:
    """Write at ``path`` the twin of a page (``twintext.twin_text``); return its facts."""
    text = twintext.twin_text(head, title=title, description=description, markdown=markdown, src_uri=src_uri, docs_url=docs_url)
    write_bytes(path, text.encode("utf-8"))
    return len(text), tuple(sorted(twintext.doc_urls(text)))


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
    """Makes and writes files in the order asked, through a child process or inline.

    ``wait()`` returns once every file asked for so far is written, with the facts of
    the twins among them, in order; it raises ``OSError`` for the first file that
    failed, and files asked for after a failure are skipped. A writer can be used again
    after ``wait()``.
    """

    def __init__(self, *, spawn: bool | None = None) -> None:
        self._spawn = _cpus() > 1 if spawn is None else spawn
        """Whether to write through a child process (by default: if there is a core for it)."""
        self._child: subprocess.Popen[bytes] | None = None
        self._exiting: subprocess.Popen[bytes] | None = None
        """A child that answered and is exiting: ``reap()`` collects it."""
        self._error: OSError | None = None
        self._twins: list[TwinFacts] = []
        """Facts of the twins made inline since the last ``wait()``."""
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

    def twin(self, path: PathLike, head: str, *, title: str, description: str | None, markdown: str, src_uri: str, docs_url: str) -> None:
        """``make_twin``: the twin of a page, from its final Markdown; ``wait()`` returns its facts."""
        fields = [head, title, description or "", markdown, src_uri, docs_url]
        if self._start() is None:
            facts = self._run(make_twin, path, *fields)
            if facts is not None:
                self._twins.append(facts)
        else:
            self._send(_TWIN, [os.fsencode(path)] + [field.encode("utf-8") for field in fields])

    def join(self, target: PathLike, head: bytes, sources: Sequence[PathLike], *, skip: int, sep: bytes, tail: bytes) -> None:
        """``join_files``, run after every file asked for before it."""
        if self._start() is None:
            self._run(join_files, target, head, sources, skip=skip, sep=sep, tail=tail)
        else:
            fields = [os.fsencode(target), head, sep, tail, str(skip).encode()]
            self._send(_JOIN, fields + [os.fsencode(source) for source in sources])

    def wait(self) -> list[TwinFacts]:
        """Once everything asked for is written: the facts of each twin made since the last wait."""
        child, self._child = self._child, None
        twins, self._twins = self._twins, []
        if child is not None:
            assert child.stdin is not None and child.stdout is not None and child.stderr is not None
            try:
                child.stdin.close()  # flushes what is buffered; EOF ends the child
            except BrokenPipeError:
                pass
            # The child answers only after EOF, so neither side can block on a full pipe. It
            # closes both pipes before it exits, and answers only if everything was written.
            answer = child.stdout.read()
            message = child.stderr.read().decode("utf-8", "replace").strip()
            child.stdout.close()
            child.stderr.close()
            if answer and not message:
                # Its exit (about 1 ms, the kernel freeing its memory) need not hold the build up.
                self._exiting = child
                twins = [(size, tuple(urls)) for size, urls in json.loads(answer)]
            else:
                child.wait()
                self._error = self._error or OSError(message or f"the file writer process exited with status {child.returncode}")
        error, self._error = self._error, None
        if error is not None:
            raise error
        return twins

    def reap(self) -> None:
        """Collect the exit of the last child (``wait()`` returns as soon as it has answered)."""
        child, self._exiting = self._exiting, None
        if child is not None:
            child.wait()

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
            self.reap()
            try:
                self._child = subprocess.Popen(
                    [sys.executable, "-I", "-S", "-c", _CHILD],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=1 << 16,
                )
            except OSError:
                self._spawn = False  # no process to be had: inline it is
        return self._child

    def _run(self, func, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self._error is not None:
            return None
        try:
            return func(*args, **kwargs)
        except OSError as err:
            self._error = err
            return None

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


def _serve(stream: BinaryIO, twins: list[TwinFacts]) -> int:
    """The child: run each frame from ``stream`` until EOF, adding each twin's facts to
    ``twins``; stop at the first failure."""
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
            if operation == _TWIN:
                path, *texts = fields
                twins.append(make_twin(path, *(text.decode("utf-8") for text in texts)))
            elif operation == _WRITE:
                write_bytes(fields[0], fields[1])
            else:
                target, head, sep, tail, skip, *sources = fields
                join_files(target, head, sources, skip=int(skip), sep=sep, tail=tail)
        except OSError as err:
            name = os.fsdecode(err.filename) if err.filename is not None else "a file"
            print(f"cannot write {name}: {err.strerror or err}", file=sys.stderr)
            return 1
        except Exception as err:  # a bug, not bad input: still one line, never a traceback
            print(f"cannot make {os.fsdecode(fields[0])}: {type(err).__name__}: {err}", file=sys.stderr)
            return 1


def _child_main() -> None:
    """The writer process (``_CHILD``): serve stdin, answer with the twins' facts as JSON, exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the build, which then closes the pipe
    twins: list[TwinFacts] = []
    status = _serve(sys.stdin.buffer, twins)
    if status == 0:
        sys.stdout.buffer.write(json.dumps(twins, separators=(",", ":")).encode("ascii"))
    sys.stdout.flush()
    sys.stderr.flush()
    os.close(1)  # the build reads both pipes to their end: give it the end now, not at exit
    os.close(2)
    # Straight out: the files are written and closed, and nothing is left to free for anyone.
    # Tearing the interpreter down would cost about 5 ms for nothing.
    os._exit(status)

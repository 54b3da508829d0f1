"""The file writer: inline for a few files, a child process for many; order, completion, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from errdocs.filewriter import FileWriter, join_files, write_bytes
from errdocs.twintext import doc_urls, twin_text


@pytest.mark.parametrize("spawn", [False, True], ids=["inline", "child"])
def test_files_are_written_in_order_and_wait_means_done(tmp_path: Path, spawn: bool) -> None:
    writer = FileWriter(spawn=spawn)
    assert writer.spawned == spawn  # started with the writer, before the first file
    for i in range(50):
        writer.write(tmp_path / f"{i}.md", f"NOTE\npage {i}\n\n".encode())
    writer.flush()
    # The join is asked for after the pages: it must see every one of them.
    writer.join(tmp_path / "all.txt", b"HEAD", [tmp_path / f"{i}.md" for i in range(50)], skip=5, sep=b"\n\n", tail=b"\n")
    writer.wait()
    assert not writer.spawned
    assert (tmp_path / "7.md").read_bytes() == b"NOTE\npage 7\n\n"
    assert (tmp_path / "all.txt").read_bytes() == b"HEAD" + b"".join(f"\n\npage {i}".encode() for i in range(50)) + b"\n"


@pytest.mark.parametrize("spawn", [False, True], ids=["inline", "child"])
def test_a_failure_is_raised_by_wait_and_later_files_are_skipped(tmp_path: Path, spawn: bool) -> None:
    writer = FileWriter(spawn=spawn)
    writer.write(tmp_path / "first.md", b"1")
    writer.write(tmp_path / "missing-dir" / "x.md", b"x")
    writer.write(tmp_path / "after.md", b"y")
    with pytest.raises(OSError) as raised:
        writer.wait()
    assert "missing-dir" in str(raised.value) and "Traceback" not in str(raised.value)
    assert (tmp_path / "first.md").read_bytes() == b"1"
    assert not (tmp_path / "after.md").exists()
    writer.write(tmp_path / "again.md", b"z")  # usable again once the failure was reported
    assert writer.spawned == spawn  # a new child for the new files
    writer.wait()
    assert (tmp_path / "again.md").read_bytes() == b"z"


def test_wait_ends_the_child_process(tmp_path: Path) -> None:
    writer = FileWriter(spawn=True)
    child = writer._child
    writer.write(tmp_path / "a.md", b"a")
    assert child is not None and child.poll() is None  # running, waiting for more
    assert writer.wait() == []  # back as soon as the child has answered...
    assert (tmp_path / "a.md").read_bytes() == b"a"
    writer.reap()  # ...and its exit is collected afterwards: no process is left behind
    assert child.returncode == 0


def test_write_bytes_replaces_a_file_exactly(tmp_path: Path) -> None:
    target = tmp_path / "t.md"
    write_bytes(target, b"a longer first version\r\n")
    write_bytes(target, "é\n".encode())
    assert target.read_bytes() == "é\n".encode()


def test_join_files_cuts_the_prefix_and_trailing_newlines_only(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"xx\n\nbody a\n\n\n")
    (tmp_path / "b").write_bytes("xx\n\nbödy b\n".encode())
    join_files(tmp_path / "out", b"# H", [tmp_path / "a", tmp_path / "b"], skip=4, sep=b"\n\n", tail=b"\n")
    assert (tmp_path / "out").read_bytes() == "# H\n\nbody a\n\nbödy b\n".encode()


def test_the_child_loop_writes_whole_frames_and_stops_quietly_on_a_cut_one(tmp_path: Path) -> None:
    import io
    import struct

    from errdocs.filewriter import _serve

    path = str(tmp_path / "f.md").encode()
    frame = struct.pack("<cI", b"W", 2) + struct.pack("<I", len(path)) + path + struct.pack("<I", 3) + b"abc"
    assert _serve(io.BytesIO(frame), []) == 0
    assert (tmp_path / "f.md").read_bytes() == b"abc"
    # The build died while sending a frame: no traceback, no half-written file, status 1.
    assert _serve(io.BytesIO(frame.replace(b"f.md", b"g.md")[:-2]), []) == 1
    assert not (tmp_path / "g.md").exists()


PAGE = {
    "title": "Page <1>",
    "description": "What it is.",
    "markdown": (
        "# Page\n\nSee [the overview](overview.md).\n\n=== \"Python\"\n\n    ```json\n"
        '    {"doc_url": "https://docs.example.test/errors/x"}\n    ```\n'
    ),
    "src_uri": "errors/x.md",
    "docs_url": "https://docs.example.test/",
}


@pytest.mark.parametrize("spawn", [False, True], ids=["inline", "child"])
def test_twins_are_made_from_the_markdown_and_their_facts_come_back_in_order(tmp_path: Path, spawn: bool) -> None:
    writer = FileWriter(spawn=spawn)
    for i in range(30):
        writer.twin(tmp_path / f"{i}.md", f"HEAD {i}\n\n", **{**PAGE, "title": f"Page {i} é"})
    writer.write(tmp_path / "plain.txt", b"plain")  # other files keep their place among the twins
    writer.twin(tmp_path / "last.md", "", **{**PAGE, "description": None})
    facts = writer.wait()
    expected = twin_text("HEAD 7\n\n", **{**PAGE, "title": "Page 7 é"})
    assert (tmp_path / "7.md").read_bytes() == expected.encode()
    assert "# Page 7 é\n\n> What it is." in expected and "https://docs.example.test/errors/overview.md" in expected
    assert "\n## Python\n" in expected  # the content tab is flattened into a section
    assert len(facts) == 31
    assert facts[7] == (len(expected), ("https://docs.example.test/errors/x",))
    assert facts[30][0] == len((tmp_path / "last.md").read_text(encoding="utf-8"))
    assert doc_urls(expected) == {"https://docs.example.test/errors/x"}
    assert writer.wait() == []  # facts are handed over once


def test_a_twin_that_cannot_be_written_fails_the_wait_in_one_line(tmp_path: Path) -> None:
    writer = FileWriter(spawn=True)
    writer.twin(tmp_path / "no-dir" / "x.md", "", **PAGE)
    with pytest.raises(OSError) as raised:
        writer.wait()
    assert "no-dir" in str(raised.value) and "\n" not in str(raised.value)


def test_a_bug_in_the_child_loop_is_one_line_not_a_traceback(tmp_path: Path, capsys) -> None:
    import io
    import struct

    from errdocs.filewriter import _serve

    # A twin frame whose Markdown is not UTF-8 (the build never sends one): the child
    # stops with one line naming the file, which wait() then raises as the problem.
    fields = [str(tmp_path / "x.md").encode(), b"", b"T", b"", b"\xff\xfe", b"x.md", b"https://d.test/"]
    frame = struct.pack("<cI", b"T", len(fields)) + b"".join(struct.pack("<I", len(f)) + f for f in fields)
    twins: list = []
    assert _serve(io.BytesIO(frame), twins) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"cannot make {tmp_path / 'x.md'}: UnicodeDecodeError") and err.count("\n") == 1
    assert twins == [] and not (tmp_path / "x.md").exists()

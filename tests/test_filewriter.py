"""The worker thread that writes twins: order, completion and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from errdocs.filewriter import FileWriter, write_bytes


def test_jobs_run_in_order_and_wait_means_done(tmp_path: Path) -> None:
    writer = FileWriter(backlog=2)  # a small queue: submitting blocks instead of growing
    for i in range(50):
        writer.write(tmp_path / f"{i}.md", f"page {i}\n".encode())
    writer.submit(lambda: (tmp_path / "all.txt").write_text("".join(sorted(p.read_text() for p in tmp_path.glob("*.md")))))
    writer.wait()
    assert (tmp_path / "all.txt").read_text().count("page") == 50
    assert (tmp_path / "7.md").read_bytes() == b"page 7\n"


def test_an_error_is_raised_by_wait_and_later_jobs_are_skipped(tmp_path: Path) -> None:
    writer = FileWriter()
    writer.write(tmp_path / "missing-dir" / "x.md", b"x")
    writer.write(tmp_path / "after.md", b"y")
    with pytest.raises(FileNotFoundError):
        writer.wait()
    assert not (tmp_path / "after.md").exists()
    writer.write(tmp_path / "again.md", b"z")  # usable again once the error was reported
    writer.wait()
    assert (tmp_path / "again.md").read_bytes() == b"z"


def test_write_bytes_replaces_a_file_exactly(tmp_path: Path) -> None:
    target = tmp_path / "t.md"
    write_bytes(target, b"a longer first version\r\n")
    write_bytes(target, "é\n".encode())
    assert target.read_bytes() == "é\n".encode()

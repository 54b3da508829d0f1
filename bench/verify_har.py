"""`errdocs verify` on big HAR files: time and peak memory against the file's size.

Writes HAR files of 2,000 and 20,000 entries (about 5 and 50 MB: a browser session's page
loads with their bodies, and one error response in four, each a documented code of the
repository's registry), verifies each in a new process and prints the wall time and that
process's peak resident memory. Memory should not grow with the file: entries are streamed
and a success body is never kept. It is a script, not a test: nothing here asserts a time.

Usage: python bench/verify_har.py [--entries 2000,20000] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests")]

from errdocs import load_registry  # noqa: E402
from errdocs.render.snippets import example_envelope  # noqa: E402
from har_traffic import har_entry  # noqa: E402

PAGE = "<!doctype html><title>Dashboard</title>" + "<p>" + "x" * 2_000 + "</p>"
"""A success body as a browser records it: about 2 kB of HTML, which verify streams past."""


def write_big_har(path: Path, entries: int) -> int:
    """A HAR of ``entries`` entries, written entry by entry; its size in bytes."""
    registry = load_registry(ROOT / "registry.yaml")
    codes = [name for name, code in registry.codes.items() if code.returned]
    with path.open("w", encoding="utf-8") as out:
        out.write('{"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "pages": [], "entries": [')
        for number in range(entries):
            if number % 4 == 3:
                name = codes[number % len(codes)]
                code = registry.codes[name]
                headers = {"Content-Type": registry.envelope_media_type, "X-Request-ID": registry.site.example_request_id,
                           **{key: str(value) for key, value in code.example.headers.items()}}
                if 402 in code.statuses:
                    headers.setdefault("X-Billing-Status", "past_due")
                if 429 in code.statuses:
                    headers.setdefault("X-RateLimit-Limit", "100")
                entry = har_entry(f"https://api.test/v1/items/{number}", code.example_status,
                                  body=json.dumps(example_envelope(registry, name)), headers=headers)
            else:
                entry = har_entry(f"https://app.test/page/{number}?session=s3cret", 200, body=PAGE,
                                  headers={"Content-Type": "text/html"}, request_body='{"q": "' + "y" * 300 + '"}')
            out.write(("," if number else "") + json.dumps(entry))
        out.write("]}}")
    return path.stat().st_size


def measure(har: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB of the verify process, and its summary line."""
    script = (
        "import resource, sys\n"
        "from errdocs.__main__ import main\n"
        "code = main(sys.argv[1:])\n"
        "print('peak_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", script, "verify", str(har), "--registry", str(ROOT / "registry.yaml")],
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")})
    elapsed = time.perf_counter() - start
    peak = next(int(line.split()[1]) for line in run.stderr.splitlines() if line.startswith("peak_kb"))
    summary = next(line for line in run.stdout.splitlines() if line.startswith("errdocs verify:"))
    return elapsed, peak / 1024, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", default="2000,20000")
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="errdocs-verify-bench-"))
    print(f"{'entries':>8} {'MB':>6} {'seconds':>8} {'peak RSS MB':>12}")
    for entries in (int(n) for n in args.entries.split(",")):
        har = work / f"traffic-{entries}.har"
        size = write_big_har(har, entries)
        seconds, peak, summary = measure(har)
        print(f"{entries:>8} {size / 1e6:>6.1f} {seconds:>8.2f} {peak:>12.1f}   {summary}")
    print(f"python {sys.version.split()[0]}, ijson backend: {__import__('ijson').backend}; files in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

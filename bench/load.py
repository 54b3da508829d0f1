"""`make load`: how `make preview` (and nginx with hosting/nginx.conf, if installed) hold up
under concurrent clients, over a built site.

For each server and each concurrency (1, 16, 64 by default), a bounded number of requests
(2,000 by default) is shared out between that many client threads; each request opens a new
connection, as a burst of browsers and agents does, so a short listen backlog shows up as
1 s stalls (a dropped SYN is retried after 1 s). The mix: a page, its Markdown twin by
negotiation, a redirect, llms.txt gzip-compressed, a theme asset and a 404. Printed per level:
requests/s, p50, p99 and max latency, and the requests that failed (no answer, an error or
an unexpected status). A script, not a test: nothing here asserts a time.

Usage: python bench/load.py [--site site] [--requests 2000] [--levels 1,16,64] [--no-nginx]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hosting"))
from local_servers import NGINX, free_port, nginx, stop, wait_until_listening  # noqa: E402  (shared with the tests)


@dataclass(frozen=True)
class Probe:
    path: str
    headers: dict[str, str]
    status: int


def request_mix(site: Path) -> list[Probe]:
    """What the clients ask for, in turn: addresses taken from the site so any build works."""
    page = next(p for p in sorted((site / "errors").glob("*/index.html")))
    code = page.parent.name
    asset = next(a for a in sorted((site / "assets").rglob("*.min.css")))
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Accept-Encoding": "gzip, deflate"}
    return [
        Probe(f"/errors/{code}/", browser, 200),
        Probe(f"/errors/{code}", {"Accept": "text/markdown"}, 200),
        Probe(f"/errors/{code}", browser, 301),
        Probe("/llms.txt", {"Accept-Encoding": "gzip"}, 200),
        Probe("/" + asset.relative_to(site).as_posix(), browser, 200),
        Probe("/no/such/page/", browser, 404),
    ]


def one_request(port: int, probe: Probe) -> float | None:
    """Seconds for one request on a new connection, or None if it failed."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", probe.path, headers={**probe.headers, "Connection": "close"})
        response = connection.getresponse()
        response.read()
        if response.status != probe.status:
            return None
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()
    return time.perf_counter() - started


@dataclass
class Level:
    concurrency: int
    seconds: float
    latencies: list[float]
    failed: int

    def row(self, server: str) -> str:
        done = sorted(self.latencies) or [float("nan")]
        p99 = done[min(len(done) - 1, int(len(done) * 0.99))]
        total = len(self.latencies) + self.failed
        return (f"{server:<8} {self.concurrency:>5} {total:>8} {total / self.seconds:>9.0f} "
                f"{statistics.median(done) * 1000:>8.1f} {p99 * 1000:>8.1f} {done[-1] * 1000:>8.1f} {self.failed:>7}")


HEADER = f"{'server':<8} {'conc.':>5} {'requests':>8} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'failed':>7}"


def run_level(port: int, mix: list[Probe], *, concurrency: int, requests: int) -> Level:
    """``requests`` requests shared by ``concurrency`` threads, each taking the next one in turn."""
    latencies: list[float] = []
    failed = 0
    counter = iter(range(requests))
    lock = threading.Lock()

    def client() -> None:
        nonlocal failed
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            took = one_request(port, mix[index % len(mix)])
            with lock:
                if took is None:
                    failed += 1
                else:
                    latencies.append(took)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return Level(concurrency, time.perf_counter() - started, latencies, failed)


@contextlib.contextmanager
def preview(site: Path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "errdocs", "preview", str(site), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")})
    try:
        wait_until_listening(port)
        yield port
    finally:
        stop(proc)


@contextlib.contextmanager
def nginx_server(site: Path):
    """hosting/nginx.conf on 127.0.0.1 over ``site``, run as the tests run it."""
    with tempfile.TemporaryDirectory(prefix="errdocs-load-nginx-") as tmp, nginx(site, prefix=Path(tmp)) as port:
        yield port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (default: site, from `make build`)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per level (default: 2000)")
    parser.add_argument("--levels", default="1,16,64", help="concurrencies, comma-separated (default: 1,16,64)")
    parser.add_argument("--no-nginx", action="store_true", help="measure the preview only")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"load: {args.site}/index.html not found; run `make build` first", file=sys.stderr)
        return 1
    levels = [int(level) for level in args.levels.split(",")]
    servers = {"preview": preview}
    if not args.no_nginx and Path(NGINX).exists():
        servers["nginx"] = nginx_server
    mix = request_mix(args.site)
    print(f"{args.requests} requests per level, a new connection each; mix: {', '.join(p.path for p in mix)}")
    print(HEADER, flush=True)
    for name, start in servers.items():
        with start(args.site) as port:
            run_level(port, mix, concurrency=4, requests=len(mix) * 4)  # warm-up: caches, imports, page cache
            for concurrency in levels:
                print(run_level(port, mix, concurrency=concurrency, requests=args.requests).row(name), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

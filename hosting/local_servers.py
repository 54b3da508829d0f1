"""Servers on 127.0.0.1 for the tests and `make load`: the shipped nginx.conf over a built site,
and stopping any server by its PID. One home, so the tests and the load script run nginx the
same way (only `listen`, `root` and the headers' path differ from what a host installs)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

NGINX_CONF = Path(__file__).resolve().parent / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_HEADERS = "/etc/nginx/docs-headers.conf"
"""Where hosting/nginx.conf includes the build's ``_headers.nginx.conf`` from (README, nginx recipe)."""
BUILD_HEADERS = "_headers.nginx.conf"
"""The nginx form of the site's security headers, as the build writes it at the site root."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(port: int, *, seconds: float = 30.0) -> None:
    """Poll 127.0.0.1:``port`` until it accepts a connection (bounded: at most ``seconds``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a server started here, by its PID: ``sig``, then a kill if it lingers past 10 s."""
    proc.send_signal(sig)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def nginx_config(site: Path, *, port: int, prefix: Path) -> Path:
    """Write under ``prefix`` an nginx.conf that runs the shipped config over ``site`` on
    127.0.0.1:``port``, with the site's own security headers; return its path."""
    shipped = NGINX_CONF.read_text(encoding="utf-8")
    for expected in ("    listen 80;\n", "    root /var/www/docs/site;\n", NGINX_HEADERS):
        if expected not in shipped:
            raise ValueError(f"{NGINX_CONF} no longer holds {expected.strip()!r}: update {__file__}")
    shutil.copy(site / BUILD_HEADERS, prefix / "docs-headers.conf")  # as a deploy installs it
    (prefix / "docs.conf").write_text(
        shipped.replace("    listen 80;\n", f"    listen 127.0.0.1:{port};\n")
        .replace("    root /var/www/docs/site;\n", f"    root {site.resolve()};\n")
        .replace(NGINX_HEADERS, str(prefix / "docs-headers.conf")),
        encoding="utf-8",
    )
    temp = "".join(f"    {kind}_temp_path {prefix}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"events {{}}\nhttp {{\n    access_log off;\n{temp}    include {prefix}/docs.conf;\n}}\n",
        encoding="utf-8",
    )
    return conf


@contextlib.contextmanager
def nginx(site: Path, *, prefix: Path) -> Iterator[int]:
    """Debian's nginx with the shipped config over ``site`` (its files under ``prefix``); yields
    its port once it listens, and stops it by PID."""
    port = free_port()
    conf = nginx_config(site, port=port, prefix=prefix)
    check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the configuration: {check.stderr.strip()}")
    proc = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_listening(port, seconds=20)
        yield port
    finally:
        stop(proc, signal.SIGQUIT)  # graceful stop of master and worker

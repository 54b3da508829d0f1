"""`make bench`: what the registry hooks cost, from 16 to 10,000 codes.

For each N, in one run, after one untimed build of each project, interleaved, at least
3 times each (61 under 1,000 codes, 5 under 10,000), median reported, the order
turning each round:

  A  `mkdocs build` of the generated site (hooks on)
  B  `mkdocs build` of the same pages written out as static Markdown, hooks off
     (the floor: what MkDocs costs for these pages anyway)
  C  the hooks' own time by phase (load, validate, render, includes, llms, contract),
     reported by the hook itself (ERRDOCS_TIMINGS) during the A builds
  D  (N=1,000) the mkdocs-llmstxt plugin producing llms.txt + llms-full.txt on the static
     site (its build minus B) against our LLM surfaces on the same pages (C's llms + includes)

plus peak memory (max RSS of the build process) and, at N=1,000, the `mkdocs serve`
rebuild time after a registry.yaml edit against the rebuild after a hand-written page
edit, measured over HTTP on 127.0.0.1. It prints a table and a final line of ratios.
It is a script, not a test: nothing here asserts a time.

Usage: python bench/run.py [--sizes 16,1000,10000] [--runs 3] [--work DIR] [--skip-serve]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from stats import ratio_interval  # noqa: E402
from synthetic import mkdocs_yml, write_site  # noqa: E402

from errdocs.loading import load_registry  # noqa: E402
from errdocs.navigation import add_code_groups  # noqa: E402

SMALL_RUNS = 61
"""Rounds for sizes under 1,000 codes (at least --runs). These builds take half a second,
and this machine's noise moves a single build by 30 ms, about what the hooks cost. More
rounds narrow the median's spread within a run (61 cost about a minute); they do not remove
the machine's drift between runs, which still moves A/B by a few % (docs/performance.md)."""
MID_RUNS = 5
"""Rounds for sizes under 10,000 codes (at least --runs)."""
INTERVAL_FROM_RUNS = 20
"""Fewest rounds for which A/B gets a bootstrap interval: resampling a handful of rounds
says nothing about the machine's noise."""
PHASES = ["load", "validate", "render", "contract", "includes", "llms"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}
BASE_NAV = [{"Home": "index.md"}, {"Errors": ["errors/overview.md"]}]
MEASURE = (
    "import resource, runpy, sys, json, os\n"
    "sys.argv = ['mkdocs'] + sys.argv[1:]\n"
    "code = 0\n"
    "try:\n"
    "    runpy.run_module('mkdocs', run_name='__main__')\n"
    "except SystemExit as exit:\n"
    "    code = exit.code or 0\n"
    "open(os.environ['BENCH_RSS'], 'w').write(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    "sys.exit(code)\n"
)


def nav_yaml(nav: list) -> str:
    return "".join("  " + line + "\n" for line in yaml.safe_dump(nav, sort_keys=False).splitlines())


def prepare(n: int, work: Path) -> dict[str, Path]:
    """Project A (hooks), project B (static copy of A's pages, no hooks) and B + mkdocs-llmstxt."""
    a = write_site(n, work / f"n{n}" / "hooked")
    (a / "mkdocs.yml").write_text(mkdocs_yml(nav_yaml(BASE_NAV), hooks=True), encoding="utf-8")
    # Like `make build` and like pip for MkDocs itself: the hooks run from bytecode, not
    # recompiled per build (PYTHONDONTWRITEBYTECODE may be set).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(a / "hooks")], check=True)
    out = work / f"n{n}" / "generated"
    subprocess.run([sys.executable, "-m", "errdocs", "generate", str(out), "-f", str(a / "mkdocs.yml")],
                   check=True, capture_output=True, env={**ENV, "PYTHONPATH": str(a / "hooks")})
    registry = load_registry(a / "registry.yaml")
    full_nav = add_code_groups(BASE_NAV, registry)
    projects = {"A": a}
    for name, plugins in (("B", ""), ("D", _llmstxt_plugins(full_nav))):
        if name == "D" and n != 1000:
            continue
        project = work / f"n{n}" / name
        if project.exists():
            shutil.rmtree(project)
        shutil.copytree(out / "docs", project / "docs")
        (project / "mkdocs.yml").write_text(mkdocs_yml(nav_yaml(full_nav), hooks=False, plugins=plugins), encoding="utf-8")
        projects[name] = project
    return projects


def _llmstxt_plugins(nav: list) -> str:
    return (
        "plugins:\n  - search\n  - llmstxt:\n      full_output: llms-full.txt\n      sections:\n"
        "        Docs:\n          - index.md\n        Errors:\n          - errors/*.md\n"
    )


def build(project: Path, timings: Path | None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `mkdocs build` process."""
    rss_file = project.parent / f"{project.name}.rss"
    # No PYTHONPATH: MkDocs puts the hook's folder on sys.path while it loads the hook
    # (as in `make build`); a PYTHONPATH entry would be searched by every later import.
    env = {**ENV, "BENCH_RSS": str(rss_file)}
    if timings is not None:
        env["ERRDOCS_TIMINGS"] = str(timings)
    # Each build starts from no output, the previous one deleted and flushed to disk
    # outside the timing: otherwise the disk work of the last build (A's, B's or D's)
    # lands in the next one and swings single builds by 10%.
    shutil.rmtree(project / "site", ignore_errors=True)
    os.sync()
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, "build", "-q", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")],
        capture_output=True, text=True, env=env,
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bench: build of {project} failed:\n{proc.stdout}{proc.stderr}")
    return seconds, int(rss_file.read_text())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, needle: str, *, seconds: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if needle in _fetch(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"bench: {needle!r} never appeared at {url} within {seconds} s")


def serve_rebuilds(project: Path, runs: int) -> tuple[float, float]:
    """Median seconds from saving a file to the served page showing it: registry edit, page edit."""
    port = free_port()
    log = open(project.parent / "serve.log", "w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
        stdout=log, stderr=subprocess.STDOUT, env={**ENV, "PYTHONPATH": str(project / "hooks")}, cwd=project,
    )
    base = f"http://127.0.0.1:{port}/"
    registry_file, page_file = project / "registry.yaml", project / "docs" / "index.md"
    registry_text, page_text = registry_file.read_text(encoding="utf-8"), page_file.read_text(encoding="utf-8")
    data = yaml.safe_load(registry_text)
    first_code = next(iter(data["codes"]))
    reg_times, page_times = [], []
    try:
        _wait_for(base, "Synthetic API", seconds=600)
        for run in range(runs):
            marker = f"Registry edit {run} marker"
            data["codes"][first_code]["summary"] = f"{marker}."
            registry_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
            reg_times.append(_wait_for(f"{base}errors/{first_code}/", marker, seconds=300))
            marker = f"Page edit {run} marker"
            page_file.write_text(page_text.replace("See [errors]", f"{marker}. See [errors]"), encoding="utf-8")
            page_times.append(_wait_for(base, marker, seconds=300))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        registry_file.write_text(registry_text, encoding="utf-8")
        page_file.write_text(page_text, encoding="utf-8")
    return statistics.median(reg_times), statistics.median(page_times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="16,1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--skip-serve", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="errdocs-bench-"))
    started = time.perf_counter()
    print(f"bench: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
          f"{platform.machine()}; work dir {work}", flush=True)
    results: dict[int, dict] = {}
    for n in sizes:
        projects = prepare(n, work)
        size = (projects["A"] / "registry.yaml").stat().st_size
        timings = work / f"n{n}" / "timings.jsonl"
        timings.unlink(missing_ok=True)
        samples: dict[str, list[tuple[float, int]]] = {name: [] for name in projects}
        for project in projects.values():  # one untimed build each: caches warm for A and B alike
            build(project, None)
        rounds = max(args.runs, SMALL_RUNS if n < 1000 else MID_RUNS if n < 10000 else 0)
        order = list(projects)
        for run in range(rounds):
            # Interleaved, and the order turns each round (A B D, B D A, D A B ...): a build
            # that always ran second would always meet the disk and caches the first one left.
            for name in order[run % len(order):] + order[: run % len(order)]:
                samples[name].append(build(projects[name], timings if name == "A" else None))
            print(f"  N={n} round {run + 1}: " + ", ".join(f"{k}={v[-1][0]:.2f}s" for k, v in samples.items()), flush=True)
        phases = [json.loads(line) for line in timings.read_text().splitlines()]
        result = {
            "registry_bytes": size,
            **{name: statistics.median(s for s, _ in v) for name, v in samples.items()},
            **{f"rss_{name}": max(r for _, r in v) for name, v in samples.items()},
            "phases": {p: statistics.median(x.get(p, 0.0) for x in phases) for p in PHASES},
        }
        if rounds >= INTERVAL_FROM_RUNS:
            result["AB_interval"] = ratio_interval([s for s, _ in samples["A"]], [s for s, _ in samples["B"]])
        result["rounds"] = rounds
        if n == 1000 and not args.skip_serve:
            result["serve_registry"], result["serve_page"] = serve_rebuilds(projects["A"], args.runs)
        results[n] = result

    print()
    header = f"{'N':>6} {'registry':>9} {'A hooks':>8} {'B static':>8} {'A/B':>6} {'peak A':>8} {'peak B':>8} " + " ".join(f"{p:>8}" for p in PHASES)
    print(header)
    for n, r in results.items():
        print(f"{n:>6} {r['registry_bytes'] / 1e6:>7.2f}MB {r['A']:>7.2f}s {r['B']:>7.2f}s {r['A'] / r['B']:>6.3f} "
              f"{r['rss_A'] / 1024:>6.0f}MB {r['rss_B'] / 1024:>6.0f}MB " + " ".join(f"{r['phases'][p]:>7.3f}s" for p in PHASES))
    for n, r in results.items():
        if "AB_interval" in r:
            low, high = r["AB_interval"]
            print(f"N={n}: A/B {r['A'] / r['B']:.3f}, 95% interval {low:.3f}-{high:.3f} (bootstrap over its {r['rounds']} rounds)")
    ratios = {}
    if 16 in results:
        ratios["overhead_16"] = results[16]["A"] / results[16]["B"]
    if 10000 in results:
        ratios["overhead_10000"] = results[10000]["A"] / results[10000]["B"]
        ratios["load_share_10000"] = (results[10000]["phases"]["load"] + results[10000]["phases"]["validate"]) / results[10000]["A"]
        ratios["memory_10000"] = results[10000]["rss_A"] / results[10000]["rss_B"]
    if 1000 in results and 10000 in results:
        ratios["scale"] = results[10000]["A"] / results[1000]["A"]
    if 1000 in results and "D" in results[1000]:
        r = results[1000]
        theirs = r["D"] - r["B"]
        ours = r["phases"]["llms"] + r["phases"]["includes"]
        print(f"\nD (N=1000): mkdocs-llmstxt adds {theirs:.2f}s over B; our LLM surfaces take {ours:.3f}s "
              f"(llms {r['phases']['llms']:.3f}s + page capture {r['phases']['includes']:.3f}s)")
        ratios["llms_vs_llmstxt"] = ours / theirs if theirs > 0 else float("nan")
    if 1000 in results and "serve_registry" in results[1000]:
        r = results[1000]
        print(f"serve (N=1000): rebuild visible {r['serve_registry']:.2f}s after a registry.yaml edit, "
              f"{r['serve_page']:.2f}s after a page edit (ratio {r['serve_registry'] / r['serve_page']:.2f})")
        ratios["serve_ratio_1000"] = r["serve_registry"] / r["serve_page"]
    print(f"total bench time {time.perf_counter() - started:.0f}s")
    print(json.dumps({"results": results}, default=float), file=open(work / "results.json", "w"))
    names = ["overhead_16", "overhead_10000", "scale", "llms_vs_llmstxt", "load_share_10000"]
    extra = ["memory_10000", "serve_ratio_1000"]
    print(" ".join(f"{k}={ratios[k]:.3f}" for k in names + extra if k in ratios))
    return 0


if __name__ == "__main__":
    sys.exit(main())

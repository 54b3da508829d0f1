"""Print the import cost of the core's floor: pydantic, then the registry model.

Run from the repository root: `.venv/bin/python bench/import_floor.py [ROUNDS]`. Each round is
a fresh interpreter that has already imported MkDocs and Material, as a build has when the
hook is loaded. It prints each round and the lowest figures, in milliseconds.
"""

import subprocess
import sys

ROUND = """
import sys, time
import mkdocs.commands.build, mkdocs.plugins, material
sys.path.insert(0, "hooks")
t0 = time.perf_counter()
import pydantic, pydantic.types, annotated_types
t1 = time.perf_counter()
import errdocs.registry.model
t2 = time.perf_counter()
import errdocs
t3 = time.perf_counter()
print(f"{(t1 - t0) * 1e3:.1f} {(t2 - t1) * 1e3:.1f} {(t3 - t2) * 1e3:.1f}")
"""


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    figures = []
    for _ in range(rounds):
        out = subprocess.run([sys.executable, "-c", ROUND], capture_output=True, text=True, check=True)
        figures.append(tuple(float(x) for x in out.stdout.split()))
        print("pydantic=%.1f model=%.1f rest=%.1f" % figures[-1])
    lowest = [min(column) for column in zip(*figures)]
    print("lowest: pydantic=%.1f model=%.1f rest=%.1f total=%.1f" % (*lowest, sum(lowest)))


if __name__ == "__main__":
    main()

"""How much the inspector pytest plugin adds to pytest's start-up.

    python benchmarks/plugin_startup.py [--runs 15]

Runs `python -m pytest --collect-only -q` on a one-test folder, alternately with the plugin and
with `-p no:inspector`, and prints the median wall times and their difference. Target: under
50 ms added.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def wall_time(args: list[str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", *args], cwd=cwd,
                   check=True, capture_output=True)  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "test_one.py").write_text("def test_one():\n    pass\n")
        wall_time([], folder)  # warm the file cache
        with_plugin, without = [], []
        for _ in range(runs):
            with_plugin.append(wall_time([], folder))
            without.append(wall_time(["-p", "no:inspector"], folder))
    a, b = statistics.median(with_plugin), statistics.median(without)
    print(f"pytest start-up, median of {runs} runs:")
    print(f"  with the inspector plugin    {a * 1000:7.1f} ms")
    print(f"  with -p no:inspector         {b * 1000:7.1f} ms")
    print(f"  added by the plugin          {(a - b) * 1000:7.1f} ms (target: under 50 ms)")


if __name__ == "__main__":
    main()

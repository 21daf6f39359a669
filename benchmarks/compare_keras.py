"""inspector against Keras, in one run on the same files: wall time and peak memory.

    python benchmarks/compare_keras.py [--runs 3] [--skip-growth]

For each model file, times `python -m inspector FILE` against a child that runs
`keras.models.load_model(FILE).summary()`, each in a fresh process, and reads the child's peak
resident memory (its maximum RSS, from wait4). Prints medians and ratios. Then measures growth:
synthetic Sequential models of 1,000, 10,000 and 100,000 layers as architecture JSON, rendered
as JSON.

The model files (the seed classifier and NASNetMobile, 771 layers) are built with Keras the
first time, into benchmarks/.models/ (TensorFlow needed).

Targets (issue 7): at least 20 × faster and at most 1/10 of Keras's peak memory on the seed
file; 100,000 layers in at most 15 × the time of 10,000.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODELS = HERE / ".models"
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}


def measure(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS in bytes of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{command} failed: {child.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss * 1024  # Linux reports KiB


def median_of(command: list[str], runs: int) -> tuple[float, int]:
    results = [measure(command) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def build_models() -> dict[str, Path]:
    MODELS.mkdir(exist_ok=True)
    files = {"seed classifier": MODELS / "seed.keras", "NASNetMobile": MODELS / "nasnet.keras"}
    missing = [name for name, path in files.items() if not path.exists()]
    if missing:
        script = f"""
import sys
sys.path.insert(0, {str(HERE.parent / "examples")!r})
import keras, seed_models
seed_models.build_seed_classifier(keras).save({str(files["seed classifier"])!r})
keras.applications.NASNetMobile(weights=None).save({str(files["NASNetMobile"])!r})
"""
        subprocess.run([sys.executable, "-c", script], check=True, env=ENV)
    return files


def synthetic(layers: int) -> Path:
    path = MODELS / f"sequential_{layers}.json"
    if not path.exists():
        entries = [
            {
                "module": "keras.layers",
                "class_name": "InputLayer",
                "config": {"name": "input", "batch_shape": [None, 32]},
            }
        ]
        for i in range(layers):
            if i % 2 == 0:
                entries.append(
                    {
                        "module": "keras.layers",
                        "class_name": "Dense",
                        "config": {"name": f"dense_{i}", "units": 32},
                    }
                )
            else:
                entries.append(
                    {
                        "module": "keras.layers",
                        "class_name": "ReLU",
                        "config": {"name": f"relu_{i}"},
                    }
                )
        model = {
            "module": "keras",
            "class_name": "Sequential",
            "config": {"name": "deep", "layers": entries},
        }
        path.write_text(json.dumps(model))
    return path


def mib(size: int) -> str:
    return f"{size / 2**20:7.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-growth", action="store_true")
    args = parser.parse_args()
    python = sys.executable
    print(f"median of {args.runs} runs, each in a fresh process\n")
    for name, path in build_models().items():
        ours = median_of([python, "-m", "inspector", str(path)], args.runs)
        keras_cmd = f"import keras; keras.models.load_model({str(path)!r}).summary()"
        theirs = median_of([python, "-c", keras_cmd], args.runs)
        print(f"{name} ({path.stat().st_size / 2**20:.1f} MiB file)")
        print(f"  python -m inspector          {ours[0]:7.2f} s   peak {mib(ours[1])}")
        print(f"  load_model(...).summary()    {theirs[0]:7.2f} s   peak {mib(theirs[1])}")
        print(
            f"  inspector is {theirs[0] / ours[0]:.1f} × faster and uses "
            f"{ours[1] / theirs[1]:.3f} of Keras's peak memory (1/{theirs[1] / ours[1]:.1f})\n"
        )
    if args.skip_growth:
        return
    print("growth: synthetic Sequential models, architecture JSON, --format json")
    times = {}
    for layers in (1_000, 10_000, 100_000):
        path = synthetic(layers)
        elapsed, peak = median_of(
            [python, "-m", "inspector", str(path), "--format", "json", "-o", os.devnull], args.runs
        )
        times[layers] = elapsed
        print(f"  {layers:>7,} layers   {elapsed:7.2f} s   peak {mib(peak)}")
    print(
        f"  100,000 layers take {times[100_000] / times[10_000]:.1f} × the time of 10,000 "
        f"(linear growth: 10 ×; target: at most 15 ×)"
    )


if __name__ == "__main__":
    main()

"""Benchmark: the start-up of a one-file scan (the pre-commit case) against ``import yaml``.

    python bench/startup.py [--runs N] [--file PATH] [--top K]

A pre-commit hook runs ``ekslint scan <the staged files>``, usually one or two small manifests,
so what the user waits for is Python's start-up plus ekslint's imports, not linting. Timed, as
wall-clock whole processes through the same interpreter, ``--runs`` times each and interleaved
(a, b, c, a, b, c, ...) so that load from other jobs on the machine falls on all three alike:

* (a) ``python -c "import yaml"``, the reference: the least any YAML linter in Python costs;
* (b) ``ekslint scan deployment.yaml --no-config -q``, through the console script, as
  pre-commit runs it;
* (c) ``ekslint --version``: the command line alone (typer and the imports of ``ekslint.cli``).

It prints the median and the spread (quartiles) of each, and the ratio of the medians b/a,
then the imports of (b) that cost most (``-X importtime``, the least of three runs for each
module, as self and cumulative microseconds). Bytecode is cached as after a normal install (a
private ``PYTHONPYCACHEPREFIX``, warmed first). Exits 1 when b/a is over :data:`RATIO_MAX`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench import DEPLOYMENT, bench_env  # noqa: E402

#: The target of issue 15: a one-file scan at most this many times ``python -c "import yaml"``.
RATIO_MAX = 4.0


def wall(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds one run of ``cmd`` takes, start to exit."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench: {' '.join(cmd)} exited with {proc.returncode}")
    return seconds


def spread(times: list[float]) -> str:
    q1, median, q3 = statistics.quantiles(times, n=4, method="inclusive")
    return f"{median * 1000:7.1f} ms  (quartiles {q1 * 1000:.1f}-{q3 * 1000:.1f}, min {min(times) * 1000:.1f})"


def import_profile(cmd: list[str], env: dict[str, str], runs: int = 3) -> dict[str, tuple[int, int]]:
    """``-X importtime`` of ``cmd``: module -> (self, cumulative) microseconds, least of ``runs``."""
    best: dict[str, tuple[int, int]] = {}
    for _ in range(runs):
        err = subprocess.run(
            [sys.executable, "-X", "importtime", *cmd], env=env, capture_output=True, text=True, check=False
        ).stderr
        for line in err.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, cumulative, name = line.removeprefix("import time:").split("|")
            key = name.strip()
            value = (int(own), int(cumulative))
            best[key] = min(best.get(key, value), value, key=lambda v: v[1])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20, help="runs of each command (default 20)")
    parser.add_argument("--file", type=Path, default=DEPLOYMENT, help="the manifest to scan (default: one Deployment)")
    parser.add_argument("--top", type=int, default=25, help="imports to list (default 25)")
    args = parser.parse_args()
    ekslint = shutil.which("ekslint", path=str(Path(sys.executable).parent)) or "ekslint"
    reference, scan = "python -c 'import yaml' (reference)", f"ekslint scan {args.file.name} --no-config -q"
    commands = {
        reference: [sys.executable, "-c", "import yaml"],
        scan: [ekslint, "scan", str(args.file), "--no-config", "-q"],
        "ekslint --version": [ekslint, "--version"],
    }
    with tempfile.TemporaryDirectory(prefix="ekslint-bench-") as tmp:
        env = bench_env(Path(tmp) / "pycache")
        for cmd in commands.values():  # warm the bytecode cache
            wall(cmd, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(wall(cmd, env))
        # The console script is a Python file: -X importtime puts the interpreter in front of it.
        profile = import_profile(commands[scan], env)

    print(f"{args.runs} interleaved runs each; Python {sys.version.split()[0]}\n")
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, t in times.items():
        print(f"{name:<44} {spread(t)}   {medians[name] / medians[reference]:4.2f}x")
    ratio = medians[scan] / medians[reference]
    total = sum(own for own, _ in profile.values())
    print(f"\nimports of the scan: {len(profile)} modules, {total / 1000:.1f} ms (self times summed)")
    print(f"{'self ms':>8} {'cumul ms':>9}  module")
    for name, (own, cumulative) in sorted(profile.items(), key=lambda kv: -kv[1][1])[: args.top]:
        print(f"{own / 1000:8.1f} {cumulative / 1000:9.1f}  {name}")
    verdict = "met" if ratio <= RATIO_MAX else "MISSED"
    print(f"\ntarget: one-file scan <= {RATIO_MAX}x the reference: {ratio:.2f}x, {verdict}")
    sys.exit(0 if ratio <= RATIO_MAX else 1)


if __name__ == "__main__":
    main()

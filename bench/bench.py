"""Benchmark: ekslint against a bare libyaml parse of the same files, in the same run.

    python bench/bench.py [PATH ...]      (default: ../shared/corpus)

Prints seconds for (1) the reference: ``yaml.load_all(..., CSafeLoader)`` over every file,
(2) ekslint's located loading alone, (3) a full ``lint()`` with the default rules, and (4) with
every rule enabled, each as a ratio to the reference. Best of ``--repeat`` runs. Figures are only
comparable within one run on one machine; report the ratios.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from ekslint.linter.config import Settings
from ekslint.linter.engine import lint
from ekslint.linter.loader import SourceFile, load_bytes
from ekslint.linter.paths import discover


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=[str(Path(__file__).parents[2] / "shared" / "corpus")])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cwd = Path.cwd()
    found, _ = discover(args.paths, cwd=cwd, root=cwd, exclude=[])
    blobs = [(c, c.path.read_bytes()) for c in found if c.path is not None]
    size = sum(len(b) for _, b in blobs)

    def reference() -> None:
        for _, data in blobs:
            try:
                for _doc in yaml.load_all(data, Loader=yaml.CSafeLoader):
                    pass
            except yaml.YAMLError:
                pass

    def located() -> None:
        for cand, data in blobs:
            load_bytes(SourceFile(display=cand.display, path=cand.path), data)

    ref = best_of(args.repeat, reference)
    rows = [
        ("bare libyaml parse (reference)", ref),
        ("ekslint located loading", best_of(args.repeat, located)),
        ("ekslint scan, default rules", best_of(args.repeat, lambda: lint(args.paths, Settings(root=cwd)))),
        (
            "ekslint scan, every rule",
            best_of(args.repeat, lambda: lint(args.paths, Settings(root=cwd, enable=["all"]))),
        ),
    ]
    print(f"{len(blobs)} files, {size / 1e6:.1f} MB, best of {args.repeat}")
    for name, seconds in rows:
        print(f"  {name:<34} {seconds:7.2f} s   {seconds / ref:5.2f} x reference")


if __name__ == "__main__":
    main()

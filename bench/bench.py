"""Benchmark: ekslint against references measured in the same run, on the same files.

    python bench/bench.py [--corpus DIR] [--repeat N] [--big-mb 50] [--quick]

Every figure is a whole process run from here (the console script, as users run it), timed
wall-clock, best of ``--repeat``, with its peak RSS; and every figure is also given as a ratio
to a reference run the same way in the same run, because seconds only compare on one machine:

* corpus: ``ekslint scan CORPUS -f json`` (default rules, schema validation on) in one process
  (``-j 1``) and with the default parallel rule phase (``-j 0``), against a bare libyaml load of
  the same files (``yaml.load_all`` with ``CSafeLoader``) in one Python process.
* one file, as pre-commit runs it: ``ekslint scan deployment.yaml`` against
  ``python -c "import yaml"``. Bytecode is cached as after any normal install (this machine
  sets PYTHONDONTWRITEBYTECODE; the runs here use a private PYTHONPYCACHEPREFIX instead).
* a 50 MB manifest of real documents (``bigfile.py``), against a bare libyaml load of it.

Then it checks the targets of the speed issue and exits 1 if one is missed: corpus scan at most
2x the reference (the faster of the two paths), one file at most 5x, peak RSS on the corpus at
most 300 MB, and the 50 MB manifest within ``BIG_RSS_FACTOR`` times its size.

Peak RSS is the largest single process: with ``-j 0`` the workers are forked from the scan
and share its pages copy-on-write, so each is listed apart (``+ worker``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEPLOYMENT = HERE / "deployment.yaml"

CORPUS_RATIO_MAX = 2.0
ONE_FILE_RATIO_MAX = 5.0
CORPUS_RSS_MAX_MB = 300.0
#: "Bounded memory" for one big manifest: peak RSS at most this many times the file's size.
BIG_RSS_FACTOR = 10.0

#: Load every file given on the command line (or listed in a file after @) with libyaml.
REFERENCE = """
import sys, yaml
paths = open(sys.argv[1][1:]).read().split("\\0") if sys.argv[1].startswith("@") else sys.argv[1:]
for p in paths:
    if not p:
        continue
    try:
        with open(p, "rb") as fh:
            for _ in yaml.load_all(fh.read(), Loader=yaml.CSafeLoader):
                pass
    except (yaml.YAMLError, UnicodeDecodeError, ValueError):
        pass
"""

#: Run a command and print its wall time, its own peak RSS and the largest of its children's.
MEASURE = """
import os, sys, time, resource, subprocess
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
below = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(wall, usage.ru_maxrss, below, os.waitstatus_to_exitcode(status))
"""


@dataclass
class Run:
    seconds: float
    rss_mb: float  # the command's own process
    max_rss_mb: float  # the largest process it started (itself or a worker)
    code: int


def measure(cmd: list[str], env: dict[str, str], repeat: int) -> Run:
    """Best wall time of ``repeat`` runs of ``cmd`` (peak RSS of that run)."""
    best: Run | None = None
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", MEASURE, *cmd], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        run = Run(float(out[0]), int(out[1]) / 1024, int(out[2]) / 1024, int(out[3]))
        if run.code not in (0, 1):
            raise SystemExit(f"bench: {' '.join(cmd)} exited with {run.code}")
        if best is None or run.seconds < best.seconds:
            best = run
    assert best is not None
    return best


def bench_env(pycache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["NO_COLOR"] = "1"
    env.pop("GITHUB_ACTIONS", None)
    return env


def corpus_files(corpus: Path) -> list[Path]:
    """The files ekslint scans in ``corpus`` (its own discovery), for the reference to load."""
    from ekslint.linter.paths import discover

    found, _ = discover([str(corpus)], cwd=corpus, root=corpus, exclude=[])
    return [c.path for c in found if c.path is not None]


def count_documents(files: list[Path]) -> int:
    import yaml

    n = 0
    for path in files:
        with contextlib.suppress(yaml.YAMLError, UnicodeDecodeError, ValueError):
            n += sum(1 for doc in yaml.load_all(path.read_bytes(), Loader=yaml.CSafeLoader) if doc is not None)
    return n


def row(name: str, files: int, docs: int, run: Run, ref: Run) -> str:
    rss = f"{run.rss_mb:6.0f}"
    rss += f" + worker {run.max_rss_mb:4.0f}" if run.max_rss_mb > run.rss_mb + 1 else " " * 14
    return f"| {name:<38} | {files:>6,} | {docs:>7,} | {run.seconds:7.2f} | {run.seconds / ref.seconds:5.2f}x | {rss} |"


HEADER = (
    f"| {'run':<38} | {'files':>6} | {'docs':>7} | {'seconds':>7} | {'ratio':>6} | {'peak RSS MB':<20} |\n"
    f"|{'-' * 40}|{'-' * 8}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 22}|"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best counts (default 3)")
    parser.add_argument("--big-mb", type=float, default=50.0, help="size of the big manifest (default 50)")
    parser.add_argument("--quick", action="store_true", help="one run per figure, no big manifest")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"bench: no corpus at {args.corpus} (see --corpus)")
    repeat = 1 if args.quick else args.repeat
    ekslint = shutil.which("ekslint", path=str(Path(sys.executable).parent)) or "ekslint"
    failures: list[str] = []

    with tempfile.TemporaryDirectory(prefix="ekslint-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = bench_env(tmp / "pycache")
        files = corpus_files(args.corpus)
        listing = tmp / "files"
        listing.write_text("\0".join(str(p) for p in files))
        docs = count_documents(files)
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        print(
            f"corpus: {args.corpus} ({len(files):,} files, {size_mb:.1f} MB); best of {repeat}; "
            f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n"
        )
        # Warm the bytecode cache, then measure.
        subprocess.run([ekslint, "scan", str(DEPLOYMENT)], env=env, capture_output=True, check=False)

        print(HEADER)
        ref = measure([sys.executable, "-c", REFERENCE, f"@{listing}"], env, repeat)
        print(row("bare libyaml load (reference)", len(files), docs, ref, ref))
        scan = [ekslint, "scan", str(args.corpus), "-f", "json", "-q"]
        seq = measure([*scan, "-j", "1"], env, repeat)
        print(row("ekslint scan, one process (-j 1)", len(files), docs, seq, ref))
        par = measure([*scan, "-j", "0"], env, repeat)
        print(row("ekslint scan, parallel (-j 0)", len(files), docs, par, ref))
        best = min(seq.seconds, par.seconds) / ref.seconds
        if best > CORPUS_RATIO_MAX:
            failures.append(f"corpus scan {best:.2f}x the reference (target {CORPUS_RATIO_MAX}x)")
        if max(seq.max_rss_mb, par.max_rss_mb) > CORPUS_RSS_MAX_MB:
            failures.append(f"corpus peak RSS over {CORPUS_RSS_MAX_MB:.0f} MB")

        import_yaml = measure([sys.executable, "-c", "import yaml"], env, repeat * 5)
        print(row("python -c 'import yaml' (reference)", 0, 0, import_yaml, import_yaml))
        one = measure([ekslint, "scan", str(DEPLOYMENT)], env, repeat * 5)
        print(row("ekslint scan deployment.yaml", 1, 1, one, import_yaml))
        if one.seconds / import_yaml.seconds > ONE_FILE_RATIO_MAX:
            failures.append(f"one file {one.seconds / import_yaml.seconds:.2f}x (target {ONE_FILE_RATIO_MAX}x)")

        if not args.quick:
            sys.path.insert(0, str(HERE))
            from bigfile import make

            big = tmp / "big.yaml"
            big.write_text(make(args.corpus, int(args.big_mb * 1_000_000)), encoding="utf-8")
            big_mb = big.stat().st_size / 1e6
            big_docs = count_documents([big])
            big_ref = measure([sys.executable, "-c", REFERENCE, str(big)], env, 1)
            print(row(f"bare libyaml load of {big_mb:.0f} MB (reference)", 1, big_docs, big_ref, big_ref))
            big_seq = measure([ekslint, "scan", str(big), "-f", "json", "-q", "-j", "1"], env, 1)
            print(row(f"ekslint scan {big_mb:.0f} MB manifest (-j 1)", 1, big_docs, big_seq, big_ref))
            big_par = measure([ekslint, "scan", str(big), "-f", "json", "-q", "-j", "0"], env, 1)
            print(row(f"ekslint scan {big_mb:.0f} MB manifest (-j 0)", 1, big_docs, big_par, big_ref))
            bound = BIG_RSS_FACTOR * big_mb
            if max(big_seq.max_rss_mb, big_par.max_rss_mb) > bound:
                failures.append(f"{big_mb:.0f} MB manifest: peak RSS over {bound:.0f} MB")

    print()
    targets = (
        f"targets: corpus <= {CORPUS_RATIO_MAX}x, one file <= {ONE_FILE_RATIO_MAX}x, "
        f"corpus RSS <= {CORPUS_RSS_MAX_MB:.0f} MB, big manifest RSS <= {BIG_RSS_FACTOR:.0f}x its size"
    )
    print(targets + (": all met" if not failures else ""))
    for failure in failures:
        print(f"  MISSED: {failure}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

"""Benchmark: scanning Terraform and CloudFormation against a bare parse of the same files.

    python bench/iac.py [--corpus DIR] [--repeat N] [--tfparse]

Like ``bench.py``, every figure is a whole process, best of ``--repeat``, given as a ratio to a
reference measured in the same run on the same files:

* the reference parses every file the scan reads: tree-sitter-hcl over the ``.tf`` and ``.tfvars``
  files and a libyaml load of the rest (CloudFormation templates, ``.tf.json``), in one Python
  process, imports included;
* ``ekslint scan CORPUS -f json`` in one process (``-j 1``) and with the default parallel rule
  phase.

The target of issue 12 is a scan at most 5x the reference; the script exits 1 when it is missed.

``--tfparse`` also times ``tfparse`` (the Terraform evaluator behind Trivy, if installed: it is
a development-only candidate, not a dependency) over every root module of the corpus, which is
what ekslint would have to run instead of its own evaluator; see ``tfparse_compare.py`` for how
the values the two compute agree.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus-iac"
RATIO_MAX = 5.0

sys.path.insert(0, str(HERE))
from bench import bench_env, measure  # noqa: E402

#: Parse every listed file: HCL with tree-sitter, everything else with libyaml.
REFERENCE = """
import sys, yaml, tree_sitter, tree_sitter_hcl
parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
for p in open(sys.argv[1]).read().split("\\0"):
    if not p:
        continue
    with open(p, "rb") as fh:
        data = fh.read()
    if p.endswith((".tf", ".tfvars")):
        parser.parse(data)
        continue
    try:
        for _ in yaml.load_all(data, Loader=yaml.CSafeLoader):
            pass
    except (yaml.YAMLError, UnicodeDecodeError, ValueError):
        pass
"""

#: tfparse over every root module folder given (one process, as a linter would run it).
TFPARSE = """
import sys, os, tfparse
for d in open(sys.argv[1]).read().split("\\0"):
    if not d:
        continue
    auto = (".auto.tfvars", ".auto.tfvars.json")
    tfvars = [os.path.join(d, n) for n in sorted(os.listdir(d))
              if n in ("terraform.tfvars", "terraform.tfvars.json") or n.endswith(auto)]
    try:
        tfparse.load_from_path(d, vars_paths=tfvars)
    except Exception:
        pass
"""


def scanned_files(corpus: Path) -> list[Path]:
    from ekslint.linter.paths import discover

    found, _ = discover([str(corpus)], cwd=corpus, root=corpus, exclude=[])
    return [c.path for c in found if c.path is not None]


def root_folders(files: list[Path]) -> list[Path]:
    """Folders with ``.tf`` files that no other folder calls as a local module."""
    import re

    folders = sorted({p.parent for p in files if p.suffix == ".tf"})
    called: set[Path] = set()
    source = re.compile(r'source\s*=\s*"(\.\.?/[^"]*)"')
    for folder in folders:
        for tf in folder.glob("*.tf"):
            for m in source.finditer(tf.read_text(errors="replace")):
                called.add((folder / m.group(1)).resolve())
    return [f for f in folders if f.resolve() not in called]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tfparse", action="store_true", help="also time tfparse over every root module")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"bench: no corpus at {args.corpus}")
    ekslint = shutil.which("ekslint", path=str(Path(sys.executable).parent)) or "ekslint"
    with tempfile.TemporaryDirectory(prefix="ekslint-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = bench_env(tmp / "pycache")
        files = scanned_files(args.corpus)
        listing = tmp / "files"
        listing.write_text("\0".join(str(p) for p in files))
        hcl = sum(1 for p in files if p.suffix in (".tf", ".tfvars"))
        size = sum(p.stat().st_size for p in files) / 1e6
        print(
            f"corpus: {args.corpus} ({len(files):,} files: {hcl:,} HCL, {len(files) - hcl:,} YAML/JSON; "
            f"{size:.1f} MB); best of {args.repeat}; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n"
        )
        subprocess.run([ekslint, "scan", str(args.corpus), "-q"], env=env, capture_output=True, check=False)
        print(f"| {'run':<44} | {'seconds':>7} | {'ratio':>6} | {'peak RSS MB':>11} |")
        print(f"|{'-' * 46}|{'-' * 9}|{'-' * 8}|{'-' * 13}|")
        ref = measure([sys.executable, "-c", REFERENCE, str(listing)], env, args.repeat)

        def show(name: str, run: object) -> None:
            r = run  # a bench.Run
            print(f"| {name:<44} | {r.seconds:7.2f} | {r.seconds / ref.seconds:5.2f}x | {r.max_rss_mb:11.0f} |")  # type: ignore[attr-defined]

        show("tree-sitter-hcl + libyaml parse (reference)", ref)
        scan = [ekslint, "scan", str(args.corpus), "-f", "json", "-q", "--no-config"]
        seq = measure([*scan, "-j", "1"], env, args.repeat)
        show("ekslint scan, one process (-j 1)", seq)
        par = measure([*scan, "-j", "0"], env, args.repeat)
        show("ekslint scan, parallel (-j 0)", par)
        if args.tfparse:
            try:
                import tfparse  # noqa: F401
            except ImportError:
                print("| tfparse is not installed: pip install tfparse |")
            else:
                roots = tmp / "roots"
                folders = root_folders(files)
                roots.write_text("\0".join(str(f) for f in folders))
                run = measure([sys.executable, "-c", TFPARSE, str(roots)], env, 1)
                show(f"tfparse over {len(folders)} root modules", run)
    ratio = min(seq.seconds, par.seconds) / ref.seconds
    ok = ratio <= RATIO_MAX
    print(f"\ntarget: scan <= {RATIO_MAX}x the reference: {'met' if ok else 'MISSED'} ({ratio:.2f}x)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

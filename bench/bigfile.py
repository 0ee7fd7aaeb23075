"""Write one large manifest made of real documents, for the memory and speed figures.

    python bench/bigfile.py OUT [--mb 50] [--corpus ../shared/corpus]

Concatenates the documents of every corpus file that parses cleanly (in sorted path order),
round after round, until the output reaches the size asked for. Each round puts its objects in
namespaces of their own (``<namespace>-r<round>``), so the result reads like one big install
bundle or ``kubectl get -o yaml`` dump rather than the same objects over and over.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import yaml

_NAMESPACE = re.compile(r"^(  namespace: )([A-Za-z0-9.-]+)\s*$", re.MULTILINE)


def clean_documents(corpus: Path) -> list[str]:
    """The text of every file under ``corpus`` that libyaml parses without error."""
    out = []
    for path in sorted(corpus.rglob("*.y*ml")):
        try:
            text = path.read_text(encoding="utf-8")
            list(yaml.load_all(text, Loader=yaml.CSafeLoader))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        out.append(text if text.endswith("\n") else text + "\n")
    return out


def make(corpus: Path, size: int) -> str:
    docs = clean_documents(corpus)
    parts: list[str] = []
    total, rnd = 0, 0
    while total < size:
        rnd += 1
        for text in docs:
            text = _NAMESPACE.sub(lambda m, r=rnd: f"{m.group(1)}{m.group(2)}-r{r}", text)
            parts.append(text)
            total += len(text) + 4
            if total >= size:
                break
    return "---\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    args = parser.parse_args()
    args.out.write_text(make(args.corpus, int(args.mb * 1_000_000)), encoding="utf-8")


if __name__ == "__main__":
    main()

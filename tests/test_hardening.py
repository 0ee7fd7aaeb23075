"""Bad input never breaks ekslint: every kind of it, end to end through the real command line.

Each case writes a few files into a scratch folder next to ``good.yaml`` (a Pod whose privileged
container is always reported at 11:9) and scans them with ``ekslint scan`` (typer's CliRunner on
the real app) with three rules: ``yaml-syntax``, ``duplicate-key`` and ``privileged-container``.
Every case asserts

* the exact findings in its own files (rule, line, column) and a recognisable part of each
  message, or the exact one-line ``ekslint: error: ...`` run errors;
* the exit code (1 for findings at or above ``--fail-on``, 0 below it, 2 for run errors);
* no ``Traceback`` anywhere in the output;
* ``good.yaml``'s finding: the other files of the run are still linted.

Broken YAML is followed by ``---`` and a privileged Pod: its finding proves loading resumed at
the next document, at the right line. Cases a crash would only show in a real process (deep
nesting, a 50 MB file) also run the installed console script in a subprocess. Nothing here is
timed: an alias bomb or absurd nesting must simply finish with its finding.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from harness import deny_open
from typer.testing import CliRunner

from ekslint.cli import app

POD = """apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: shop
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
"""
#: Where privileged-container reports POD: its ``privileged`` key, on the last line.
POD_LINE, POD_COL = 11, 9
GOOD = "good.yaml"
RULES = ("--disable", "all", "--enable", "yaml-syntax", "--enable", "duplicate-key", "--enable", "privileged-container")

#: (file, rule, line, column, part of the message)
Finding = tuple[str, str, int, int, str]


def then_pod(broken: str) -> tuple[str, int]:
    """``broken``, then ``---`` and POD; and the line of POD's finding in that text."""
    text = broken + ("" if broken.endswith("\n") else "\n") + "---\n" + POD
    return text, text.count("\n")


@dataclass(frozen=True)
class Case:
    """One kind of bad input: the files it writes, what scanning them must give."""

    id: str
    files: dict[str, str | bytes] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    #: Exact run errors, as printed after ``ekslint: error: ``.
    errors: tuple[str, ...] = ()
    code: int = 1
    #: What to scan, relative to the scratch folder (default: the folder itself).
    paths: tuple[str, ...] = (".",)
    args: tuple[str, ...] = ()
    #: Extra preparation: links, FIFOs, monkeypatched failures.
    setup: Callable[[Path, pytest.MonkeyPatch], None] | None = None
    stdin: bytes | None = None


def syntax_case(id: str, broken: str, line: int, col: int, message: str) -> Case:
    """Invalid YAML reported at libyaml's mark, then the next document still linted."""
    text, pod_line = then_pod(broken)
    return Case(
        id,
        {"bad.yaml": text},
        (
            ("bad.yaml", "yaml-syntax", line, col, message),
            ("bad.yaml", "privileged-container", pod_line, POD_COL, "runs privileged"),
        ),
    )


SYNTAX_CASES = [
    # Scanner errors.
    syntax_case("tab-indentation", "a:\n\tb: 1\n", 2, 1, "found character that cannot start any token"),
    syntax_case(
        "tab-before-plain-scalar", "a:\n  b: 1\n\t c: 2\n", 3, 1, "found a tab character that violates indentation"
    ),
    syntax_case(
        "unclosed-double-quote",
        'a: "open\n',
        2,
        1,
        "found unexpected document indicator (while scanning a quoted scalar)",
    ),
    syntax_case(
        "unclosed-single-quote",
        "a: 'open\n",
        2,
        1,
        "found unexpected document indicator (while scanning a quoted scalar)",
    ),
    syntax_case("invalid-escape", 'a: "bad \\q escape"\n', 1, 9, "found unknown escape character"),
    syntax_case("stray-directive", "a: 1\n%FOO bar\n", 2, 5, "found unknown directive name"),
    syntax_case(
        "percent-starts-a-key",
        "%a: 1\n",
        1,
        3,
        "found unexpected non-alphabetical character (while scanning a directive)",
    ),
    syntax_case(
        "empty-anchor-name",
        "a: &\nb: 1\n",
        1,
        5,
        "did not find expected alphabetic or numeric character (while scanning an anchor)",
    ),
    syntax_case(
        "empty-alias-name",
        "a: *\n",
        1,
        5,
        "did not find expected alphabetic or numeric character (while scanning an alias)",
    ),
    syntax_case(
        "unterminated-verbatim-tag", "a: !<tag 1\n", 1, 9, "did not find the expected '>' (while scanning a tag)"
    ),
    syntax_case("reserved-indicator", "a: @x\n", 1, 4, "found character that cannot start any token"),
    syntax_case(
        "bad-block-scalar-header",
        "a: |x\n  t\n",
        1,
        5,
        "did not find expected comment or line break (while scanning a block scalar)",
    ),
    syntax_case(
        "simple-key-over-1024-characters",
        "a" * 1100 + ": 1\n",
        1,
        1101,
        "mapping values are not allowed in this context",
    ),
    syntax_case(
        "block-mapping-key-without-colon",
        "a: 1\nb\nc: 2\n",
        3,
        1,
        "could not find expected ':' (while scanning a simple key)",
    ),
    # Parser errors.
    syntax_case(
        "bad-indentation", "a:\n  b: 1\n c: 2\n", 3, 2, "did not find expected key (while parsing a block mapping)"
    ),
    syntax_case(
        "unclosed-flow-sequence", "a: [1, 2\n", 2, 1, "did not find expected ',' or ']' (while parsing a flow sequence)"
    ),
    syntax_case(
        "unclosed-flow-mapping", "a: {x: 1\n", 2, 1, "did not find expected ',' or '}' (while parsing a flow mapping)"
    ),
    syntax_case("missing-comma-in-flow-mapping", "{a: 1 b: 2}\n", 1, 8, "did not find expected ',' or '}'"),
    syntax_case(
        "extra-closing-bracket", "a: [1, 2]]\n", 1, 10, "did not find expected key (while parsing a block mapping)"
    ),
    syntax_case(
        "block-sequence-not-ended",
        "- a\nb: 1\n",
        2,
        1,
        "did not find expected '-' indicator (while parsing a block collection)",
    ),
    syntax_case("mapping-values-not-allowed", "a: b: c\n", 1, 5, "mapping values are not allowed in this context"),
    syntax_case("undefined-tag-handle", "a: !e!foo 1\n", 1, 4, "found undefined tag handle (while parsing a node)"),
    syntax_case("incompatible-yaml-version", "%YAML 2.0\n", 1, 1, "found incompatible YAML document"),
    syntax_case("duplicate-yaml-directive", "%YAML 1.1\n%YAML 1.1\n", 2, 1, "found duplicate %YAML directive"),
    syntax_case(
        "directive-without-document-start", "%YAML 1.1\na: 1\n", 2, 1, "did not find expected <document start>"
    ),
    syntax_case(
        "document-end-marker-alone", "...\n", 1, 1, "did not find expected node content (while parsing a block node)"
    ),
    syntax_case("text-after-document-end-marker", "a: 1\n... x\n", 2, 5, "did not find expected <document start>"),
    syntax_case("content-after-document-end", "a: 1\n...\nb: 2\n", 3, 1, "did not find expected <document start>"),
    # Composer errors (a duplicate anchor is valid YAML 1.2 and Kubernetes takes the last one).
    syntax_case("undefined-alias", "a: *nope\nb: 1\n", 1, 4, "found undefined alias"),
    # Reader errors: characters YAML does not allow are each reported, and the rest loads.
    Case(
        "control-characters",
        {"bad.yaml": "a: \x07bell\nb: x\x1by\n---\n" + POD.replace("name: p\n", "name: p\x7f\n")},
        (
            ("bad.yaml", "yaml-syntax", 1, 4, "control character U+0007 is not allowed in YAML"),
            ("bad.yaml", "yaml-syntax", 2, 5, "control character U+001B"),
            ("bad.yaml", "yaml-syntax", 7, 10, "control character U+007F"),
            ("bad.yaml", "privileged-container", 3 + POD_LINE, POD_COL, "runs privileged"),
        ),
    ),
    # A tag the value does not fit (PyYAML's own loader gives up on the file): reported at the
    # value, and the Pod after it, in the same document stream, is still linted.
    Case(
        "explicit-tag-mismatch",
        {"bad.yaml": "a: !!bool maybe\nb: !!int twelve\nc: !!float x\nd: !!bool true\n---\n" + POD},
        (
            ("bad.yaml", "yaml-syntax", 1, 4, "'maybe' is not a valid !!bool"),
            ("bad.yaml", "yaml-syntax", 2, 4, "'twelve' is not a valid !!int"),
            ("bad.yaml", "yaml-syntax", 3, 4, "'x' is not a valid !!float"),
            ("bad.yaml", "privileged-container", 5 + POD_LINE, POD_COL, "runs privileged"),
        ),
    ),
    # Integers beyond int64 (which the API server decodes) stay text: no rule has to format a
    # number Python refuses to print.
    Case(
        "integers-beyond-int64",
        {
            "bad.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: shop}\nspec:\n"
            "  replicas: 0x" + "f" * 4000 + "\n  selector: {matchLabels: {app: d}}\n  template:\n"
            "    metadata: {labels: {app: d}}\n    spec:\n      containers:\n        - name: app\n"
            "          image: nginx:1.27\n          ports: [{containerPort: 0o" + "7" * 5000 + "}]\n"
            "          securityContext: {privileged: true, runAsUser: " + "9" * 4200 + "}\n"
        },
        (("bad.yaml", "privileged-container", 14, 29, "runs privileged"),),
    ),
]


ENCODING_CASES = [
    Case(
        "utf8-bom",
        {"pod.yaml": codecs.BOM_UTF8 + POD.encode()},
        (("pod.yaml", "privileged-container", POD_LINE, POD_COL, "runs privileged"),),
    ),
    *(
        Case(
            f"{codec}-bom",
            {"pod.yaml": POD.encode(codec)},  # Python's utf-16/utf-32 codecs write a BOM
            (("pod.yaml", "privileged-container", POD_LINE, POD_COL, "runs privileged"),),
        )
        for codec in ("utf-16", "utf-32")
    ),
    Case(
        "utf16-be-bom",
        {"pod.yaml": codecs.BOM_UTF16_BE + POD.encode("utf-16-be")},
        (("pod.yaml", "privileged-container", POD_LINE, POD_COL, "runs privileged"),),
    ),
    Case(
        "utf32-be-bom",
        {"pod.yaml": codecs.BOM_UTF32_BE + POD.encode("utf-32-be")},
        (("pod.yaml", "privileged-container", POD_LINE, POD_COL, "runs privileged"),),
    ),
    Case(
        "utf16-without-bom",
        {"pod.yaml": POD.encode("utf-16-le")},
        (("pod.yaml", "yaml-syntax", 1, 1, "UTF-16LE text without a byte order mark"),),
    ),
    Case(  # 'cat a.yaml b.yaml' of files saved with a BOM: harmless at a document start ...
        "bom-at-a-document-start",
        {"pod.yaml": "a: 1\n---\n\ufeff" + POD},
        (("pod.yaml", "privileged-container", 2 + POD_LINE, POD_COL, "runs privileged"),),
    ),
    Case(  # ... and named where it breaks a mapping
        "bom-inside-a-mapping",
        {"bad.yaml": then_pod("a: 1\n\ufeffb: 2\n")[0]},
        (
            ("bad.yaml", "yaml-syntax", 2, 2, "the line holds a byte order mark (U+FEFF)"),
            ("bad.yaml", "privileged-container", then_pod("a: 1\n\ufeffb: 2\n")[1], POD_COL, "runs privileged"),
        ),
    ),
    Case(
        "latin1-bytes",
        {"bad.yaml": b"a: 1\nb: caf\xe9\n"},
        (("bad.yaml", "yaml-syntax", 2, 7, "not UTF-8 (byte 0xe9 on line 2); YAML files must be UTF-8"),),
    ),
    Case(
        "nul-bytes-at-the-start",
        {"bad.yaml": b"a: 1\x00\x00\x00b: 2\n"},
        (("bad.yaml", "yaml-syntax", 1, 1, "binary file (contains NUL bytes), not YAML or JSON"),),
    ),
    Case(  # past the first 8 KB a NUL is a control character: reported where it is
        "nul-byte-late-in-the-file",
        {"bad.yaml": ("# " + "x" * 9000 + "\n" + "a: b\x00c\n---\n" + POD).encode()},
        (
            ("bad.yaml", "yaml-syntax", 2, 5, "control character U+0000"),
            ("bad.yaml", "privileged-container", 3 + POD_LINE, POD_COL, "runs privileged"),
        ),
    ),
    Case(
        "binary-file",
        {"bad.yaml": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"},
        (("bad.yaml", "yaml-syntax", 1, 1, "binary file"),),
    ),
    Case(
        "invalid-utf16-after-bom",
        {"bad.yaml": codecs.BOM_UTF16_LE + b"a\x00:\x00 \x00\x00\xd8"},
        (("bad.yaml", "yaml-syntax", 1, 1, "not valid UTF-16"),),
    ),
]

SHAPE_CASES = [
    Case(  # tabs are fine as separators, only not as indentation
        "tabs-where-yaml-allows-them",
        {"pod.yaml": POD.replace("privileged: true", "privileged:\ttrue\t# comment")},
        (("pod.yaml", "privileged-container", POD_LINE, POD_COL, "runs privileged"),),
    ),
    Case("empty-file", {"empty.yaml": b""}),
    Case("only-whitespace", {"blank.yaml": "\n  \n\t\n"}),
    Case("only-comments", {"comments.yaml": "# a comment\n# another\n"}),
    Case("only-document-start", {"start.yaml": "---\n"}),
    Case("document-markers-only", {"markers.yaml": "---\n...\n---\n...\n"}),
    Case(  # scalars, lists and nulls are not Kubernetes objects: skipped, the next one linted
        "scalar-list-and-null-documents",
        {"shapes.yaml": "just text\n---\n- a\n- b\n---\n~\n---\n--- |\n  block\n---\n" + POD},
        (("shapes.yaml", "privileged-container", 10 + POD_LINE, POD_COL, "runs privileged"),),
    ),
    Case("json-array", {"list.json": '[{"apiVersion": "v1", "kind": "Pod"}]\n'}),
    Case(  # JSON allows tab indentation, YAML does not: .json files are read with tabs as spaces
        "json-with-tab-indentation",
        {
            "pod.json": '{\n\t"apiVersion": "v1",\n\t"kind": "Pod",\n'
            '\t"metadata": {"name": "p", "namespace": "shop"},\n'
            '\t"spec": {"containers": [{"name": "app", "image": "nginx:1.27",\n'
            '\t\t"securityContext": {"privileged": true}}]}\n}\n'
        },
        (("pod.json", "privileged-container", 6, 23, "runs privileged"),),
    ),
    Case(  # Python's json.dumps writes U+1F680 as a surrogate pair, which YAML alone rejects
        "json-surrogate-pair-escapes",
        {
            "pod.json": '{"apiVersion": "v1", "kind": "Pod",\n'
            ' "metadata": {"name": "p", "namespace": "shop", "annotations": {"a": "\\ud83d\\ude80 \\udc00"}},\n'
            ' "spec": {"containers": [{"name": "app", "image": "nginx:1.27", '
            '"securityContext": {"privileged": true}}]}}\n'
        },
        (("pod.json", "privileged-container", 3, 85, "runs privileged"),),
    ),
]

KEY_CASES = [
    Case(  # keys Kubernetes decodes (numbers and booleans become strings): nothing to report
        "number-and-boolean-keys",
        {"pod.yaml": POD.replace("  namespace: shop\n", "  namespace: shop\n  labels: {1: a, true: x, 1.5: f}\n")},
        (("pod.yaml", "privileged-container", POD_LINE + 1, POD_COL, "runs privileged"),),
    ),
    Case(  # keys it cannot decode: reported, the entry ignored, the rest of the object linted
        "null-and-complex-keys",
        {
            "pod.yaml": POD.replace(
                "  namespace: shop\n",
                "  namespace: shop\n  labels:\n    null: y\n    ~: z\n    ? [a, b]\n    : c\n    {k: v}: d\n",
            )
        },
        (
            (
                "pod.yaml",
                "yaml-syntax",
                7,
                5,
                "a null mapping key: Kubernetes accepts only string, number and boolean keys",
            ),
            ("pod.yaml", "yaml-syntax", 8, 5, "a null mapping key"),
            ("pod.yaml", "yaml-syntax", 9, 7, "a sequence is used as a mapping key"),
            ("pod.yaml", "yaml-syntax", 11, 5, "a mapping is used as a mapping key"),
            ("pod.yaml", "privileged-container", POD_LINE + 6, POD_COL, "runs privileged"),
        ),
    ),
    Case(
        "duplicate-keys",
        {"pod.yaml": POD.replace("  name: p\n", "  name: p\n  name: q\n")},
        (
            ("pod.yaml", "duplicate-key", 5, 3, "key 'name' is defined twice (first on line 4)"),
            ("pod.yaml", "privileged-container", POD_LINE + 1, POD_COL, "runs privileged"),
        ),
    ),
]

_PRIVILEGED = "      securityContext:\n        privileged: true\n"
MERGE_CASES = [
    Case(  # the privileged flag comes from the second of two merged maps: merges are followed
        "merge-list-of-maps",
        {
            "pod.yaml": POD.replace(
                _PRIVILEGED, "      securityContext:\n        <<: [{runAsUser: 1000}, {privileged: true}]\n"
            )
        },
        (("pod.yaml", "privileged-container", POD_LINE, 34, "runs privileged"),),
    ),
    Case(
        "nested-merges",
        {
            "pod.yaml": POD.replace(
                _PRIVILEGED,
                "      securityContext:\n        <<:\n          <<: &b {privileged: true}\n          runAsUser: 0\n",
            )
        },
        (("pod.yaml", "privileged-container", POD_LINE + 1, 19, "runs privileged"),),
    ),
    Case(  # a merge of a scalar is reported at the '<<' and ignored; the rest still loads
        "merge-of-a-scalar",
        {"pod.yaml": POD.replace(_PRIVILEGED, "      securityContext:\n        <<: 1\n        privileged: true\n")},
        (
            (
                "pod.yaml",
                "yaml-syntax",
                11,
                9,
                "a merge key (<<) needs a mapping or a sequence of mappings, not a scalar",
            ),
            ("pod.yaml", "privileged-container", POD_LINE + 1, POD_COL, "runs privileged"),
        ),
    ),
]

_BOMB = "".join(
    ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"]
    + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 30)]
)
ALIAS_CASES = [
    Case(  # 10^30 nodes once expanded: refused at the alias where it shows, not expanded
        "alias-bomb",
        {"bad.yaml": then_pod(_BOMB)[0]},
        (
            ("bad.yaml", "yaml-syntax", 1, 1, "refusing to load it (an alias bomb?)"),
            ("bad.yaml", "privileged-container", then_pod(_BOMB)[1], POD_COL, "runs privileged"),
        ),
    ),
    Case(
        "recursive-alias",
        {"bad.yaml": then_pod("a: &x\n  b: *x\n")[0]},
        (
            ("bad.yaml", "yaml-syntax", 1, 4, "recursive alias: the node contains itself"),
            ("bad.yaml", "privileged-container", then_pod("a: &x\n  b: *x\n")[1], POD_COL, "runs privileged"),
        ),
    ),
    Case(  # valid YAML 1.2, and what kubectl does: an alias takes the latest anchor of its name
        "duplicate-anchor",
        {
            "pod.yaml": POD.replace(
                "  namespace: shop\n", "  namespace: shop\n  labels: {a: &p false, b: &p true}\n"
            ).replace("privileged: true", "privileged: *p")
        },
        (("pod.yaml", "privileged-container", POD_LINE + 1, POD_COL, "runs privileged"),),
    ),
    Case(  # an alias to a scalar works as a value and as a key
        "aliases-to-scalars",
        {"pod.yaml": POD.replace("privileged: true", "privileged: &t true\n        *t : x")},
        (("pod.yaml", "privileged-container", POD_LINE, POD_COL, "runs privileged"),),
    ),
]


def _nested(depth: int, style: str) -> str:
    if style == "flow-sequence":
        return "a: " + "[" * depth + "]" * depth + "\n"
    if style == "flow-mapping":
        return "a: " + "{a: " * depth + "x" + "}" * depth + "\n"
    return "a:\n" + "- " * depth + "x\n"  # block sequences, one per '- '


#: Where deep nesting is reported: at the first container past MAX_DEPTH (200) levels, the
#: 201st ``- ``, ``[`` or ``{``; for ``[[[...`` past 1000 levels libyaml's scanner, which reads
#: ahead through them, stops first at its own limit, the 1001st.
NESTING = {
    ("block", 250): (2, 401),
    ("block", 10_000): (2, 401),
    ("block", 100_000): (2, 401),
    ("flow-sequence", 250): (1, 204),
    ("flow-sequence", 10_000): (1, 1003),
    ("flow-sequence", 100_000): (1, 1003),
    ("flow-mapping", 250): (1, 804),
    ("flow-mapping", 10_000): (1, 804),
    ("flow-mapping", 100_000): (1, 804),
}
NESTING_CASES = [
    Case(
        f"nesting-{style}-{depth}",
        {"deep.yaml": then_pod(_nested(depth, style))[0]},
        (
            ("deep.yaml", "yaml-syntax", line, col, "nesting deeper than 200 levels"),
            ("deep.yaml", "privileged-container", then_pod(_nested(depth, style))[1], POD_COL, "runs privileged"),
        ),
    )
    for (style, depth), (line, col) in NESTING.items()
]


def _locked_file(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable file. Tests run as root here, where chmod 000 stops nothing: opening it
    fails in-process instead, as it would for another user."""
    (work / "locked.yaml").write_text(POD)
    deny_open(monkeypatch, "locked.yaml")


def _locked_folder(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable folder (listing it fails, as ``chmod 000`` makes it for anyone but root)."""
    (work / "locked").mkdir()
    (work / "locked" / "pod.yaml").write_text(POD)
    real_scandir = os.scandir

    def fake_scandir(path: str | Path = ".") -> object:
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", fake_scandir)


def _symlink_loop(work: Path, _: pytest.MonkeyPatch) -> None:
    os.symlink("b.yaml", work / "a.yaml")
    os.symlink("a.yaml", work / "b.yaml")


def _link_to_parent(work: Path, _: pytest.MonkeyPatch) -> None:
    (work / "sub").mkdir()
    os.symlink("..", work / "sub" / "up")


def _broken_link(work: Path, _: pytest.MonkeyPatch) -> None:
    os.symlink("missing.yaml", work / "broken.yaml")


def _fifo(work: Path, _: pytest.MonkeyPatch) -> None:
    os.mkfifo(work / "pipe.yaml")  # opening it would block until something writes to it


def _folder_named_yaml(work: Path, _: pytest.MonkeyPatch) -> None:
    (work / "x.yaml").mkdir()
    (work / "x.yaml" / "pod.yml").write_text(POD)


PATH_CASES = [
    Case("unreadable-file", errors=("locked.yaml: cannot read: Permission denied",), code=2, setup=_locked_file),
    Case("unreadable-folder", errors=("locked: Permission denied",), code=2, setup=_locked_folder),
    Case(
        "unreadable-folder-named",
        errors=("locked: Permission denied",),
        code=2,
        paths=("locked", GOOD),
        setup=_locked_folder,
    ),
    Case(
        "symlink-loop", errors=("a.yaml: symbolic link loop", "b.yaml: symbolic link loop"), code=2, setup=_symlink_loop
    ),
    Case(
        "symlink-loop-named",
        errors=("a.yaml: symbolic link loop",),
        code=2,
        paths=("a.yaml", GOOD),
        setup=_symlink_loop,
    ),
    Case("folder-link-to-its-parent", setup=_link_to_parent),
    Case("broken-link", errors=("broken.yaml: broken symbolic link",), code=2, setup=_broken_link),
    Case("missing-path", errors=("nope.yaml: no such file or directory",), code=2, paths=("nope.yaml", GOOD)),
    Case("fifo-in-a-folder", errors=("pipe.yaml: not a regular file",), code=2, setup=_fifo),
    Case(
        "fifo-named-and-in-the-folder",
        errors=("pipe.yaml: not a regular file or directory",),
        code=2,
        paths=("pipe.yaml", "."),
        setup=_fifo,
    ),
    Case("dev-zero", errors=("/dev/zero: not a regular file or directory",), code=2, paths=("/dev/zero", GOOD)),
    Case(
        "folder-named-x-yaml",
        findings=(("x.yaml/pod.yml", "privileged-container", POD_LINE, POD_COL, "runs privileged"),),
        paths=("x.yaml", GOOD),
        setup=_folder_named_yaml,
    ),
    Case(
        "binary-on-stdin",
        findings=(("<stdin>", "yaml-syntax", 1, 1, "binary file"),),
        paths=("-", GOOD),
        stdin=b"\x7fELF\x02\x01\x01\x00\x00\x00",
    ),
    Case(
        "over-the-size-limit",
        {"big.yaml": "a: " + "x" * 5000 + "\n"},
        (("big.yaml", "yaml-syntax", 1, 1, "file is 5,004 bytes, over the 4,096-byte limit; not linted"),),
        args=("--config", "../cfg.yaml"),
    ),
]

EXIT_CODE_CASES = [
    Case(
        "fail-on-none-with-syntax-errors",
        {"bad.yaml": then_pod("a: [\n")[0]},
        (
            ("bad.yaml", "yaml-syntax", 2, 1, "did not find expected node content (while parsing a flow node)"),
            ("bad.yaml", "privileged-container", then_pod("a: [\n")[1], POD_COL, "runs privileged"),
        ),
        code=0,
        args=("--fail-on", "none"),
    ),
    Case(
        "fail-on-none-with-run-errors",
        errors=("nope.yaml: no such file or directory",),
        code=2,
        paths=("nope.yaml", GOOD),
        args=("--fail-on", "none"),
    ),
]

CASES = [
    *SYNTAX_CASES,
    *ENCODING_CASES,
    *SHAPE_CASES,
    *KEY_CASES,
    *MERGE_CASES,
    *ALIAS_CASES,
    *NESTING_CASES,
    *PATH_CASES,
    *EXIT_CODE_CASES,
]

runner = CliRunner()


def prepare(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write the case's files next to good.yaml in a scratch folder and make it the cwd."""
    work = tmp_path / "work"
    work.mkdir()
    (work / GOOD).write_text(POD)
    for name, content in case.files.items():
        (work / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    (tmp_path / "cfg.yaml").write_text("max-file-size: 4096\n")
    if case.setup is not None:
        case.setup(work, monkeypatch)
    monkeypatch.chdir(work)
    return work


def scan_args(case: Case) -> list[str]:
    config = [] if "--config" in case.args else ["--no-config"]
    return ["scan", *case.paths, *config, *RULES, "-f", "json", *case.args]


def check(case: Case, code: int, stdout: str, stderr: str) -> None:
    """Everything a case promises (see the module docstring)."""
    assert "Traceback" not in stdout + stderr
    assert code == case.code, (stdout, stderr)
    report = json.loads(stdout)
    by_file = [(r["file"], r["rule"], r["line"], r["column"], r["message"]) for r in report["results"]]
    good = [r[1:4] for r in by_file if r[0] == GOOD]
    assert good == [("privileged-container", POD_LINE, POD_COL)]  # still linted
    others = sorted(r for r in by_file if r[0] != GOOD)
    expected = sorted(case.findings)
    assert [r[:4] for r in others] == [e[:4] for e in expected], others
    for got, want in zip(others, expected, strict=True):
        assert want[4] in got[4], (got, want)
    printed = [
        line.removeprefix("ekslint: error: ") for line in stderr.splitlines() if line.startswith("ekslint: error:")
    ]
    assert printed == list(case.errors)
    assert not any("internal error" in e["message"] for e in report["errors"])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_end_to_end(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prepare(case, tmp_path, monkeypatch)
    result = runner.invoke(app, scan_args(case), input=case.stdin, env={"NO_COLOR": "1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    check(case, result.exit_code, result.stdout, result.stderr)


def test_every_bad_input_at_once_with_every_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All the bad files of the cases above in one folder, scanned with every rule on: no rule
    raises on what the loader made of them, and good.yaml is still reported."""
    work = tmp_path / "work"
    work.mkdir()
    (work / GOOD).write_text(POD)
    n = 0
    for case in CASES:
        if case.setup is not None or case.args:
            continue
        for name, content in case.files.items():
            n += 1
            target = work / f"{n:03d}-{name}"
            target.write_bytes(content if isinstance(content, bytes) else content.encode())
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["scan", ".", "--no-config", "--enable", "all", "-f", "json"], env={"NO_COLOR": "1"})
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert ("privileged-container", GOOD, POD_LINE, POD_COL) in {
        (r["rule"], r["file"], r["line"], r["column"]) for r in report["results"]
    }
    assert report["summary"]["files"] == n + 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_and_folder_by_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as the in-process cases above, with real permissions where they apply."""
    work = tmp_path / "work"
    work.mkdir()
    (work / GOOD).write_text(POD)
    (work / "locked.yaml").write_text(POD)
    (work / "locked").mkdir()
    (work / "locked.yaml").chmod(0)
    (work / "locked").chmod(0)
    monkeypatch.chdir(work)
    try:
        result = runner.invoke(app, ["scan", ".", "--no-config", *RULES, "-f", "json"], env={"NO_COLOR": "1"})
    finally:
        (work / "locked").chmod(stat.S_IRWXU)
        (work / "locked.yaml").chmod(stat.S_IRUSR | stat.S_IWUSR)
    check(
        Case("by-mode", errors=("locked: Permission denied", "locked.yaml: cannot read: Permission denied"), code=2),
        result.exit_code,
        result.stdout,
        result.stderr,
    )


# -- in a real process ---------------------------------------------------------------------------


def console_script() -> str:
    exe = shutil.which("ekslint", path=str(Path(sys.executable).parent)) or shutil.which("ekslint")
    if exe is None:
        pytest.skip("the ekslint console script is not installed")
    return exe


def run_process(case: Case, work: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run(
        [console_script(), *scan_args(case)], capture_output=True, text=True, env=env, cwd=work, timeout=300
    )
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}"  # a C stack overflow shows here
    check(case, proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.parametrize(
    "case",
    [c for c in NESTING_CASES if c.id.endswith("000")],
    ids=[c.id for c in NESTING_CASES if c.id.endswith("000")],
)
def test_deep_nesting_in_a_real_process(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_process(case, prepare(case, tmp_path, monkeypatch))


#: Over 32 MB (the old limit), under 64 MB (the limit now): a 50 MB file, as the issue asks.
BIG_MB = 50


def big_file(path: Path) -> tuple[int, int]:
    """A 50 MB manifest, written in well under a second: a ConfigMap holding a big embedded file
    (a dashboard, a bundle), a duplicate key after it, then a privileged Pod. Real documents
    lint too slowly for the suite at this size (bench/bigfile.py measures those); this proves the
    size alone neither refuses nor breaks the file. Returns the lines of the two findings."""
    line = "    " + "x" * 95 + "\n"
    count = BIG_MB * 1_000_000 // len(line) + 1
    head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: shop\ndata:\n  blob: |\n"
    dup_line = head.count("\n") + count + 1
    with path.open("w") as fh:
        fh.write(head)
        fh.write(line * count)
        fh.write("  blob: again\n---\n")
        fh.write(POD)
    assert path.stat().st_size > BIG_MB * 1_000_000 > 32 * 1024 * 1024
    return dup_line, dup_line + 1 + POD_LINE


def big_case(tmp_path: Path) -> Case:
    dup_line, pod_line = big_file(tmp_path / "big.yaml")
    return Case(
        "50-mb-file",
        {},
        (
            ("big.yaml", "duplicate-key", dup_line, 3, "key 'blob' is defined twice (first on line 7)"),
            ("big.yaml", "privileged-container", pod_line, POD_COL, "runs privileged"),
        ),
    )


def test_50_mb_file_is_linted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = prepare(Case("50-mb-file"), tmp_path, monkeypatch)
    case = big_case(work)
    result = runner.invoke(app, scan_args(case), env={"NO_COLOR": "1"})
    check(case, result.exit_code, result.stdout, result.stderr)


def test_50_mb_file_in_a_real_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = prepare(Case("50-mb-file"), tmp_path, monkeypatch)
    run_process(big_case(work), work)


def test_pdb_percentages_are_read_as_the_api_server_reads_them() -> None:
    """Leading zeros as Atoi reads them; thousands of digits without int() of them."""
    from ekslint.rules.availability._pdb import over_100_percent, parse_budget

    budgets = [parse_budget(v) for v in ("0067%", " 100% ", "0%")]
    assert [b.percent if b is not None else None for b in budgets] == [67, 100, 0]
    assert parse_budget("101%") is None and parse_budget("9" * 5000 + "%") is None
    assert over_100_percent("150%") and over_100_percent("9" * 5000 + "%")
    assert not over_100_percent("0100%") and not over_100_percent(150) and not over_100_percent("x%")

"""Hostile Terraform never breaks the scan: every case runs the real command line.

Each case writes a Terraform root next to ``good.tf`` (a cluster whose public endpoint is always
reported at 6:3) and scans the folder with every rule. Every case asserts that nothing raised
(no ``Traceback``, no internal error), the exit code, good.tf's finding (the rest of the scan is
still read) and what the case promises: an exact ``yaml-syntax`` finding for broken HCL, a note
for what is not read, and that nothing outside the tree reached the output. Nothing is timed: a
module loop or a ``count`` of a hundred million must simply finish.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ekslint.cli import app

GOOD = """resource "aws_eks_cluster" "good" {
  name     = "good"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  version  = "1.34"
  vpc_config {
    subnet_ids             = ["subnet-0a", "subnet-0b"]
    endpoint_public_access = true
  }
}
"""
GOOD_FINDING = ("public-endpoint-open", "good/main.tf", 7, 5)


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, str | bytes] = field(default_factory=dict)
    #: (file, rule, line, column, part of the message) of the findings in the case's own files.
    findings: tuple[tuple[str, str, int, int, str], ...] = ()
    #: Parts of notes that must be there.
    notes: tuple[str, ...] = ()
    code: int = 1
    setup: Callable[[Path], None] | None = None
    #: Text that must not be anywhere in the output (what lies outside the tree).
    absent: tuple[str, ...] = ()


def syntax(id: str, text: str, line: int, col: int, message: str) -> Case:
    """Broken HCL: a yaml-syntax error at the place; the folder's other file is still read."""
    return Case(
        id,
        {"bad/broken.tf": text, "bad/cluster.tf": GOOD.replace('"good"', '"bad"')},
        (
            ("bad/broken.tf", "yaml-syntax", line, col, message),
            ("bad/cluster.tf", "public-endpoint-open", 7, 5, "public"),
        ),
    )


def _links(work: Path) -> None:
    (work / "links" / "modules").mkdir(parents=True)
    (work / "links" / "main.tf").write_text(
        'module "loop" {\n  source = "./modules/loop"\n}\nmodule "up" {\n  source = "./modules/up"\n}\n'
    )
    os.symlink("loop", work / "links" / "modules" / "loop")
    os.symlink("../..", work / "links" / "modules" / "up")


HUGE = """resource "aws_subnet" "s" {
  count      = 100000000
  cidr_block = cidrsubnet("10.0.0.0/8", 24, count.index)
}
resource "aws_eks_cluster" "c" {
  name     = "c"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config { subnet_ids = aws_subnet.s[*].id }
}
locals {
  m   = { for i in range(100000000) : i => i }
  r   = range(0, 1000000000000)
  p   = pow(10, 100000)
  f   = format("%999999999d", 1)
  s   = join("", [for i in range(1000000) : "x"])
  rev = strrev(join("", [for i in range(100000) : "abc"]))
  big = cidrsubnets("10.0.0.0/8", 24, 24, 24)
}
"""

CASES = [
    syntax("bracket-closed-by-brace", "locals {\n  ids = [ }\n", 2, 11, "`}` does not close the `[` at 2:9"),
    syntax("unclosed-block", 'resource "aws_subnet" "x" {\n  cidr_block = "10.0.0.0/24"\n', 1, 27, "never closed"),
    syntax("unclosed-string", 'locals {\n  a = "open\n}\n', 2, 7, "string opened here is not closed"),
    syntax("attribute-without-value", "locals {\n  a =\n}\n", 2, 3, "`a =` has no value"),
    syntax("stray-brace", "locals {\n  a = 1\n}\n}\n", 4, 1, "`}` closes nothing"),
    syntax("unclosed-comment", "/* never\nlocals {}\n", 1, 1, "comment opened here is not closed"),
    Case(
        "binary",
        {"bin/main.tf": b"\x00\x01\x02\xff binary"},
        (("bin/main.tf", "yaml-syntax", 1, 1, "binary file (contains NUL bytes), not Terraform"),),
    ),
    Case(
        "latin-1",
        {"latin/main.tf": b'locals {\n  a = "caf\xe9"\n}\n'},
        (("latin/main.tf", "yaml-syntax", 2, 11, "not UTF-8 (byte 0xe9 on line 2); Terraform files must be UTF-8"),),
    ),
    Case(
        "symlink-stored-as-text",
        {"stored/aws-data.tf": "../common-files/aws-data.tf"},
        notes=("stored/aws-data.tf: holds only the path '../common-files/aws-data.tf', a symbolic link",),
    ),
    Case(
        "exponent-integer",
        {"num/main.tf": "locals {\n  cutoff = 1e12\n}\n"},
        notes=("num/main.tf:2:", "the number 1e12 (valid HCL) is beyond the HCL parser ekslint uses"),
    ),
    Case(
        "five-megabytes",
        {
            "big/main.tf": "locals {\n"
            + "".join(f'  v{i:06d} = "{"x" * 40}"\n' for i in range(100_000))
            + "}\n"
            + GOOD.replace('"good"', '"big"')
        },
        (("big/main.tf", "public-endpoint-open", 100_009, 5, "public"),),
    ),
    Case(
        "deep-nesting",
        {
            "deep/main.tf": "locals {\n  l = "
            + "[" * 3000
            + "1"
            + "]" * 3000
            + "\n  p = "
            + "(" * 3000
            + "1"
            + ")" * 3000
            + "\n  o = "
            + "{ a = " * 2000
            + "1"
            + " }" * 2000
            + "\n}\n"
            + "".join(f"b{i} {{\n" for i in range(2000))
            + "}\n" * 2000
            + GOOD.replace('name     = "good"', "name     = local.l[0][0]")
        },
        code=1,
    ),
    Case(
        "module-loop",
        {
            "loop/a/main.tf": 'module "b" {\n  source = "../b"\n  x      = var.x\n}\nvariable "x" {\n  default = 1\n}\n',
            "loop/b/main.tf": 'module "a" {\n  source = "../a"\n  x      = var.x\n}\nvariable "x" {}\n'
            'module "self" {\n  source = "./"\n}\n',
        },
    ),
    Case("symlink-loop-as-module-source", setup=_links),
    Case(
        "source-outside-the-root",
        {"escape/main.tf": 'module "m" {\n  source = "../../../../../../../../etc"\n}\n'},
        notes=("escape: calls a local module outside the project root (/etc); it is not read",),
    ),
    Case("huge-count-and-ranges", {"huge/main.tf": HUGE}),
    Case(
        "unknown-and-filesystem-functions",
        {
            "funcs/main.tf": """locals {
  a = nosuch(1)
  b = provider::aws::arn_parse("arn:aws:iam::1:role/x")
  c = file("/etc/passwd")
  d = templatefile("/etc/passwd", {})
  e = regex("(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")
  f = fileexists("/etc/passwd") ? "1.20" : "1.20"
}
resource "aws_eks_cluster" "c" {
  name     = local.a
  role_arn = "arn:aws:iam::123456789012:role/eks"
  version  = local.c
  vpc_config {
    subnet_ids = [local.d, local.b]
  }
}
"""
        },
        notes=("funcs/main.tf:2: unknown function nosuch(); its value is taken as unknown",),
        absent=("root:x:0:0",),
    ),
    Case(
        "reference-cycles",
        {
            "cycle/main.tf": """locals {
  a = local.b
  b = local.a
  s = local.s
}
variable "v" {
  default = local.a
}
resource "aws_eks_cluster" "c" {
  name     = local.a
  role_arn = aws_eks_cluster.c.arn
  version  = var.v
  vpc_config {
    subnet_ids = [aws_subnet.x.id]
  }
}
resource "aws_subnet" "x" {
  cidr_block = aws_subnet.x.cidr_block
  vpc_id     = aws_eks_cluster.c.id
}
"""
        },
    ),
]

runner = CliRunner()


def scan(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, dict[str, Any], str]:
    work = tmp_path / "work"
    (work / "good").mkdir(parents=True)
    (work / "good" / "main.tf").write_text(GOOD)
    for name, content in case.files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    if case.setup is not None:
        case.setup(work)
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["scan", ".", "--no-config", "--enable", "all", "-f", "json"], env={"NO_COLOR": "1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, json.loads(result.stdout), result.stdout + result.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_terraform(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, report, output = scan(case, tmp_path, monkeypatch)
    assert "Traceback" not in output
    assert code == case.code, output
    assert report["errors"] == []
    assert not any("internal error" in n for n in report["notes"]), report["notes"]
    found = {(r["rule"], r["file"], r["line"], r["column"]) for r in report["results"]}
    assert GOOD_FINDING in found  # the rest of the scan is still read
    for file, rule, line, col, message in case.findings:
        matches = [
            r
            for r in report["results"]
            if (r["file"], r["rule"], r["line"], r["column"]) == (file, rule, line, col) and message in r["message"]
        ]
        assert matches, (file, rule, line, col, message, report["results"])
    syntax_errors = {(r["file"], r["line"], r["column"]) for r in report["results"] if r["rule"] == "yaml-syntax"}
    assert syntax_errors == {(f, line, col) for f, rule, line, col, _ in case.findings if rule == "yaml-syntax"}
    for part in case.notes:
        assert any(part in n for n in report["notes"]), (part, report["notes"])
    for text in case.absent:
        assert text not in output

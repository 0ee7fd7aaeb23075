"""``ekslint fix`` never damages a file, writes where it should not, or leaks what it shows.

A fix job runs on a pull request's checkout, so every file it reads is untrusted: a link can point
out of the checkout, a file can be UTF-16 or end its lines with CR LF, a document can hold what
ruamel.yaml refuses, and the diff shows the manifest's own text to a terminal or a CI log. Each
test runs the real command line on such a tree and checks the bytes on disk, or the output the
way its reader sees it.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ekslint.cli import app
from ekslint.linter.fixes import fix_chunk, load_fixers, trailing_comment
from ekslint.linter.formatters.escape import redact

runner = CliRunner()
load_fixers()
TARGET = ["--no-config", "--kubernetes-version", "1.33", "--as-of", "2026-11-25"]

STORAGE_CLASS = """\
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: ebs.csi.aws.com
volumeBindingMode: WaitForFirstConsumer
parameters:
  encrypted: "true"
  type: gp2
"""
FIXED_STORAGE_CLASS = STORAGE_CLASS.replace("type: gp2", "type: gp3")


def invoke(*args: str) -> Any:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1", "GITHUB_ACTIONS": ""})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def fix(*args: str) -> Any:
    return invoke("fix", *args, *TARGET)


def refusals(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("ekslint: not fixed: ") and name in line]


def fixed_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if ": fixed " in line]


# --- 8. links: nothing outside the named paths, nothing through a link, each file once -----------


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``repo/`` (the working directory) and ``elsewhere/``, a folder beside it."""
    (tmp_path / "repo").mkdir()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def test_a_link_out_of_the_checkout_is_not_followed(checkout: Path) -> None:
    outside = checkout.parent / "elsewhere"
    (outside / "file.yaml").write_text(STORAGE_CLASS)
    (outside / "sub").mkdir()
    (outside / "sub" / "deep.yaml").write_text(STORAGE_CLASS)
    os.symlink("../elsewhere/file.yaml", checkout / "victim.yaml")
    os.symlink("../elsewhere/sub", checkout / "linked-dir")
    (checkout / "own.yaml").write_text(STORAGE_CLASS)
    result = fix(".")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (outside / "file.yaml").read_text() == STORAGE_CLASS
    assert (outside / "sub" / "deep.yaml").read_text() == STORAGE_CLASS
    assert os.path.islink(checkout / "victim.yaml") and os.path.islink(checkout / "linked-dir")
    assert (checkout / "own.yaml").read_text() == FIXED_STORAGE_CLASS
    assert fixed_lines(result.stdout) == [fixed_lines(result.stdout)[0]] and "own.yaml" in result.stdout
    for name in ("victim.yaml", "linked-dir/deep.yaml"):
        (line,) = refusals(result.stderr, name)  # one line per refused file
        assert "symbolic link" in line and "outside" in line


def test_the_same_file_is_fixed_once(checkout: Path) -> None:
    (checkout / "real.yaml").write_text(STORAGE_CLASS)
    os.symlink("real.yaml", checkout / "alias.yaml")
    os.symlink("real.yaml", checkout / "other.yaml")
    result = fix(".", "real.yaml", "alias.yaml")
    assert result.exit_code == 0, result.stdout + result.stderr
    (line,) = fixed_lines(result.stdout)
    assert line.startswith("real.yaml: fixed in-tree-ebs-provisioner")
    assert "Fixed 1 problem in 1 file" in result.stdout
    assert (checkout / "real.yaml").read_text() == FIXED_STORAGE_CLASS
    assert os.readlink(checkout / "alias.yaml") == "real.yaml" and os.readlink(checkout / "other.yaml") == "real.yaml"
    assert "not fixed" not in result.stderr  # the links are the same file, fixed by its own name


def test_nothing_is_written_through_a_link(checkout: Path) -> None:
    """Links to a file that is not fixed by its own name (vendor/ is never walked): refused, one
    line each, and the file stays as it was, whether the links are found or named."""
    (checkout / "vendor").mkdir()
    (checkout / "vendor" / "base.yaml").write_text(STORAGE_CLASS)
    os.symlink("vendor/base.yaml", checkout / "a.yaml")
    os.symlink("vendor/base.yaml", checkout / "b.yaml")
    for args in (["."], ["a.yaml", "b.yaml"]):
        result = fix(*args)
        assert result.exit_code == 0, result.stdout + result.stderr
        assert (checkout / "vendor" / "base.yaml").read_text() == STORAGE_CLASS
        assert os.path.islink(checkout / "a.yaml") and os.path.islink(checkout / "b.yaml")
        for name in ("a.yaml", "b.yaml"):
            (line,) = refusals(result.stderr, name)
            assert "symbolic link" in line and "vendor/base.yaml" in line
        assert fixed_lines(result.stdout) == []


def test_links_above_the_checkout_are_trusted_links_in_it_are_not(checkout: Path) -> None:
    """A folder named outside the working directory may be a link (``/tmp`` is one on macOS);
    a named folder inside the checkout that is a link is the repository's and is not followed."""
    real = checkout.parent / "elsewhere" / "real"
    real.mkdir()
    (real / "x.yaml").write_text(STORAGE_CLASS)
    os.symlink("real", checkout.parent / "elsewhere" / "link")
    os.symlink("../elsewhere/real", checkout / "k8s")
    result = fix("k8s")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (real / "x.yaml").read_text() == STORAGE_CLASS
    (line,) = refusals(result.stderr, "k8s/x.yaml")
    assert "symbolic link" in line and "outside" in line
    result = fix("../elsewhere/link")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (real / "x.yaml").read_text() == FIXED_STORAGE_CLASS
    assert os.path.islink(checkout.parent / "elsewhere" / "link")
    assert [line.split(": ")[0] for line in fixed_lines(result.stdout)] == ["../elsewhere/link/x.yaml"]


def test_writes_are_atomic_and_keep_the_mode(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = checkout / "x.yaml"
    target.write_text(STORAGE_CLASS)
    os.chmod(target, 0o640)
    result = fix(".")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert target.read_text() == FIXED_STORAGE_CLASS
    assert target.stat().st_mode & 0o7777 == 0o640
    assert sorted(os.listdir(checkout)) == ["x.yaml"]  # no temporary file left

    # A write that fails (a full disk) leaves the file whole, says so, and the run goes on.
    target.write_text(STORAGE_CLASS)
    (checkout / "y.yaml").write_text(STORAGE_CLASS)
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        if str(dst).endswith("x.yaml"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    result = fix(".")
    assert result.exit_code == 2
    assert target.read_text() == STORAGE_CLASS
    assert (checkout / "y.yaml").read_text() == FIXED_STORAGE_CLASS
    assert "x.yaml" in result.stderr and "No space left on device" in result.stderr
    assert sorted(os.listdir(checkout)) == ["x.yaml", "y.yaml"]


def test_a_file_that_changes_during_the_fix_is_not_written(checkout: Path) -> None:
    """Between reading and writing, an editor saved the file, or a link replaced it: the fix
    writes nothing rather than undo the edit or write through the link."""
    from ekslint.linter.config import Settings
    from ekslint.linter.fix_run import fix_paths, write_fix

    target = checkout / "x.yaml"
    target.write_text(STORAGE_CLASS)
    settings = Settings(root=checkout, kubernetes_version="1.33")
    (fix_x,) = fix_paths(["x.yaml"], settings, cwd=checkout).changed
    target.write_text(STORAGE_CLASS + "# edited\n")
    with pytest.raises(OSError, match="changed during the fix"):
        write_fix(fix_x)
    assert target.read_text() == STORAGE_CLASS + "# edited\n"
    target.write_text(STORAGE_CLASS)
    (fix_x,) = fix_paths(["x.yaml"], settings, cwd=checkout).changed
    outside = checkout.parent / "elsewhere" / "file.yaml"
    outside.write_text(STORAGE_CLASS)
    target.unlink()
    os.symlink(outside, target)
    with pytest.raises(OSError, match="symbolic link"):
        write_fix(fix_x)
    assert outside.read_text() == STORAGE_CLASS and target.is_symlink()


# --- 9. encodings, byte order marks and line breaks are kept ---------------------------------------

PDB = """\
apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: web}
"""
SERVICE = """\
apiVersion: v1
kind: Service
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80}]
metadata:
  name: web
  namespace: shop
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: nlb-ip
"""
#: An edit on the first line (the BOM's), one in the middle, one that adds the last line.
STREAM = PDB + "---\n" + STORAGE_CLASS + "---\n" + SERVICE
FIXED_STREAM = (
    PDB.replace("policy/v1beta1", "policy/v1")
    + "---\n"
    + FIXED_STORAGE_CLASS
    + "---\n"
    + SERVICE.replace("nlb-ip", "external")
    + "    service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip\n"
)
BOMS = {
    "utf-8-sig": b"\xef\xbb\xbf",
    "utf-16-le": b"\xff\xfe",
    "utf-16-be": b"\xfe\xff",
    "utf-32-le": b"\xff\xfe\x00\x00",
}


def encoded(text: str, encoding: str, eol: str, final: bool) -> bytes:
    text = text if final else text.removesuffix("\n")
    text = text.replace("\n", eol)
    if encoding == "utf-8":
        return text.encode()
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    return BOMS[encoding] + text.encode(codec)


@pytest.mark.parametrize(
    ("encoding", "eol", "final"),
    [
        ("utf-8", "\r\n", True),
        ("utf-8", "\r", True),
        ("utf-8", "\n", False),
        ("utf-8", "\r\n", False),
        ("utf-8-sig", "\n", True),
        ("utf-8-sig", "\r\n", True),
        ("utf-16-le", "\n", True),
        ("utf-16-be", "\r\n", False),
        ("utf-32-le", "\n", True),
    ],
)
def test_encoding_and_line_breaks_are_kept(checkout: Path, encoding: str, eol: str, final: bool) -> None:
    target = checkout / "stream.yaml"
    target.write_bytes(encoded(STREAM, encoding, eol, final))
    result = fix(".")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert len(fixed_lines(result.stdout)) == 3
    assert target.read_bytes() == encoded(FIXED_STREAM, encoding, eol, final)


def test_mixed_line_breaks_are_kept_line_by_line(checkout: Path) -> None:
    """Each kept or replaced line keeps its own break; an added line takes the file's first one."""
    lines = STORAGE_CLASS.splitlines()
    text = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines))
    (checkout / "mixed.yaml").write_bytes(text.encode())
    service = SERVICE.removesuffix("\n").replace("\n", "\r\n") + "\n"  # CR LF but the last line
    (checkout / "svc.yaml").write_bytes(service.encode())
    result = fix(".")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (checkout / "mixed.yaml").read_bytes() == text.replace("type: gp2", "type: gp3").encode()
    added = "    service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip\r\n"
    assert (checkout / "svc.yaml").read_bytes() == (service.replace("nlb-ip", "external") + added).encode()


def test_a_byte_order_mark_that_starts_a_later_document_is_kept(checkout: Path) -> None:
    text = "kind: ConfigMap\n---\n\ufeff" + PDB
    (checkout / "x.yaml").write_text(text)
    result = fix(".")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (checkout / "x.yaml").read_text() == text.replace("policy/v1beta1", "policy/v1")


def test_one_utf16_file_does_not_stop_the_run(checkout: Path) -> None:
    (checkout / "a-utf16.yaml").write_bytes(encoded(STORAGE_CLASS, "utf-16-le", "\n", True))
    (checkout / "b-utf8.yaml").write_text(STORAGE_CLASS)
    result = fix(".")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (checkout / "a-utf16.yaml").read_bytes() == encoded(FIXED_STORAGE_CLASS, "utf-16-le", "\n", True)
    assert (checkout / "b-utf8.yaml").read_text() == FIXED_STORAGE_CLASS


def test_a_file_that_cannot_be_decoded_is_skipped(checkout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that became unreadable after the scan (an editor saved it as Latin-1) is left alone
    with a message; the other files are fixed."""
    import ekslint.linter.fix_run as fix_run

    (checkout / "a.yaml").write_text(STORAGE_CLASS)
    (checkout / "b.yaml").write_text(STORAGE_CLASS)
    real_lint = fix_run.lint
    latin1 = STORAGE_CLASS.replace("name: fast", "name: fast # caf\xe9").encode("latin-1")

    def lint_then_edit(*args: Any, **kwargs: Any) -> Any:
        report = real_lint(*args, **kwargs)
        (checkout / "a.yaml").write_bytes(latin1)
        return report

    monkeypatch.setattr(fix_run, "lint", lint_then_edit)
    result = fix(".")
    assert (checkout / "a.yaml").read_bytes() == latin1
    assert (checkout / "b.yaml").read_text() == FIXED_STORAGE_CLASS
    (line,) = refusals(result.stderr, "a.yaml")
    assert "UTF-8" in line


# --- 10. the diff and the report are shown as the scan outputs are ---------------------------------

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
URL = "https://deploy:hunter2secret@git.example.com/x.git"
SECRET_CONTEXT = f"""\
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: ebs.csi.aws.com
volumeBindingMode: WaitForFirstConsumer
parameters:
  encrypted: "true"
  owner: {KEY_ID}
  repo: {URL}
  token: {JWT}
  type: gp2    # \u202eevil
---
# ##[warning]old-style command \x1b[2J\x1b]0;pwned\x07
::error file=x.yaml::forged from a context line
  ::warning::indented too
kind: ConfigMap
"""


def test_diff_masks_credentials_and_neutralises_the_terminal_and_the_log(checkout: Path) -> None:
    name = "sc\x1b[31m::error::x.yaml"
    (checkout / name).write_text(SECRET_CONTEXT)
    result = fix(".", "--diff")
    assert result.exit_code == 1, result.stdout + result.stderr
    out = result.stdout
    assert "-  type: gp2" in out and "+  type: gp3" in out  # still a diff of the change
    for secret in (KEY_ID, "hunter2secret", JWT.split(".")[-1]):
        assert secret not in out
    for masked in (redact(KEY_ID), redact(URL), redact(JWT)):
        assert masked in out  # the scan outputs' own masking, not a second one
    assert not re.search("[\x1b\x07\u202e]", out)
    assert "##[" not in out
    assert not [line for line in out.splitlines() if line.lstrip().startswith("::")]
    assert "\\x1b" in out and "\\u202e" in out  # shown as visible escapes, as the text format does
    assert (checkout / name).read_text() == SECRET_CONTEXT


def test_fixed_lines_are_shown_as_the_scan_shows_them(checkout: Path) -> None:
    (checkout / "::error::top.yaml").write_text(STORAGE_CLASS)
    (checkout / " ::warning::blank.yaml").write_text(STORAGE_CLASS)
    (checkout / "ingress.yaml").write_text(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\n"
        f"  annotations:\n    kubernetes.io/ingress.class: {KEY_ID}\nspec:\n  rules: []\n"
    )
    result = fix(".")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert len(fixed_lines(result.stdout)) == 3
    for stream in (result.stdout, result.stderr):
        assert not [line for line in stream.splitlines() if line.lstrip().startswith("::")]
        assert KEY_ID not in stream
    assert f"ingress.class: {redact(KEY_ID)} -> spec.ingressClassName" in result.stdout


# --- 11. a document fix cannot edit is reported --------------------------------------------------

UNEDITABLE = """\
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: dup
  name: dup
provisioner: ebs.csi.aws.com
parameters:
  type: gp2
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: formfeed   # page\x0cbreak
provisioner: ebs.csi.aws.com
parameters:
  type: gp2
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fine
provisioner: ebs.csi.aws.com
parameters:
  type: gp2
"""


def test_documents_that_cannot_be_edited_are_reported(checkout: Path) -> None:
    (checkout / "multi.yaml").write_text(UNEDITABLE)
    result = fix(".")
    assert result.exit_code == 0, result.stdout + result.stderr  # remaining findings: not an error
    assert (checkout / "multi.yaml").read_text() == UNEDITABLE.replace(
        "name: fine\nprovisioner: ebs.csi.aws.com\nparameters:\n  type: gp2",
        "name: fine\nprovisioner: ebs.csi.aws.com\nparameters:\n  type: gp3",
    )
    dup, formfeed = refusals(result.stderr, "multi.yaml")
    assert dup.startswith("ekslint: not fixed: multi.yaml:5: StorageClass/dup: ") and "duplicate key" in dup
    assert formfeed.startswith("ekslint: not fixed: multi.yaml:13: StorageClass/formfeed: ")
    assert "#x000c" in formfeed and "\x0c" not in formfeed
    assert "remain that need a manual change" in result.stdout


def test_a_splice_that_would_change_the_meaning_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The last guard: the edited text must read back as the edited object, or nothing changes."""
    import ekslint.linter.fixes as fixes

    monkeypatch.setattr(fixes, "_reindent", lambda *a: ["    type: gp3"])  # a wrong indentation
    text, changes, refused = fix_chunk(STORAGE_CLASS, {"StorageClass/fast": {"in-tree-ebs-provisioner"}})
    assert text == STORAGE_CLASS and changes == []
    ((line, why),) = refused
    assert line == 1 and "StorageClass/fast" in why and "would not read back" in why


def test_added_lines_take_the_indentation_of_their_siblings() -> None:
    """A key added to a mapping lines up with the keys beside it, not with the line above
    (which can be its parent), in files whose indentation changes from block to block."""
    ingress = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    x: y
    kubernetes.io/ingress.class: alb
spec:
      defaultBackend: {service: {name: web, port: {number: 80}}}
"""
    text, changes, refused = fix_chunk(ingress, {"Ingress/shop/web": {"deprecated-annotation"}})
    assert changes and not refused
    assert text.splitlines()[-3:] == [
        "spec:",
        "      ingressClassName: alb",
        "      defaultBackend: {service: {name: web, port: {number: 80}}}",
    ]
    service = SERVICE.replace("  annotations:\n    service", "    annotations:\n      service").replace(
        "  name: web\n  namespace: shop", "    name: web\n    namespace: shop"
    )
    text, changes, refused = fix_chunk(service, {"Service/shop/web": {"deprecated-annotation"}})
    assert changes and not refused
    assert text.splitlines()[-2:] == [
        "      service.beta.kubernetes.io/aws-load-balancer-type: external",
        "      service.beta.kubernetes.io/aws-load-balancer-nlb-target-type: ip",
    ]


# --- (a) the trailing-comment scan is linear ------------------------------------------------------

OLD_TRAILING_COMMENT = re.compile(r"(\s+)(#[^'\"]*)$")


@pytest.mark.parametrize(
    "line",
    [
        "  type: gp2" + " " * 100_000 + "# it's",
        "  type: gp2" + " #" * 50_000 + "'",
        "  type: gp2" + " " * 100_000 + "# ok",
    ],
)
def test_trailing_comment_is_found_in_linear_time(line: str) -> None:
    start = time.perf_counter()
    trailing_comment(line)
    text, changes, _ = fix_chunk(
        STORAGE_CLASS.replace("  type: gp2\n", line + "\n"), {"StorageClass/fast": {"in-tree-ebs-provisioner"}}
    )
    assert time.perf_counter() - start < 2
    assert changes and "type: gp3" in text
    if line.endswith("# ok"):  # a comment: the blanks before it are kept, all 100,000
        assert line.replace("gp2", "gp3") in text.splitlines()


def test_trailing_comment_finds_what_the_old_expression_found() -> None:
    rng = random.Random(8)
    for _ in range(20_000):
        line = "".join(rng.choice(" \t#'\"ab") for _ in range(rng.randrange(12)))
        match = OLD_TRAILING_COMMENT.search(line)
        assert trailing_comment(line) == (match.groups() if match else None), repr(line)


# --- (b) what is left to do by hand ---------------------------------------------------------------


def scan_count(*args: str) -> int:
    result = invoke("scan", *args, *TARGET, "-f", "json")
    return len([r for r in json.loads(result.stdout)["results"] if not r["suppressed"]])


def test_fix_says_how_many_findings_remain(checkout: Path) -> None:
    (checkout / "x.yaml").write_text(STREAM + "---\n" + UNEDITABLE)
    diff = fix(".", "--diff")
    assert diff.exit_code == 1
    result = fix(".")
    assert result.exit_code == 0, result.stdout + result.stderr
    remaining = scan_count(".")
    assert remaining > 2  # the two documents that cannot be edited, and findings with no fix
    assert (
        result.stdout.splitlines()[-1] == f"Fixed 4 problems in 1 file; {remaining} remain that need a manual change."
    )
    assert (
        diff.stderr.splitlines()[-1] == f"Would fix 4 problems in 1 file; {remaining} remain that need a manual change."
    )
    again = fix(".")
    assert again.exit_code == 0
    assert (
        again.stdout.splitlines()[-1] == f"Fixed 0 problems in 0 files; {remaining} remain that need a manual change."
    )
    assert fix(".", "--diff").exit_code == 0


def test_stdin_cannot_be_fixed() -> None:
    result = runner.invoke(app, ["fix", "-", *TARGET], input=STORAGE_CLASS)
    assert result.exit_code == 2
    assert result.stderr.startswith("ekslint: error: ") and "stdin" in result.stderr


def test_run_errors_are_reported_and_the_rest_is_fixed(checkout: Path) -> None:
    (checkout / "x.yaml").write_text(STORAGE_CLASS)
    result = fix("missing.yaml", "x.yaml")
    assert result.exit_code == 2
    assert "ekslint: error: missing.yaml: no such file or directory" in result.stderr
    assert (checkout / "x.yaml").read_text() == FIXED_STORAGE_CLASS

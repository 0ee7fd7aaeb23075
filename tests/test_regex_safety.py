"""Every regular expression ekslint runs finishes quickly on hostile input.

The scanned repository controls every string ekslint matches, and Python's ``re`` backtracks: one
pattern with nested or overlapping repeats (``(a|a)+``), or a ``.*?x`` searched across a long
text, lets one crafted value hang a scan for minutes. This test collects every pattern the package
compiles — module- and class-level ``re.Pattern`` objects (also inside module-level tuples, lists
and dicts) and string literals handed to ``re.compile``/``re.match``/``re.search``/... in the
source (also ``for p in (r"...", ...): re.search(p, ...)``) — and runs each the way the code runs
it (``match``, ``fullmatch``, ``search``, or every match for ``sub``/``split``/``findall``/
``finditer``; every match when the use is not found) on 100 KB inputs built from the pattern
itself: runs of each of its literal characters, a shortest match with one repeat pumped to 100 KB
and a character that makes it fail at the end, each prefix of that match repeated, and a few
classics (blanks, ``a.a.``, ``{{{{``, ``://@ a.a.``). Each run gets :data:`BOUND` seconds of CPU
(a CPU-time timer signal: ``re`` checks for signals while it matches); a linear pattern needs
milliseconds.

Patterns built at run time from data (CRD ``pattern``s, exclude globs, Terraform's ``regex()``)
run on RE2 (``ekslint.linter.linear_regex``) instead; ``re`` calls whose pattern is not a literal
are listed in :data:`DYNAMIC_REVIEWED`, so that a new one is looked at before it is allowed.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from types import ModuleType
from typing import Any

import pytest

import ekslint
from ekslint.linter.lazyre import LazyPattern

PACKAGE = Path(ekslint.__file__).parent
#: Length of every adversarial input, in characters.
SIZE = 100_000
#: CPU seconds one (pattern, input) run may take (CPU time: a busy machine does not make a run
#: slow); linear matching of 100 KB takes milliseconds.
BOUND = 1.0

#: Super-linear patterns whose fix is under way elsewhere: the pattern's name and a part of it
#: that is slow. The pattern is skipped while it holds that part; once the part (or the name) is
#: gone, the rewritten pattern is tested and ``test_known_slow_entries_are_current`` asks for the
#: entry to be removed. Empty: every pattern of the package passes.
KNOWN_SLOW: dict[str, str] = {}

#: ``re`` calls whose pattern is not a literal, reviewed: (file, the pattern argument's source).
DYNAMIC_REVIEWED: frozenset[tuple[str, str]] = frozenset(
    {
        # escaped names followed by -\d+: no repeat but the last
        ("ekslint/rules/wiring/_providers.py", "f'{re.escape(claim)}-{re.escape(w.name)}-\\\\d+'"),
        ("ekslint/rules/wiring/_refs.py", "re.escape(name) + '-\\\\d+'"),
        # an escaped variable name, then a dot: no repeat but \s*
        ("ekslint/linter/admission/policies.py", "f'(?<![.\\\\w]){re.escape(name)}\\\\s*\\\\.'"),
        # semver: numbers and dot-separated identifiers, each part ended by a literal
        (
            "ekslint/linter/cel/library/semver.py",
            "f'^{_NUM}\\\\.{_NUM}\\\\.{_NUM}(?:-({_IDENT}(?:\\\\.{_IDENT})*))?(?:\\\\+({_IDENT}(?:\\\\.{_IDENT})*))?$'",
        ),
        # a TOML table header: literals between optional blanks
        (
            "ekslint/linter/config.py",
            "f'^\\\\s*\\\\[\\\\[\\\\s*tool\\\\s*\\\\.\\\\s*ekslint\\\\s*\\\\.\\\\s*{key}\\\\s*\\\\]\\\\]'",
        ),
        # LazyPattern compiles its module-constant patterns, which are collected and run above
        ("ekslint/linter/lazyre.py", "self._pattern"),
    }
)

#: How each ``re`` function or ``Pattern`` method searches: anchored at the start, the whole
#: string, the first match anywhere, or every match.
MODES = {
    "match": "match",
    "fullmatch": "fullmatch",
    "search": "search",
    "sub": "all",
    "subn": "all",
    "split": "all",
    "findall": "all",
    "finditer": "all",
}
#: Where ``flags`` sits among the positional arguments of each ``re`` function.
FLAGS_AT = {
    "compile": 1,
    "match": 2,
    "fullmatch": 2,
    "search": 2,
    "findall": 2,
    "finditer": 2,
    "split": 3,
    "sub": 4,
    "subn": 4,
}


@dataclass
class Case:
    """One compiled pattern, where it is defined or used, and how the code runs it."""

    pattern: re.Pattern[str]
    where: list[str] = field(default_factory=list)
    modes: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        """The pattern's module-level name if it has one, else the first call site."""
        return next((w for w in self.where if ".py:" not in w), self.where[0])


def _modules() -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(ekslint.__path__, "ekslint."):
        if info.name.endswith(".__main__"):  # `python -m ekslint`: importing it runs the command
            continue
        yield importlib.import_module(info.name)


def _sources() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path.relative_to(PACKAGE.parent).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _is_re(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "re"


def _flag_value(node: ast.expr) -> int:
    """``re.I``, ``re.M | re.S``...; anything else counts as no flags."""
    if isinstance(node, ast.Attribute) and _is_re(node.value):
        return int(getattr(re, node.attr, 0))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flag_value(node.left) | _flag_value(node.right)
    return 0


def _flags(call: ast.Call, function: str) -> int:
    at = FLAGS_AT[function]
    given = [k.value for k in call.keywords if k.arg == "flags"] + call.args[at : at + 1]
    return _flag_value(given[0]) if given else 0


def _loop_literals(tree: ast.Module) -> dict[str, list[str]]:
    """``for p in (r"[a-z]", r"\\d")`` (or a comprehension over such a tuple): the strings ``p`` takes."""
    out: dict[str, list[str]] = defaultdict(list)
    for node in ast.walk(tree):
        if (
            isinstance(node, (ast.For, ast.comprehension))
            and isinstance(node.target, ast.Name)
            and isinstance(node.iter, (ast.Tuple, ast.List))
            and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.iter.elts)
        ):
            out[node.target.id].extend(e.value for e in node.iter.elts)  # type: ignore[attr-defined]
    return out


def _text(pattern: str | bytes) -> str:
    """A pattern as text: a bytes pattern is tried as the same pattern over Latin-1 text, which
    backtracks the same way on the same (ASCII) inputs."""
    return pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern


def collect() -> tuple[list[Case], set[tuple[str, str]]]:
    """Every pattern in the package (one case per text and flags) and every non-literal ``re`` call."""
    uses: dict[str, set[str]] = defaultdict(set)  # a variable or attribute name -> how it is run
    cases: dict[tuple[str, int], Case] = {}
    dynamic: set[tuple[str, str]] = set()

    def add(pattern: re.Pattern[str], where: str, modes: set[str]) -> None:
        case = cases.setdefault((pattern.pattern, pattern.flags), Case(pattern))
        case.where.append(where)
        case.modes |= modes

    for rel, tree in _sources():
        loops = _loop_literals(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            attr, receiver = node.func.attr, node.func.value
            if _is_re(receiver) and attr in FLAGS_AT and node.args:
                arg = node.args[0]
                modes = {MODES[attr]} if attr in MODES else set()  # compiled: its uses are found below
                if isinstance(arg, ast.Constant) and isinstance(arg.value, (str, bytes)):
                    add(re.compile(_text(arg.value), _flags(node, attr)), f"{rel}:{node.lineno}", modes)
                elif isinstance(arg, ast.Name) and arg.id in loops:
                    for text in loops[arg.id]:
                        add(re.compile(text, _flags(node, attr)), f"{rel}:{node.lineno}", modes)
                else:
                    dynamic.add((rel, ast.unparse(arg)))
            elif attr in MODES and isinstance(receiver, (ast.Name, ast.Attribute)):
                uses[receiver.id if isinstance(receiver, ast.Name) else receiver.attr].add(MODES[attr])

    for module in _modules():
        for name, value in vars(module).items():
            owners = [(name, value)]
            if isinstance(value, type) and value.__module__ == module.__name__:
                owners = [(f"{name}.{k}", v) for k, v in vars(value).items()]
            for owner, obj in owners:
                items = (
                    obj.values()
                    if isinstance(obj, dict)
                    else obj
                    if isinstance(obj, (tuple, list, frozenset))
                    else [obj]
                )
                for held in items:
                    item = held.compiled if isinstance(held, LazyPattern) else held  # the same pattern
                    if isinstance(item, re.Pattern):
                        if isinstance(item.pattern, bytes):
                            item = re.compile(_text(item.pattern), item.flags & ~re.ASCII)
                        # A pattern held in a container is run by code this cannot see: every match.
                        found = uses.get(owner.rsplit(".", 1)[-1]) if held is obj else None
                        add(item, f"{module.__name__}.{owner}", set(found or {"all"}))
    for case in cases.values():
        case.modes = case.modes or {"all"}  # compiled in a function and used there: assume the worst
    return list(cases.values()), dynamic


# -- adversarial inputs ------------------------------------------------------------------------------

_CANDIDATES = "a A0 .-_/:#@=,;{}<>\"'\\\t\n\x00é"
_CATEGORY = {
    sre.CATEGORY_DIGIT: re.compile(r"\d"),
    sre.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    sre.CATEGORY_SPACE: re.compile(r"\s"),
    sre.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    sre.CATEGORY_WORD: re.compile(r"\w"),
    sre.CATEGORY_NOT_WORD: re.compile(r"\W"),
}
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _in_set(items: list[tuple[Any, Any]], ch: str) -> bool:
    negate, found = False, False
    for op, arg in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            found |= ord(ch) == arg
        elif op is sre.RANGE:
            found |= arg[0] <= ord(ch) <= arg[1]
        elif op is sre.CATEGORY and arg in _CATEGORY:
            found |= _CATEGORY[arg].match(ch) is not None
    return found != negate


def _set_char(items: list[tuple[Any, Any]]) -> str:
    """A character the ``[...]`` set matches: one it names, else a common one."""
    named = [chr(arg) for op, arg in items if op is sre.LITERAL] + [chr(arg[0]) for op, arg in items if op is sre.RANGE]
    return next((ch for ch in named + list(_CANDIDATES) if _in_set(items, ch)), "a")


@dataclass
class _Sampler:
    """Builds a short string the pattern matches, taking the first or the last alternative of every
    ``|`` and repeating one chosen repeat (``pump``, counted in pattern order) to :data:`SIZE`."""

    last_branch: bool
    pump: int | None = None
    repeats: int = 0

    def run(self, items: Any) -> str:
        return "".join(self.item(op, arg) for op, arg in items)

    def item(self, op: Any, arg: Any) -> str:
        if op is sre.LITERAL:
            return chr(arg)
        if op is sre.NOT_LITERAL:
            return "a" if arg != ord("a") else "b"
        if op is sre.ANY:
            return "a"
        if op is sre.IN:
            return _set_char(arg)
        if op is sre.SUBPATTERN:
            return self.run(arg[3])
        if op is sre.ATOMIC_GROUP:
            return self.run(arg)
        if op is sre.BRANCH:
            return self.run(arg[1][-1 if self.last_branch else 0])
        if op is sre.GROUPREF_EXISTS:
            return self.run(arg[1])
        if op in _REPEATS:
            low, _, body = arg
            index, self.repeats = self.repeats, self.repeats + 1
            text = self.run(body)
            return text * (SIZE // max(1, len(text))) if index == self.pump else text * low
        return ""  # anchors, lookaround, back-references: nothing consumed


def _walk(items: Any) -> Iterator[tuple[Any, Any]]:
    for op, arg in items:
        yield op, arg
        if op is sre.SUBPATTERN:
            yield from _walk(arg[3])
        elif op in _REPEATS:
            yield from _walk(arg[2])
        elif op is sre.BRANCH:
            for branch in arg[1]:
                yield from _walk(branch)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            yield from _walk(arg[1])
        elif op is sre.ATOMIC_GROUP:
            yield from _walk(arg)


def inputs(pattern: re.Pattern[str]) -> dict[str, str]:
    """Adversarial inputs for ``pattern``, by a short description."""
    tree = _parser.parse(pattern.pattern, pattern.flags)
    out = {
        "blanks": " " * SIZE,
        "newlines": "\n" * SIZE,
        "a.a.": "a." * (SIZE // 2),
        "a-a-": "a-" * (SIZE // 2),
        "a a ": "a " * (SIZE // 2),
        "{{{{": "{" * SIZE,
        "://@ a.a.": "://@ " + "a." * (SIZE // 2),
    }
    for ch in sorted({chr(arg) for op, arg in _walk(tree) if op is sre.LITERAL}):
        out[f"{ch!r}*"] = ch * SIZE
    for last in (False, True):
        probe = _Sampler(last)
        shortest = probe.run(tree)
        for k in range(1, len(shortest)):
            out[f"{shortest[:k]!r}*"] = shortest[:k] * (SIZE // k)
        for i in range(probe.repeats):
            pumped = _Sampler(last, pump=i).run(tree)
            for end in ("", "\x00", "!", "\n"):
                out[f"{'last' if last else 'first'} alternatives, repeat {i} pumped, then {end!r}"] = pumped + end
    return out


class _Slow(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Slow


def too_slow(pattern: re.Pattern[str], mode: str, text: str, bound: float = BOUND) -> bool:
    """Does one run take more than ``bound`` CPU seconds? (It is stopped there.)"""
    signal.setitimer(signal.ITIMER_VIRTUAL, bound)
    try:
        if mode == "all":
            for _ in pattern.finditer(text):
                pass
        else:
            getattr(pattern, mode)(text)
    except _Slow:
        return True
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
    return False


CASES, DYNAMIC = collect()


@pytest.fixture(autouse=True)
def _timer() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("the time bound is a signal, which only the main thread receives")
    previous = signal.signal(signal.SIGVTALRM, _alarm)
    yield
    signal.signal(signal.SIGVTALRM, previous)


def _known_slow(case: Case) -> bool:
    return any(w in KNOWN_SLOW and KNOWN_SLOW[w] in case.pattern.pattern for w in case.where)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_pattern_is_fast_on_hostile_input(case: Case) -> None:
    if _known_slow(case):
        pytest.skip("super-linear, fixed on another branch")
    # Every match includes the first, and the first anywhere includes the one at the start.
    modes = case.modes - (
        {"search", "match"} if "all" in case.modes else {"match"} if "search" in case.modes else set()
    )
    slow, seen = [], set()
    for description, text in inputs(case.pattern).items():
        if text in seen:
            continue
        seen.add(text)
        slow += [f"{mode} on {description}" for mode in sorted(modes) if too_slow(case.pattern, mode, text)][:1]
        if len(slow) == 3:
            break
    assert not slow, f"{case.pattern.pattern!r} ({', '.join(case.where)}) takes over {BOUND} s: {'; '.join(slow)}"


def test_known_slow_entries_are_current() -> None:
    named = {w: c.pattern.pattern for c in CASES for w in c.where}
    fixed = [name for name, part in KNOWN_SLOW.items() if part not in named.get(name, "")]
    assert not fixed, f"fixed or gone: remove {fixed} from KNOWN_SLOW"


def test_dynamic_patterns_are_reviewed() -> None:
    """A pattern built at run time is untrusted unless reviewed: data from a scan goes to RE2."""
    assert sorted(DYNAMIC - DYNAMIC_REVIEWED) == []
    assert sorted(DYNAMIC_REVIEWED - DYNAMIC) == [], "stale DYNAMIC_REVIEWED entries"


def test_the_collection_sees_every_kind_of_site() -> None:
    """Module constants, class attributes, function-level literals and loop literals are all found."""
    names = {w for c in CASES for w in c.where}
    assert "ekslint.linter.rendered._SOURCE" in names  # a module constant
    assert any(w.startswith("ekslint/linter/registry.py:") for w in names)  # re.match(r"...") in a function
    assert {"[a-z]", "[A-Z]"} <= {c.pattern.pattern for c in CASES}  # for p in (r"[a-z]", ...): re.search(p, v)
    assert next(c for c in CASES if "ekslint.linter.rendered._SOURCE" in c.where).modes == {"match"}


@pytest.mark.parametrize(
    "text",
    [
        r"^(a|a)+$",
        r"^(-?a+)+$",
        r"^a*a*a*a*a*a*$",
        r"\{\{.*?\}\}",
        r"(\s+)(#[^'\"]*)$",
        r"^x(\S.*?)\s*$",
        r"\[([^\]]+)\]\(",
    ],
)
def test_the_inputs_catch_known_shapes(text: str) -> None:
    """The generator finds the classic shapes (so that a pass means something)."""
    pattern = re.compile(text)
    assert any(too_slow(pattern, "all", s, bound=0.2) for s in inputs(pattern).values())


# -- code that replaced a slow pattern -------------------------------------------------------------


def test_pem_blocks_are_found_in_linear_time() -> None:
    from ekslint.rules.secrets._credentials import value_hits

    key = "-----BEGIN RSA PRIVATE KEY-----\\n" + "MIIEow" * 200 + "\\n-----END RSA PRIVATE KEY-----"
    assert [h.what for h in value_hits(f"key: {key}")] == ["a PEM RSA private key"]
    assert value_hits("-----BEGIN PRIVATE KEY-----" + "MIIEow" * 1_000) == []  # no end within 4,000 characters
    start = time.monotonic()
    assert value_hits("-----BEGIN PRIVATE KEY-" * 20_000) == []
    assert time.monotonic() - start < 2  # every header read 4,000 characters: seconds per megabyte


def test_yaml_comments_are_cut_in_linear_time() -> None:
    from ekslint.rules.secrets._credentials import _clean

    assert _clean("s3cr3t,  # the password", yaml_like=True) == "s3cr3t"
    assert _clean("a#b", yaml_like=True) == "a#b"
    start = time.monotonic()
    assert _clean("x" + " " * 100_000 + "y", yaml_like=True) == "x" + " " * 100_000 + "y"
    assert time.monotonic() - start < 2  # each blank of the run retried the run

"""The Terraform function library of the static evaluator (``ekslint.linter.terraform.functions``).

Expected values come from Terraform's function documentation (``website/docs/language/functions``
of hashicorp/terraform, the examples of each page), from go-cty's and Terraform's own test tables
where the documentation has no example, then the unknown handling ``values.py`` specifies, then
hostile inputs: each of those must finish quickly with a value (often unknown) or an EvalError.
"""

from __future__ import annotations

import contextlib
import math
import time
from typing import Any

import pytest

from ekslint.linter.terraform.functions import (
    FUNCTIONS,
    UNKNOWN_ON_PURPOSE,
    call,
    equal,
    number_result,
    to_bool,
    to_list,
    to_map,
    to_number,
    to_string,
)
from ekslint.linter.terraform.values import UNKNOWN, EvalError, Ref, Unknown

U = UNKNOWN
NAMES0 = Unknown("data.aws_availability_zones.available.names[0]")
NAMES1 = Unknown("data.aws_availability_zones.available.names[1]")
SUBNET_A = Ref("aws_subnet.a", "id")
SUBNET_B = Ref("aws_subnet.b", "id")


def is_unknown(v: Any) -> bool:
    return isinstance(v, Unknown)


def same(got: Any, want: Any) -> bool:
    """Equal, and of the same Python types (``1`` is not ``1.0``, ``True`` is not ``1``)."""
    if isinstance(want, Unknown):
        return got is want or (isinstance(got, Unknown) and want is UNKNOWN and got is UNKNOWN)
    if type(got) is not type(want):
        return False
    if isinstance(want, list):
        return len(got) == len(want) and all(same(g, w) for g, w in zip(got, want, strict=True))
    if isinstance(want, dict):
        return got.keys() == want.keys() and all(same(got[k], want[k]) for k in want)
    return bool(got == want)


# --- examples of Terraform's documentation -------------------------------------------------------

DOCS: list[tuple[str, list[Any], Any]] = [
    # numeric
    ("abs", [23], 23),
    ("abs", [0], 0),
    ("abs", [-12.4], 12.4),
    ("ceil", [5], 5),
    ("ceil", [5.1], 6),
    ("floor", [5], 5),
    ("floor", [4.9], 4),
    ("log", [50, 10], 1.6989700043360185),
    ("log", [16, 2], 4),
    ("max", [12, 54, 3], 54),
    ("min", [12, 54, 3], 3),
    ("parseint", ["100", 10], 100),
    ("parseint", ["FF", 16], 255),
    ("parseint", ["-10", 16], -16),
    ("parseint", ["1011111011101111", 2], 48879),
    ("parseint", ["aA", 62], 656),
    ("pow", [3, 2], 9),
    ("pow", [4, 0], 1),
    ("signum", [-13], -1),
    ("signum", [0], 0),
    ("signum", [344], 1),
    ("sum", [[10, 13, 6, 4.5]], 33.5),
    # strings
    ("chomp", ["hello\n"], "hello"),
    ("chomp", ["hello\r\n"], "hello"),
    ("chomp", ["hello\n\n"], "hello"),
    ("endswith", ["hello world", "world"], True),
    ("endswith", ["hello world", "hello"], False),
    ("format", ["Hello, %s!", "Ander"], "Hello, Ander!"),
    ("format", ["There are %d lights", 4], "There are 4 lights"),
    ("format", ["Hello, %s!", "Valentina"], "Hello, Valentina!"),
    ("format", ["%[1]s%[2]s%[1]s%[3]s", "/", "path", "file.tf"], "/path/file.tf"),
    ("format", ["%#v", "hello"], '"hello"'),
    ("format", ["%#v", True], "true"),
    ("format", ["%#v", 1], "1"),
    ("format", ["%#v", {"a": 1}], '{"a":1}'),
    ("format", ["%#v", [True]], "[true]"),
    ("format", ["%#v", None], "null"),
    ("format", ["%s%02d", "bar", 3], "bar03"),  # the range() page
    (
        "formatlist",
        ["Hello, %s!", ["Valentina", "Ander", "Olivia", "Sam"]],
        ["Hello, Valentina!", "Hello, Ander!", "Hello, Olivia!", "Hello, Sam!"],
    ),
    (
        "formatlist",
        ["%s, %s!", "Salutations", ["Valentina", "Ander", "Olivia", "Sam"]],
        ["Salutations, Valentina!", "Salutations, Ander!", "Salutations, Olivia!", "Salutations, Sam!"],
    ),
    ("indent", [2, "[\n  foo,\n  bar,\n]\n"], "[\n    foo,\n    bar,\n  ]\n  "),
    ("join", ["-", ["foo", "bar", "baz"]], "foo-bar-baz"),
    ("join", [", ", ["foo", "bar", "baz"]], "foo, bar, baz"),
    ("join", [", ", ["foo"]], "foo"),
    ("lower", ["HELLO"], "hello"),
    ("lower", ["ΓΕΙΑ ΣΟΥ"], "γεια σου"),
    ("upper", ["hello"], "HELLO"),
    ("upper", ["алло!"], "АЛЛО!"),
    ("replace", ["1 + 2 + 3", "+", "-"], "1 - 2 - 3"),
    ("split", [",", "foo,bar,baz"], ["foo", "bar", "baz"]),
    ("split", [",", "foo"], ["foo"]),
    ("split", [",", ""], [""]),
    ("startswith", ["hello world", "hello"], True),
    ("startswith", ["hello world", "world"], False),
    ("strcontains", ["hello world", "wor"], True),
    ("strcontains", ["hello world", "wod"], False),
    ("strrev", ["hello"], "olleh"),
    ("strrev", ["a ☃"], "☃ a"),
    ("substr", ["hello world", 1, 4], "ello"),
    ("substr", ["🤔🤷", 0, 1], "🤔"),
    ("substr", ["hello world", -5, -1], "world"),
    ("substr", ["hello world", 6, 10], "world"),
    ("title", ["hello world"], "Hello World"),
    ("trim", ["?!hello?!", "!?"], "hello"),
    ("trim", ["foobar", "far"], "oob"),
    ("trim", ["   hello! world.!  ", "! "], "hello! world."),
    ("trimprefix", ["helloworld", "hello"], "world"),
    ("trimprefix", ["helloworld", "cat"], "helloworld"),
    ("trimprefix", ["--hello", "-"], "-hello"),
    ("trimsuffix", ["helloworld", "world"], "hello"),
    ("trimsuffix", ["helloworld", "cat"], "helloworld"),
    ("trimsuffix", ["hello--", "-"], "hello-"),
    ("trimspace", ["  hello\n\n"], "hello"),
    # collections
    ("alltrue", [["true", True]], True),
    ("alltrue", [[True, False]], False),
    ("anytrue", [["true"]], True),
    ("anytrue", [[True]], True),
    ("anytrue", [[True, False]], True),
    ("anytrue", [[]], False),
    ("chunklist", [["a", "b", "c", "d", "e"], 2], [["a", "b"], ["c", "d"], ["e"]]),
    ("chunklist", [["a", "b", "c", "d", "e"], 1], [["a"], ["b"], ["c"], ["d"], ["e"]]),
    ("coalesce", ["a", "b"], "a"),
    ("coalesce", ["", "b"], "b"),
    ("coalesce", [1, 2], 1),
    ("coalesce", [1, "hello"], "1"),
    ("coalesce", [True, "hello"], "true"),
    ("coalescelist", [["a", "b"], ["c", "d"]], ["a", "b"]),
    ("coalescelist", [[], ["c", "d"]], ["c", "d"]),
    ("compact", [["a", "", "b", None, "c"]], ["a", "b", "c"]),
    ("concat", [["a", ""], ["b", "c"]], ["a", "", "b", "c"]),
    ("concat", [[], [1, "a"], [[3], "c"]], [1, "a", [3], "c"]),
    ("contains", [["a", "b", "c"], "a"], True),
    ("contains", [["a", "b", "c"], "d"], False),
    ("distinct", [["a", "b", "a", "c", "d", "b"]], ["a", "b", "c", "d"]),
    ("element", [["a", "b", "c"], 1], "b"),
    ("element", [["a", "b", "c"], 3], "a"),
    ("element", [["a", "b", "c"], -1], "c"),
    ("flatten", [[["a", "b"], [], ["c"]]], ["a", "b", "c"]),
    ("flatten", [[[["a", "b"], []], ["c"]]], ["a", "b", "c"]),
    ("flatten", [[{"a": ["b"]}, ["c"]]], [{"a": ["b"]}, "c"]),  # lists inside maps are not flattened
    ("index", [["a", "b", "c"], "b"], 1),
    ("index", [["one", "two", "two"], "two"], 1),
    ("keys", [{"a": 1, "c": 2, "d": 3}], ["a", "c", "d"]),
    ("length", [[]], 0),
    ("length", [["a", "b"]], 2),
    ("length", [{"a": "b"}], 1),
    ("length", ["hello"], 5),
    ("length", ["👾🕹️"], 2),
    ("lookup", [{"a": "ay", "b": "bee"}, "a", "what?"], "ay"),
    ("lookup", [{"a": "ay", "b": "bee"}, "c", "what?"], "what?"),
    (
        "matchkeys",
        [["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"]],
        ["i-abc", "i-def"],
    ),
    ("merge", [{"a": "b", "c": "d"}, {"e": "f", "c": "z"}], {"a": "b", "c": "z", "e": "f"}),
    ("merge", [{"a": "b"}, {"a": [1, 2], "c": "z"}, {"d": 3}], {"a": [1, 2], "c": "z", "d": 3}),
    ("one", [[]], None),
    ("one", [["hello"]], "hello"),
    ("range", [3], [0, 1, 2]),
    ("range", [1, 4], [1, 2, 3]),
    ("range", [1, 8, 2], [1, 3, 5, 7]),
    ("range", [1, 4, 0.5], [1, 1.5, 2, 2.5, 3, 3.5]),
    ("range", [4, 1], [4, 3, 2]),
    ("range", [10, 5, -2], [10, 8, 6]),
    ("reverse", [[1, 2, 3]], [3, 2, 1]),
    ("setintersection", [["a", "b"], ["b", "c"], ["b", "d"]], ["b"]),
    ("setintersection", [[3, 3.3, 4], [4, 3.3, 65, 99], [4.0, 3.3]], [3.3, 4]),
    ("setintersection", [["bob", "jane", 3], ["jane", 3, "ajax", 10], ["3", "jane", 26, "nomad"]], ["3", "jane"]),
    ("setproduct", [["development", "staging", "production"], []], []),
    ("setproduct", [["a"], ["b"]], [["a", "b"]]),
    (
        "setproduct",
        [["staging", "production"], ["a", 2]],
        [["staging", "a"], ["staging", "2"], ["production", "a"], ["production", "2"]],
    ),
    ("setsubtract", [["a", "b", "c"], ["a", "c"]], ["b"]),
    ("setunion", [["a", "b"], ["b", "c"], ["d"]], ["a", "b", "c", "d"]),  # a set of strings is sorted
    ("slice", [["a", "b", "c", "d"], 1, 3], ["b", "c"]),
    ("sort", [["e", "d", "a", "x"]], ["a", "d", "e", "x"]),
    ("transpose", [{"a": ["1", "2"], "b": ["2", "3"]}], {"1": ["a"], "2": ["a", "b"], "3": ["b"]}),
    ("values", [{"a": 3, "c": 2, "d": 1}], [3, 2, 1]),
    ("zipmap", [["a", "b"], [1, 2]], {"a": 1, "b": 2}),
    # encoding
    ("base64encode", ["Hello World"], "SGVsbG8gV29ybGQ="),
    ("base64decode", ["SGVsbG8gV29ybGQ="], "Hello World"),
    ("jsonencode", [{"hello": "world"}], '{"hello":"world"}'),
    ("jsondecode", ['{"hello": "world"}'], {"hello": "world"}),
    ("jsondecode", ["true"], True),
    ("yamlencode", [{"a": "b", "c": "d"}], '"a": "b"\n"c": "d"\n'),
    ("yamlencode", [{"foo": [1, 2, 3], "bar": "baz"}], '"bar": "baz"\n"foo":\n- 1\n- 2\n- 3\n'),
    (
        "yamlencode",
        [{"foo": [1, {"a": "b", "c": "d"}, 3], "bar": "baz"}],
        '"bar": "baz"\n"foo":\n- 1\n- "a": "b"\n  "c": "d"\n- 3\n',
    ),
    ("yamldecode", ["hello: world"], {"hello": "world"}),
    ("yamldecode", ["true"], True),
    ("yamldecode", ["{a: &foo [1, 2, 3], b: *foo}"], {"a": [1, 2, 3], "b": [1, 2, 3]}),
    ("urlencode", ["Hello World!"], "Hello+World%21"),
    ("urlencode", ["☃"], "%E2%98%83"),
    ("urlencode", ["terraform urlencode"], "terraform+urlencode"),
    (
        "csvdecode",
        ["a,b,c\n1,2,3\n4,5,6"],
        [{"a": "1", "b": "2", "c": "3"}, {"a": "4", "b": "5", "c": "6"}],
    ),
    ("textencodebase64", ["Hello World", "UTF-16LE"], "SABlAGwAbABvACAAVwBvAHIAbABkAA=="),
    ("textdecodebase64", ["SABlAGwAbABvACAAVwBvAHIAbABkAA==", "UTF-16LE"], "Hello World"),
    ("md5", ["hello world"], "5eb63bbbe01eeed093cb22bb8f5acdc3"),
    ("sha1", ["hello world"], "2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"),
    ("sha256", ["hello world"], "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"),
    (
        "sha512",
        ["hello world"],
        "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f"
        "989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f",
    ),
    ("base64sha256", ["hello world"], "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="),
    (
        "base64sha512",
        ["hello world"],
        "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==",
    ),
    ("uuidv5", ["dns", "www.terraform.io"], "a5008fae-b28c-5ba5-96cd-82b4c53552d6"),
    ("uuidv5", ["url", "https://www.terraform.io/"], "9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5"),
    ("uuidv5", ["oid", "1.3.6.1.4"], "af9d40a5-7a36-5c07-b23a-851cd99fbfa5"),
    ("uuidv5", ["x500", "CN=Example,C=GB"], "84e09961-4aa4-57f8-95b7-03edb1073253"),
    ("uuidv5", ["6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.terraform.io"], "a5008fae-b28c-5ba5-96cd-82b4c53552d6"),
    (
        "uuidv5",
        ["743ac3c0-3bf7-4a5b-9e6c-59360447c757", "LIBS:diskfont.library"],
        "ede1a974-df7e-5f17-84b9-76208818b2c8",
    ),
    # paths (pure string functions)
    ("dirname", ["foo/bar/baz.txt"], "foo/bar"),
    ("basename", ["foo/bar/baz.txt"], "baz.txt"),
    ("pathexpand", ["/etc/resolv.conf"], "/etc/resolv.conf"),
    # IP networks
    ("cidrhost", ["10.12.112.0/20", 16], "10.12.112.16"),
    ("cidrhost", ["10.12.112.0/20", 268], "10.12.113.12"),
    ("cidrhost", ["fd00:fd12:3456:7890:00a2::/72", 34], "fd00:fd12:3456:7890::22"),
    ("cidrhost", ["10.1.2.240/28", 1], "10.1.2.241"),
    ("cidrhost", ["10.1.2.240/28", 14], "10.1.2.254"),
    ("cidrnetmask", ["172.16.0.0/12"], "255.240.0.0"),
    ("cidrsubnet", ["172.16.0.0/12", 4, 2], "172.18.0.0/16"),
    ("cidrsubnet", ["10.1.2.0/24", 4, 15], "10.1.2.240/28"),
    ("cidrsubnet", ["fd00:fd12:3456:7890::/56", 16, 162], "fd00:fd12:3456:7800:a200::/72"),
    ("cidrsubnet", ["10.1.0.0/16", 4, 1], "10.1.16.0/20"),  # the setproduct() page
    ("cidrsubnet", ["10.2.0.0/16", 4, 3], "10.2.48.0/20"),
    ("cidrsubnets", ["10.1.0.0/16", 4, 4, 8, 4], ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"]),
    (
        "cidrsubnets",
        ["fd00:fd12:3456:7890::/56", 16, 16, 16, 32],
        [
            "fd00:fd12:3456:7800::/72",
            "fd00:fd12:3456:7800:100::/72",
            "fd00:fd12:3456:7800:200::/72",
            "fd00:fd12:3456:7800:300::/88",
        ],
    ),
    ("cidrsubnets", ["10.0.0.0/8", 8, 8, 8, 8], ["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"]),
    ("cidrsubnets", ["10.2.0.0/16", 4, 4], ["10.2.0.0/20", "10.2.16.0/20"]),
    # type conversion
    ("tobool", [True], True),
    ("tobool", ["true"], True),
    ("tobool", [None], None),
    ("tolist", [["a", "b", "c"]], ["a", "b", "c"]),
    ("tolist", [["a", "b", 3]], ["a", "b", "3"]),
    ("tomap", [{"a": 1, "b": 2}], {"a": 1, "b": 2}),
    ("tomap", [{"a": "foo", "b": True}], {"a": "foo", "b": "true"}),
    ("tonumber", [1], 1),
    ("tonumber", ["1"], 1),
    ("tonumber", [None], None),
    ("toset", [["a", "b", "c"]], ["a", "b", "c"]),
    ("toset", [["a", "b", 3]], ["3", "a", "b"]),
    ("toset", [["c", "b", "b"]], ["b", "c"]),
    ("tostring", ["hello"], "hello"),
    ("tostring", [1], "1"),
    ("tostring", [True], "true"),
    ("tostring", [None], None),
    ("sensitive", [1], 1),
    ("nonsensitive", ["zqb"], "zqb"),
]


@pytest.mark.parametrize(("name", "args", "want"), DOCS, ids=[f"{n}{i}" for i, (n, _, _) in enumerate(DOCS)])
def test_documented_examples(name: str, args: list[Any], want: Any) -> None:
    got = call(name, args)
    assert same(got, want), f"{name}{tuple(args)} = {got!r}, want {want!r}"


EXPANDED: list[tuple[str, list[Any], Any]] = [
    ("max", [[12, 54, 3]], 54),
    ("min", [[12, 54, 3]], 3),
    ("coalesce", [["", "b"]], "b"),
    ("coalescelist", [[[], ["c", "d"]]], ["c", "d"]),
    ("merge", [[{"a": "b", "c": "d"}, {}, {"e": "f", "c": "z"}]], {"a": "b", "c": "z", "e": "f"}),
    ("format", ["%s-%s", ["a", "b"]], "a-b"),
]


@pytest.mark.parametrize(("name", "args", "want"), EXPANDED, ids=[n for n, _, _ in EXPANDED])
def test_expanded_last_argument(name: str, args: list[Any], want: Any) -> None:
    assert same(call(name, args, expand_last=True), want)


def test_documented_compositions() -> None:
    assert [call("ceil", [call("log", [n, 2])]) for n in (15, 16, 17)] == [4, 4, 5]
    symmetric = call(
        "setunion",
        [
            call("setsubtract", [["a", "b", "c"], ["a", "c", "d"]]),
            call("setsubtract", [["a", "c", "d"], ["a", "b", "c"]]),
        ],
    )
    assert symmetric == ["b", "d"]
    assert "  items: " + call("indent", [2, "[\n  foo,\n  bar,\n]\n"]) == "  items: [\n    foo,\n    bar,\n  ]\n  "
    assert call("one", [call("toset", [["hello"]])]) == "hello"
    assert call("one", [call("toset", [[]])]) is None


DOC_ERRORS: list[tuple[str, list[Any], str]] = [
    ("parseint", ["12", 2], 'cannot parse "12" as a base 2 integer'),
    ("coalesce", [{}, "hello"], "all arguments must have the same type"),
    ("one", [["hello", "goodbye"]], "must be a list, set, or tuple value with either zero or one elements"),
    ("one", [["hello", "goodbye"]], 'invalid value for "list" parameter'),
    ("yamldecode", ["{a: &foo [1, *foo, 3]}"], 'cannot refer to anchor "foo" from inside its own definition'),
    ("yamldecode", ["{a: !not-supported foo}"], 'unsupported tag "!not-supported"'),
    ("tobool", ["no"], 'cannot convert "no" to bool; only the strings "true" or "false" are allowed'),
    ("tobool", [1], "cannot convert number to bool"),
    ("tonumber", ["no"], 'cannot convert "no" to number; given string must be a decimal representation of a number'),
    ("tostring", [[]], "cannot convert tuple to string"),
    # go-cty and Terraform test tables
    ("cidrsubnets", ["10.0.0.0/30", 1, 3], "would extend prefix to 33 bits, which is too long for an IPv4 address"),
    (
        "cidrsubnets",
        ["10.0.0.0/8", 1, 1, 1],
        "not enough remaining address space for a subnet with a prefix of 9 bits after 10.128.0.0/9",
    ),
    ("cidrsubnets", ["10.0.0.0/8", 1, 0], "must extend prefix by at least one bit"),
    ("cidrsubnets", ["10.0.0.0/8", 1, -1], "must extend prefix by at least one bit"),
    ("cidrsubnets", ["fe80::/48", 1, 33], "may not extend prefix by more than 32 bits"),
    ("cidrsubnets", ["0.0.0.0/8", 4], "not enough remaining address space"),  # go-cidr's rollover at address 0
    ("cidrhost", ["192.168.1.0/30", 255], "prefix of 30 does not accommodate a host numbered 255"),
    ("cidrhost", ["192.168.1.0/30", -255], "does not accommodate a host"),
    ("cidrhost", ["not-a-cidr", 6], "invalid CIDR expression"),
    ("cidrhost", ["10.256.0.0/8", 6], "invalid CIDR expression"),
    ("cidrhost", ["10.0.0.0", 6], "invalid CIDR expression"),  # Go requires the prefix length
    ("cidrnetmask", ["1::/64"], "IPv6 addresses cannot have a netmask: 1::/64"),
    ("cidrnetmask", ["110.256.0.0/8"], "invalid CIDR expression"),
    ("cidrsubnet", ["192.168.0.0/30", 4, 6], "insufficient address space to extend prefix of 30 by 4"),
    ("cidrsubnet", ["192.168.0.0/168", 2, 16], "invalid CIDR expression"),
    ("cidrsubnet", ["10.0.0.0/8", 4, 16], "prefix extension of 4 does not accommodate a subnet numbered 16"),
    ("element", [[], 0], "cannot use element function with an empty list"),
    ("index", [["a"], "b"], "item not found"),
    ("index", [[], "b"], "cannot search an empty list"),
    ("lookup", [{"a": 1}, "b"], 'lookup failed to find key "b"'),
    ("lookup", [["a"], "b"], "lookup() requires a map as the first argument"),
    ("coalesce", [None, ""], "no non-null, non-empty-string arguments"),
    ("coalescelist", [None, []], "no non-null arguments"),
    ("coalescelist", ["a"], "coalescelist arguments must be lists or tuples"),
    ("range", [0, 0, 0], "step must not be zero"),
    ("range", [5, 1, 1], "end must be greater than start when step is positive"),
    ("range", [1, 5, -1], "end must be less than start when step is negative"),
    ("range", [1025], "more than 1024 values were generated"),
    ("slice", [["a", "b"], 1, 3], "end index must not be greater than the length of the list"),
    ("slice", [["a", "b"], 2, 1], "start index must not be greater than end index"),
    ("slice", [["a", "b"], -1, 1], "start index must not be less than zero"),
    ("sum", [[]], "cannot sum an empty list"),
    ("sum", [["a"]], "argument must be list, set, or tuple of number values"),
    ("zipmap", [["a"], [1, 2]], "number of keys (1) does not match number of values (2)"),
    ("matchkeys", [["a"], ["x", "y"], ["x"]], "length of keys and values should be equal"),
    ("merge", [{"a": 1}, ["b"]], 'arguments must be maps or objects, got "tuple"'),
    ("join", [",", ["a", None]], "element 1 is null; cannot concatenate null values"),
    ("sort", [["a", None]], "a null string cannot be sorted"),
    ("chunklist", [["a"], -1], "the size argument must be positive"),
    ("setproduct", [["a"]], "at least two arguments are required"),
    ("tolist", [[1, True]], "cannot convert tuple to list of any single type"),
    ("toset", [["a", []]], "cannot convert tuple to set of any single type"),
    ("tomap", [{"a": 1, "b": True}], "cannot convert object to map of any single type"),
    ("base64decode", ["not base64!"], "failed to decode base64 data"),
    ("base64decode", ["/w=="], "the result of decoding the provided string is not valid UTF-8"),
    ("jsondecode", ["{"], "invalid JSON"),
    ("jsondecode", ['{"a": 1, "a": 2}'], 'duplicate "a" property in JSON object'),
    ("jsondecode", ["NaN"], "invalid JSON"),
    ("yamldecode", [""], "missing start of document"),
    ("yamldecode", ["a: 1\n---\nb: 2\n"], "only a single document is allowed"),
    ("yamldecode", ["a: .nan"], "floating point NaN is not supported"),
    ("yamldecode", ["? [a]\n: 1\n"], "only strings are allowed as mapping keys"),
    ("yamldecode", ["a: *nowhere"], 'reference to undefined anchor "nowhere"'),
    ("csvdecode", ["a,b\n1,2,3\n"], "wrong number of fields"),
    ("csvdecode", [""], "missing header line"),
    ("textencodebase64", ["x", "zlib"], '"zlib" is not a supported IANA encoding name'),
    ("textencodebase64", ["☃", "US-ASCII"], "cannot be represented"),
    ("uuidv5", ["nope", "x"], "uuidv5() doesn't support namespace nope"),
    ("signum", [0.5], "value must be a whole number"),  # Terraform reads signum's argument as an integer
    ("log", [-1, 10], "result is not a number"),
    ("length", [None], "argument must not be null"),
    ("length", [1], "argument must be a string, a collection type, or a structural type"),
    ("upper", [None], "argument must not be null"),
    ("upper", [["a"]], "a string is required"),
    ("abs", ["x"], "cannot convert"),
    ("abs", [True], "a number is required"),
    ("list", ["a"], 'the "list" function was deprecated in Terraform v0.12'),
    ("map", ["a", 1], 'the "map" function was deprecated in Terraform v0.12'),
    ("abs", [], 'not enough arguments: function "abs" expects at least 1, got 0'),
    ("abs", [1, 2], 'too many arguments: function "abs" expects at most 1, got 2'),
]


@pytest.mark.parametrize(
    ("name", "args", "message"), DOC_ERRORS, ids=[f"{n}{i}" for i, (n, _, _) in enumerate(DOC_ERRORS)]
)
def test_errors(name: str, args: list[Any], message: str) -> None:
    with pytest.raises(EvalError) as exc:
        call(name, args)
    assert message in str(exc.value)


# --- format, against go-cty's test table ---------------------------------------------------------

FORMAT: list[tuple[str, list[Any], str]] = [
    ("", [], ""),
    ("100%% successful", [], "100% successful"),
    ("string %[2]v", [True, "hello"], "string hello"),
    ("object %v", [{}], "object {}"),
    ("tuple %v", [[]], "tuple []"),
    ("%%%v", [False], "%false"),
    ("%v", [None], "null"),
    ("%v", [1000000], "1e+06"),  # %v is %g for a number, shortest form
    ("%v", [-1.5], "-1.5"),
    (
        "Hello, %q... if that _is_ your real name!",
        ["Ermintrude"],
        'Hello, "Ermintrude"... if that _is_ your real name!',
    ),
    ("This statement is %s", [False], "This statement is false"),
    ("%10s", ["hello"], "     hello"),
    ("%-10s", ["hello"], "hello     "),
    ("%4s", ["💃🏿"], "   💃🏿"),  # one grapheme cluster
    ("%6q", ["💃🏿"], '   "💃🏿"'),
    ("%.2s", ["hello"], "he"),
    ("%.5s", ["日本語日本語"], "日本語日本"),
    ("%-4.2s", ["hello"], "he  "),
    ("%q", ["Hello\nWorld"], '"Hello\\nWorld"'),
    ("%q", ["<&>"], '"\\u003c\\u0026\\u003e"'),
    ("This statement is %t", ["false"], "This statement is false"),
    ("%+d green bottles", [10], "+10 green bottles"),
    ("% d", [10], " 10"),
    ("%5d|%-5d|%05d", [10, 10, 10], "   10|10   |00010"),
    ("%.3d|%.0d|%8.3d", [7, 0, -7], "007||    -007"),
    ("%b %o %x %X %#x %#o", [10, 10, 255, 255, 255, 8], "1010 12 ff FF 0xff 010"),
    ("%d", ["12"], "12"),
    ("%d", [2.0], "2"),
    (
        "%f|%.2f|%9.2f|%-9.2f|%09.2f",
        [3.5, 3.14159, 3.14159, 3.14159, -3.14159],
        "3.500000|3.14|     3.14|3.14     |-00003.14",
    ),
    (
        "%e|%.2E|%g|%G|%.3g|%g",
        [12345.678, 12345.678, 0.00001, 1e-7, 1234567, 100000],
        "1.234568e+04|1.23E+04|1e-05|1E-07|1.23e+06|100000",
    ),
    ("%+.1f|% .1f", [2.25, 2.25], "+2.2| 2.2"),
    ("%s %[1]s %s", ["a", "b"], "a a b"),
]


@pytest.mark.parametrize(("fmt", "args", "want"), FORMAT, ids=[f"format{i}" for i in range(len(FORMAT))])
def test_format(fmt: str, args: list[Any], want: str) -> None:
    assert call("format", [fmt, *args]) == want


FORMAT_ERRORS: list[tuple[str, list[Any], str]] = [
    ("%s", [None], 'unsupported value for "%s" at 0: null value cannot be formatted'),
    ("This statement is %t", [None], 'unsupported value for "%t" at 18: null value cannot be formatted'),
    ("%d", [True], 'unsupported value for "%d" at 0: number required, but have bool'),
    ("%d", [1.5], 'unsupported value for "%d" at 0: an integer is required'),
    ("%s", [[1]], 'unsupported value for "%s" at 0: string required, but have tuple'),
    ("%z is not a valid sequence", [10], "unsupported format verb 'z' in \"%z\" at offset 0"),
    ("%[0]s is not valid", [True], "unrecognized format character '0' at offset 2"),
    ("%s %s", ["a"], 'not enough arguments for "%s" at 3: need index 2 but have 1 total'),
    ("hello", ["a"], "too many arguments; no verbs in format string"),
    ("%s", ["a", "b"], "too many arguments; only 1 used by format string"),
    ("abc%", [], "invalid format string starting at offset 3"),
]


@pytest.mark.parametrize(
    ("fmt", "args", "message"), FORMAT_ERRORS, ids=[f"error{i}" for i in range(len(FORMAT_ERRORS))]
)
def test_format_errors(fmt: str, args: list[Any], message: str) -> None:
    with pytest.raises(EvalError) as exc:
        call("format", [fmt, *args])
    assert message in str(exc.value)


def test_formatlist_lengths_must_agree() -> None:
    with pytest.raises(EvalError, match="argument 2 has length 1, which is inconsistent with argument 1 of length 2"):
        call("formatlist", ["%s%s", ["a", "b"], ["c"]])
    assert call("formatlist", ["%s", []]) == []
    assert call("formatlist", ["x"]) == ["x"]


# --- more behaviour ------------------------------------------------------------------------------

MORE: list[tuple[str, list[Any], Any]] = [
    ("cidrhost", ["192.168.1.0/24", -5], "192.168.1.251"),
    ("cidrhost", ["192.168.1.0/24", -256], "192.168.1.0"),
    ("cidrhost", ["010.001.0.0/24", 6], "10.1.0.6"),  # leading zeros are decimal, as in Terraform
    ("cidrhost", ["10.1.2.3/16", 1], "10.1.0.1"),  # the address of a prefix is masked
    ("cidrhost", ["::/0", 2**128 - 1], "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
    ("cidrnetmask", ["0.0.0.0/0"], "0.0.0.0"),
    ("cidrnetmask", ["192.168.1.0/32"], "255.255.255.255"),
    ("cidrsubnet", ["192.168.2.0/20", 4, 6], "192.168.6.0/24"),
    ("cidrsubnet", ["fe80::/48", 16, 6], "fe80:0:0:6::/64"),
    ("cidrsubnet", ["::ffff:192.168.0.0/112", 8, 6], "192.168.6.0/24"),  # Go prints IPv4-mapped as IPv4
    ("cidrsubnet", ["fe80::/48", 33, 6], "fe80::3:0:0:0/81"),
    ("cidrsubnet", ["::/0", 128, 2**127], "8000::/128"),
    (
        "cidrsubnets",
        ["10.0.0.0/21", 3, 3, 3, 4, 4, 4, 7, 7, 7],
        [
            "10.0.0.0/24",
            "10.0.1.0/24",
            "10.0.2.0/24",
            "10.0.3.0/25",
            "10.0.3.128/25",
            "10.0.4.0/25",
            "10.0.4.128/28",
            "10.0.4.144/28",
            "10.0.4.160/28",
        ],
    ),
    ("cidrsubnets", ["010.0.0.0/21", 3], ["10.0.0.0/24"]),
    ("cidrsubnets", ["10.0.0.0/16"], []),
    ("length", ["🇫🇷🇩🇪"], 2),  # flags are pairs of regional indicators
    ("length", ["e\u0301"], 1),  # a combining accent stays with its letter
    ("length", ["\r\n"], 1),
    ("length", ["👩\u200d💻"], 1),  # a ZWJ sequence
    ("substr", ["abc", -5, 2], "ab"),
    ("substr", ["abc", 5, 2], ""),
    ("split", ["", "abc"], ["a", "b", "c"]),
    ("replace", ["abc", "", "-"], "-a-b-c-"),
    ("title", ["hello_world-foo BAR"], "Hello_world-Foo BAR"),  # Go's strings.Title: no lowering
    ("upper", ["straße"], "STRAßE"),  # simple case mapping, as Go's
    ("trimspace", ["\u00a0 x \u3000"], "x"),
    ("join", [",", ["a"], ["b", "c"]], "a,b,c"),
    ("join", [",", [1, True]], "1,true"),
    ("sort", [[3, 10, 2]], ["10", "2", "3"]),  # sort is for strings
    ("abs", ["-5"], 5),
    ("ceil", [-1.5], -1),
    ("floor", [-1.5], -2),
    ("max", [1, 2.5], 2.5),
    ("pow", [2, 0.5], math.sqrt(2)),
    ("pow", [2, -1], 0.5),
    ("parseint", ["+7f", 16], 127),
    ("parseint", ["zz", 36], 1295),
    ("parseint", ["ZZ", 36], 1295),
    ("log", [0, 10], U),  # -Inf: not carried on
    ("sum", [["1", 2]], 3),
    ("sum", [[0.1, 0.2]], 0.1 + 0.2),  # float64, not Terraform's 512-bit arithmetic
    ("range", [0], []),
    ("range", [-3], [0, -1, -2]),
    ("range", [1024], list(range(1024))),
    ("element", [["a", "b", "c"], -4], "c"),
    ("element", [["a"], "0"], "a"),
    ("chunklist", [["a", "b"], 0], [["a", "b"]]),
    ("chunklist", [[], 2], []),
    ("keys", [{"b": 1, "a": 2}], ["a", "b"]),
    ("values", [{"b": 1, "a": 2}], [2, 1]),
    ("lookup", [{"a": None}, "a", "x"], None),
    ("merge", [], {}),
    ("merge", [None, {"a": 1}], {"a": 1}),
    ("contains", [[1, 2], 2.0], True),
    ("contains", [["1"], 1], False),  # type-strict, as Terraform's ==
    ("contains", [[], U], False),
    ("index", [[[1], [2]], [2]], 1),
    ("distinct", [[1, 1.0, "1", True, [1], [1], {"a": 1}, {"a": 1}]], [1, "1", True, [1], {"a": 1}]),
    ("coalesce", [None, 0], 0),
    ("alltrue", [[None]], False),
    ("alltrue", [[]], True),
    ("anytrue", [[None, "false"]], False),
    ("compact", [[1, "", "b"]], ["1", "b"]),
    ("flatten", [[]], []),
    ("flatten", [[None, [None]]], [None, None]),
    ("transpose", [{"a": [1]}], {"1": ["a"]}),
    ("transpose", [{}], {}),
    ("zipmap", [["a", "a"], [1, 2]], {"a": 2}),
    ("setunion", [[3, 1], [2]], [1, 2, 3]),
    ("setunion", [[True, False]], [False, True]),
    ("setintersection", [["a"], []], []),
    ("toset", [[None, "b", "a"]], ["a", "b", None]),
    ("toset", [[]], []),
    ("tolist", [[]], []),
    ("tolist", [[None, "a", 1]], [None, "a", "1"]),
    ("tomap", [{}], {}),
    ("tonumber", ["1e3"], 1000),
    ("tonumber", ["-0.5"], -0.5),
    ("tonumber", [".5"], 0.5),
    ("tonumber", ["1.5e1"], 15),
    ("tostring", [1.5], "1.5"),
    ("tostring", [1e-7], "0.0000001"),
    ("tostring", [1e22], "10000000000000000000000"),
    ("tobool", ["false"], False),
    ("jsonencode", [[1, 1.5, None, True, "é\u2028"]], '[1,1.5,null,true,"é\\u2028"]'),
    ("jsonencode", [{"b": 1e21, "a": [[]]}], '{"a":[[]],"b":1000000000000000000000}'),
    ("jsonencode", ["<script>&"], '"\\u003cscript\\u003e\\u0026"'),
    ("jsondecode", ["[1, 2.5, null, {}]"], [1, 2.5, None, {}]),
    ("jsondecode", ['"\\ud800"'], "\ufffd"),  # a lone surrogate, as Go decodes it
    ("jsondecode", ["1e400"], U),  # beyond the magnitude bound: unknown, not an error
    ("yamlencode", [True], "true\n...\n"),
    ("yamlencode", [""], '""\n'),
    ("yamlencode", ["hello\nworld"], "|-\n  hello\n  world\n"),
    ("yamlencode", [0], "0\n...\n"),
    ("yamlencode", [{}], "{}\n"),
    ("yamlencode", [[]], "[]\n"),
    ("yamlencode", [["b"]], '- "b"\n'),
    ("yamlencode", [None], "null\n...\n"),
    ("yamlencode", [1.5], "1.5\n...\n"),
    (
        "yamldecode",
        ["a: yes\nb: off\nc: y\nd: ~\ne: 0x1F\nf: 0o17\ng: 1e3\nh: '1'\ni: 1_000\nj: .5\nk: !!str 12\nl: 017\n"],
        {
            "a": True,
            "b": False,
            "c": True,
            "d": None,
            "e": 31,
            "f": 15,
            "g": 1000,
            "h": "1",
            "i": "1_000",
            "j": 0.5,
            "k": "12",
            "l": 17,
        },
    ),
    (
        "yamldecode",
        ["d: 2001-12-14\nt: 2001-12-14t21:59:43.10-05:00\n"],
        {"d": "2001-12-14T00:00:00Z", "t": "2001-12-14T21:59:43-05:00"},
    ),
    ("yamldecode", ["1: a\ntrue: b\n"], {"1": "a", "true": "b"}),
    (
        "yamldecode",
        ["base: &b {x: 1, z: 2}\nderived:\n  <<: *b\n  z: 3\n"],
        {"base": {"x": 1, "z": 2}, "derived": {"x": 1, "z": 3}},
    ),
    # YAML 1.1 booleans as keys become "true"/"false", as in Terraform (hashicorp/terraform#34301)
    ("yamldecode", ["{on: 1, n: 2, 'y': 3}"], {"true": 1, "false": 2, "y": 3}),
    ("yamldecode", ["a: .inf"], {"a": U}),
    ("yamldecode", ["- 1:20"], ["1:20"]),  # no sexagesimal numbers
    ("csvdecode", ['a,b\n\n1,"x,y"\r\n'], [{"a": "1", "b": "x,y"}]),
    ("csvdecode", ["a,b\n"], []),
    ("textencodebase64", ["A", "UTF-16"], "/v8AQQ=="),  # Go: big-endian with a byte order mark
    ("textdecodebase64", ["AEE=", "UTF-16"], "A"),
    ("textencodebase64", ["é", "ISO-8859-1"], "6Q=="),
    ("base64decode", ["SGVs\nbG8="], "Hello"),  # Go ignores line breaks
    ("dirname", ["baz.txt"], "."),
    ("dirname", ["/foo//bar/"], "/foo/bar"),
    ("dirname", ["/"], "/"),
    ("basename", ["/foo/bar/"], "bar"),
    ("basename", [""], "."),
    ("basename", ["///"], "/"),
    ("abspath", ["/a/./b/../c"], "/a/c"),
    ("startswith", [U, ""], True),
    ("ephemeralasnull", [{"a": 1}], {"a": 1}),
    ("ephemeralasnull", [[U]], U),
    ("core::upper", ["a"], "A"),
]


@pytest.mark.parametrize(("name", "args", "want"), MORE, ids=[f"{n}{i}" for i, (n, _, _) in enumerate(MORE)])
def test_more_behaviour(name: str, args: list[Any], want: Any) -> None:
    got = call(name, args)
    assert same(got, want), f"{name}{tuple(args)} = {got!r}, want {want!r}"


# --- unknowns ------------------------------------------------------------------------------------


def test_unknown_items_are_counted_and_carried() -> None:
    assert call("length", [[U, U]]) == 2
    assert call("length", [{"a": U}]) == 1
    assert call("element", [[NAMES0, NAMES1], 1]) is NAMES1
    assert call("slice", [[U, SUBNET_A, "a"], 1, 3]) == [SUBNET_A, "a"]
    got = call("concat", [[U], [SUBNET_A]])
    assert got[0] is U and got[1] is SUBNET_A
    assert call("reverse", [[SUBNET_A, SUBNET_B]]) == [SUBNET_B, SUBNET_A]
    assert call("keys", [{"b": U, "a": U}]) == ["a", "b"]
    assert call("values", [{"a": SUBNET_A}])[0] is SUBNET_A
    assert call("lookup", [{"a": SUBNET_A}, "a"]) is SUBNET_A
    assert call("chunklist", [[U, U, U], 2]) == [[U, U], [U]]
    assert call("one", [[SUBNET_A]]) is SUBNET_A
    assert call("tostring", [SUBNET_A]) is SUBNET_A  # conversion keeps the identity
    assert call("setproduct", [[U], ["a"]]) == [[U, "a"]]
    assert call("zipmap", [["a"], [U]]) == {"a": U}
    assert call("matchkeys", [[SUBNET_A, SUBNET_B], ["a", "b"], ["b"]]) == [SUBNET_B]
    assert call("flatten", [[[SUBNET_A], [SUBNET_B, "x"]]]) == [SUBNET_A, SUBNET_B, "x"]  # ids are not lists
    assert call("sensitive", [SUBNET_A]) is SUBNET_A


def test_unknown_does_not_matter() -> None:
    assert call("coalesce", [None, "a", U]) == "a"
    assert call("lookup", [{"a": 1}, "b", 2]) == 2
    assert call("lookup", [{"a": 1}, "a", U]) == 1
    assert call("merge", [{"a": U}, {"a": 1}]) == {"a": 1}
    assert call("contains", [["x", U], "x"]) is True
    assert call("alltrue", [[U, False]]) is False
    assert call("anytrue", [[U, True]]) is True
    assert call("index", [["a", U], "a"]) == 0
    assert call("distinct", [[SUBNET_A, SUBNET_B, SUBNET_A]]) == [SUBNET_A, SUBNET_B]
    assert call("distinct", [[NAMES0, NAMES1, NAMES0]]) == [NAMES0, NAMES1]
    assert call("toset", [[U]]) == [U]
    assert call("toset", [[NAMES0, NAMES0]]) == [NAMES0]
    assert call("formatlist", ["%s", ["a", U]]) == ["a", U]
    assert call("contains", [[NAMES0], NAMES1]) is False
    assert call("setsubtract", [["a"], ["b"]]) == ["a"]


UNKNOWN_RESULTS: list[tuple[str, list[Any]]] = [
    ("coalesce", [U, "a"]),
    ("coalesce", [None, U]),
    ("contains", [[U], "x"]),
    ("contains", [U, "x"]),
    ("contains", [["a"], U]),
    ("lookup", [U, "a"]),
    ("lookup", [{"a": 1}, U]),
    ("merge", [U, {"a": 1}]),
    ("length", [U]),
    ("element", [U, 0]),
    ("element", [[1], U]),
    ("slice", [[1, 2], 0, U]),
    ("concat", [["a"], U]),
    ("keys", [U]),
    ("compact", [["a", U]]),
    ("flatten", [[U]]),
    ("flatten", [[["a"], Ref("module.vpc", "private_subnets")]]),
    ("distinct", [["a", U]]),
    ("distinct", [[SUBNET_A, Ref("aws_subnet.b", "cidr_block")]]),
    ("toset", [["a", U]]),
    ("toset", [[NAMES0, NAMES1]]),  # distinct, but their order is not known
    ("toset", [U]),
    ("setunion", [["a"], [U]]),
    ("setintersection", [["a"], [U]]),
    ("setsubtract", [["a"], [U]]),
    ("sort", [["b", U]]),
    ("jsonencode", [{"a": U}]),
    ("jsonencode", [[1, [U]]]),
    ("yamlencode", [{"a": U}]),
    ("format", ["%s", U]),
    ("format", ["%v", [U]]),
    ("format", [U, "a"]),
    ("formatlist", ["%s", U]),
    ("join", [",", ["a", U]]),
    ("join", [",", U]),
    ("upper", [U]),
    ("replace", ["abc", U, "x"]),
    ("startswith", [U, "a"]),
    ("sum", [[1, U]]),
    ("max", [1, U]),
    ("index", [[U, "a"], "a"]),
    ("alltrue", [[U, True]]),
    ("anytrue", [[U, False]]),
    ("matchkeys", [["a"], [U], ["x"]]),
    ("transpose", [{"a": [U]}]),
    ("zipmap", [[U], [1]]),
    ("cidrsubnet", [U, 4, 1]),
    ("cidrsubnets", ["10.0.0.0/16", 4, U]),
    ("tonumber", [U]),
    ("tobool", [U]),
    ("tolist", [U]),
    ("base64encode", [U]),
    ("sha256", [U]),
    ("one", [U]),
    ("range", [U]),
]


@pytest.mark.parametrize(("name", "args"), UNKNOWN_RESULTS, ids=[f"{n}{i}" for i, (n, _) in enumerate(UNKNOWN_RESULTS)])
def test_unknown_results(name: str, args: list[Any]) -> None:
    assert is_unknown(call(name, args))


@pytest.mark.parametrize("name", sorted(UNKNOWN_ON_PURPOSE))
def test_unknown_on_purpose(name: str) -> None:
    assert call(name, ["x", "y"]) is U


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("pathexpand", ["~/.ssh/id_rsa"]),
        ("abspath", ["."]),
        ("file", ["/etc/passwd"]),
        ("templatefile", ["x.tpl", {}]),
        ("timestamp", []),
        ("base64gzip", ["hello"]),
    ],
)
def test_machine_and_clock_are_not_evaluated(name: str, args: list[Any]) -> None:
    assert call(name, args) is U


def test_equality() -> None:
    assert equal(1, 1.0) is True
    assert equal(1, "1") is False
    assert equal(True, 1) is False
    assert equal(None, None) is True
    assert equal(None, "a") is False
    assert equal([1, "a"], [1, "a"]) is True
    assert equal([1], ["1"]) is False
    assert equal([1], [1, 2]) is False
    assert equal({"a": [1]}, {"a": [1]}) is True
    assert equal({"a": 1}, {"b": 1}) is False
    assert equal([], {}) is False
    assert is_unknown(equal(U, U))
    assert is_unknown(equal(U, "a"))
    assert equal(NAMES0, Unknown(NAMES0.key)) is True
    assert equal(NAMES0, NAMES1) is False  # distinct elements of one data-source list
    assert equal(SUBNET_A, Ref("aws_subnet.a", "id")) is True
    assert equal(SUBNET_A, SUBNET_B) is False  # two resources never share an id
    assert is_unknown(equal(Ref("aws_subnet.a", "cidr_block"), Ref("aws_subnet.b", "cidr_block")))
    assert is_unknown(equal(Ref("module.a", "id"), Ref("module.b", "id")))
    assert is_unknown(equal(Unknown("var.azs[0]"), Unknown("var.azs[1]")))  # a variable may repeat
    assert is_unknown(
        equal(
            Unknown("data.terraform_remote_state.x.outputs.l[0]"), Unknown("data.terraform_remote_state.x.outputs.l[1]")
        )
    )
    assert equal([1, U], [2, U]) is False  # a known difference decides
    assert is_unknown(equal([1, U], [1, U]))
    assert equal(SUBNET_A, ["x"]) is False  # an id is not a list


# --- conversions the evaluator uses --------------------------------------------------------------


@pytest.mark.parametrize(
    ("fn", "value", "want"),
    [
        (to_number, 1, 1),
        (to_number, "1", 1),
        (to_number, "1.5", 1.5),
        (to_number, "-2e2", -200),
        (to_number, 2.0, 2),
        (to_string, True, "true"),
        (to_string, False, "false"),
        (to_string, 1, "1"),
        (to_string, 1.5, "1.5"),
        (to_string, 2.0, "2"),
        (to_string, "x", "x"),
        (to_bool, "true", True),
        (to_bool, "false", False),
        (to_bool, "1", True),  # cty converts "1" and "0" too
        (to_bool, True, True),
        (to_list, ["a", 1, True], ["a", "1", "true"]),
        (to_list, [1, 2], [1, 2]),
        (to_map, {"a": 1, "b": "x"}, {"a": "1", "b": "x"}),
    ],
)
def test_conversions(fn: Any, value: Any, want: Any) -> None:
    assert same(fn(value), want)


@pytest.mark.parametrize(
    ("fn", "value"),
    [
        (to_number, "x"),
        (to_number, " 1"),
        (to_number, "1_000"),
        (to_number, "0x10"),
        (to_number, "inf"),
        (to_number, True),
        (to_number, [1]),
        (to_number, None),  # an operand cannot be null; tonumber(null) is null
        (to_string, [1]),
        (to_string, {}),
        (to_string, None),
        (to_bool, "yes"),
        (to_bool, "True"),
        (to_bool, 1),
        (to_bool, None),
        (to_list, "a"),
        (to_list, {"a": 1}),
        (to_list, [1, True]),
        (to_map, ["a"]),
    ],
)
def test_conversion_errors(fn: Any, value: Any) -> None:
    with pytest.raises(EvalError):
        fn(value)


def test_a_long_string_that_is_not_a_number_fails_fast() -> None:
    start = time.monotonic()
    for _ in range(20):
        with pytest.raises(EvalError):
            to_number("1" * 4_000 + "x")
    assert time.monotonic() - start < 2  # the digits could be split anywhere: a second each


def test_conversions_keep_unknowns() -> None:
    assert to_string(SUBNET_A) is SUBNET_A
    assert to_number(U) is U
    assert to_bool(NAMES0) is NAMES0
    assert to_list(U) is U


def test_number_result() -> None:
    assert same(number_result(3.0), 3)
    assert same(number_result(-0.0), 0)
    assert same(number_result(2.5), 2.5)
    assert same(number_result(float(2**60)), float(2**60))  # beyond 2**53 a float is not exact
    assert same(number_result(2**60), 2**60)
    assert number_result(2**1025) is U
    assert number_result(math.inf) is U
    with pytest.raises(EvalError, match="not a number"):
        number_result(math.nan)


# --- calling -------------------------------------------------------------------------------------


def test_call() -> None:
    assert "format" in FUNCTIONS
    assert "try" not in FUNCTIONS and "can" not in FUNCTIONS  # the evaluator handles them lazily
    with pytest.raises(EvalError, match="unknown function 'nope'"):
        call("nope", [])
    with pytest.raises(EvalError, match="unknown function"):
        call("provider::aws::arn_parse", ["arn:aws:iam::123456789012:role/x"])
    with pytest.raises(EvalError, match="unknown function"):
        call("type", [1])  # terraform console only
    assert call("max", [[1, 2]], expand_last=True) == 2
    assert call("max", [5, [1, 2]], expand_last=True) == 5
    assert call("max", [U], expand_last=True) is U
    with pytest.raises(EvalError, match="must not be null"):
        call("max", [None], expand_last=True)
    with pytest.raises(EvalError, match="tuple, list, or set type"):
        call("max", [{"a": 1}], expand_last=True)
    with pytest.raises(EvalError, match="no argument to expand"):
        call("max", [], expand_last=True)


# --- hostile input: every call finishes fast, with a value or an EvalError ----------------------


def _deep(n: int) -> Any:
    v: Any = "x"
    for _ in range(n):
        v = [v]
    return v


def _doubled(n: int) -> Any:
    """A list of 2**n leaves that takes n objects: each level holds the previous one twice."""
    v: Any = []
    for _ in range(n):
        v = [v, v]
    return v


BIG = "x" * 1000
#: The expected outcome of a hostile call that may be refused (unknown) or rejected (EvalError).
EITHER = object()

HOSTILE: list[tuple[str, list[Any], Any]] = [
    # (name, args, expected: a value, UNKNOWN (refused), or EvalError)
    ("range", [0, 2000], EvalError),
    ("range", [0, 1e300, 1e-300], EvalError),  # 1,024 values at most
    ("range", [1e20, 1e21, 1], EvalError),  # the step is lost in rounding: still bounded
    ("setproduct", [list(range(100))] * 5, U),
    ("setproduct", [list(range(1000)), list(range(1000))], U),
    ("format", ["%999999999d", 1], U),
    ("format", ["%.5000f", 1], U),
    ("format", ["%[99999999999999999999]s", 1], EvalError),
    ("format", ["%s" * 2000, *([BIG] * 2000)], U),
    ("formatlist", ["%s%s", [BIG] * 600, [BIG] * 600], U),
    ("indent", [1000000, "a\n" * 1000], U),
    ("indent", [-1, "a\nb"], EvalError),
    ("join", ["", [BIG] * 2000], U),
    ("join", ["x" * 100000, ["a"] * 100], U),
    ("replace", ["a" * 100000, "a", "b" * 100], U),
    ("replace", ["a" * 10000, "", "b" * 1000], U),
    ("split", ["", "x" * 200000], U),
    ("concat", [[1] * 60000, [1] * 60000], U),
    ("pow", [10, 400], U),
    ("pow", [2, 1e6], U),
    ("pow", [10**300, 10], U),
    ("pow", [-8, 1 / 3], EvalError),
    ("parseint", ["1" * 5000, 10], U),
    ("parseint", ["f" * 300, 16], U),  # 1,200 bits
    ("tonumber", ["1" * 5000], U),
    ("tonumber", ["1e400"], U),
    ("tonumber", ["1e999999999999"], U),
    ("abs", [10**400], U),
    ("log", [10**400, 10], U),  # past the magnitude bound
    ("jsondecode", ["1" * 5000], U),
    ("jsondecode", ["[" * 100000 + "]" * 100000], EITHER),
    ("jsondecode", ["[" * 500 + "]" * 500], U),  # deeper than the nesting bound
    ("yamldecode", ["[" * 100000 + "]" * 100000], EITHER),  # libyaml's nesting limit, or ours
    ("yamldecode", ["a: " + "x" * 1_100_000], U),
    ("flatten", [_deep(10000)], U),
    ("flatten", [_doubled(40)], U),
    ("jsonencode", [_deep(10000)], U),
    ("jsonencode", [_doubled(40)], U),
    ("yamlencode", [_deep(10000)], U),
    ("yamlencode", [_doubled(40)], U),
    ("distinct", [[_doubled(40), _doubled(40)]], U),
    ("toset", [[_doubled(40), _doubled(40)]], U),
    ("contains", [[_doubled(40)], _doubled(40)], U),
    ("length", [_doubled(40)], 2),
    ("format", ["%v", _doubled(40)], U),
    ("sha256", ["x" * 5_000_000], U),
    ("md5", ["x" * 1_000_000], "ec78dbd963d2fc01e51176ed4dec299e"),
    ("csvdecode", ["a\n" + "1\n" * 200000], U),
    ("substr", ["abc", 10**30, 1], EvalError),
    ("element", [[1], 10**100], EvalError),
    ("cidrhost", ["::/0", 2**128], EvalError),
    ("cidrsubnet", ["::/0", 10**30, 1], EvalError),
    ("cidrsubnets", ["fd00::/8", *([32] * 3)], ["fd00::/40", "fd00:0:100::/40", "fd00:0:200::/40"]),
    ("cidrsubnet", ["fd00::/8", 32, 2**32 - 1], "fdff:ffff:ff00::/40"),
    ("base64encode", ["x" * 900_000], U),
    ("urlencode", ["☃" * 400_000], U),
    ("strrev", ["x" * 1_000_000], "x" * 1_000_000),
    ("length", ["é" * 100_000], 100_000),
]


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    return "\n".join(lines) + "\n"


HOSTILE.append(("yamldecode", [_billion_laughs()], U))


@pytest.mark.parametrize(("name", "args", "want"), HOSTILE, ids=[f"{n}{i}" for i, (n, _, _) in enumerate(HOSTILE)])
def test_hostile_input_is_bounded(name: str, args: list[Any], want: Any) -> None:
    if want is EvalError:
        with pytest.raises(EvalError):
            call(name, args)
    elif want is EITHER:
        with contextlib.suppress(EvalError):
            assert call(name, args) is U
    elif want is U:
        assert call(name, args) is U
    else:
        assert same(call(name, args), want)


def test_no_argument_crashes_a_function() -> None:
    """Every function, called with every kind of value, returns or raises a deliberate EvalError.

    The guard turns any other exception into an EvalError saying "internal error": none may occur.
    """
    samples: list[Any] = [None, True, 0, -1, 1.5, "", "a", "10.0.0.0/8", [], ["a"], [1, [2]], {}, {"a": 1}, U, SUBNET_A]
    internal = []
    for name in sorted(FUNCTIONS):
        for a in samples:
            for args in ([], [a], [a, a], [a, "b", 1], ["%s", a], [a, 2, 3], [[a], [a]], [{"k": a}, "k"]):
                try:
                    call(name, list(args))
                except EvalError as exc:
                    if "internal error" in str(exc):
                        internal.append(f"{name}{tuple(args)}: {exc}")
    assert not internal, "\n".join(internal[:20])


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        # Terraform's documented examples (website/docs/language/functions/regex.mdx, regexall, replace)
        ("regex", ["[a-z]+", "53453453.345345aaabbbccc23454"], "aaabbbccc"),
        ("regex", ["(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)", "2019-02-01"], ["2019", "02", "01"]),
        (
            "regex",
            ["^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?", "https://terraform.io/docs/"],
            {"scheme": "https", "authority": "terraform.io"},
        ),
        ("regexall", ["[a-z]+", "1234abcd5678efgh9"], ["abcd", "efgh"]),
        ("regexall", ["^[a-z]{2}-", "us-east-1a"], ["us-"]),
        ("regexall", ["^[a-z]{2}-", "use1-az1"], []),
        ("replace", ["hello world", "/w.*d/", "everybody"], "hello everybody"),
        ("replace", ["1.2.3", "/(\\d+)\\.(\\d+)/", "$2.$1"], "2.1.3"),
        ("replace", ["a-b", "/(?P<x>a)/", "[${x}]$$"], "[a]$-b"),
        # Hostile patterns: RE2 matches in linear time, so these finish at once.
        ("regexall", ["^(a|a)+$", "a" * 100_000 + "b"], []),
        ("replace", ["a" * 100_000 + "!", "/(a+)+$/", "x"], "a" * 100_000 + "!"),
        ("regex", ["^(-?a+)+$", "a" * 50_000], ["a" * 50_000]),
    ],
)
def test_regular_expressions_run_with_re2(name: str, args: list[Any], expected: Any) -> None:
    assert call(name, args) == expected


@pytest.mark.parametrize(("pattern", "text"), [("(a)\\1", "aa"), ("(?=a)", "a"), ("[", "a"), ("x", "y")])
def test_regex_errors_as_terraform_gives_them(pattern: str, text: str) -> None:
    with pytest.raises(EvalError):
        call("regex", [pattern, text])

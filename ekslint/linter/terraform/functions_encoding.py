"""Terraform's encoding functions: JSON, YAML, CSV, base64, URL, text encodings, hashes, uuidv5.

* ``jsonencode`` writes what cty writes: minified, object keys sorted, numbers without exponent,
  ``<``, ``>``, ``&``, U+2028 and U+2029 escaped as ``\\u003c``...; a value holding an unknown is
  unknown. ``jsondecode`` rejects what Go's decoder rejects (NaN, duplicate keys); a number past
  the magnitude bound decodes to an unknown item.
* ``yamldecode`` reads the PyYAML event stream (libyaml when available, safe: no Python objects
  are ever constructed) and resolves scalars as go-cty-yaml does (YAML 1.1 booleans ``yes``/``on``
  and ``y``/``n``, ``0x``/``0o`` integers, timestamps as RFC 3339 strings, unsupported tags are
  errors, one document only). The input is bounded and so is the expansion of aliases (a "billion
  laughs" document is unknown, not expanded); an alias inside its own anchor is an error, as in
  Terraform. ``yamlencode`` emits through libyaml's (or PyYAML's) emitter, which go-yaml ports:
  block style, strings double-quoted, multi-line strings literal.
* ``base64gzip`` is unknown on purpose: its output is the bytes of Go's gzip writer, which no other
  compressor reproduces.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import csv
import hashlib
import io
import json
import re
import urllib.parse
import uuid
from collections.abc import Iterator
from typing import Any

import yaml
from yaml import events as ev

from ekslint.linter.terraform.functions_core import (
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_STRING,
    MAX_VISITS,
    NotKnown,
    check_size,
    is_number,
    number_text,
    parse_number,
    quote,
    register,
    string,
)
from ekslint.linter.terraform.values import UNKNOWN, EvalError, Unknown, type_name

#: Longest text a hash function reads (characters).
MAX_HASH_INPUT = 4 * MAX_STRING
#: Longest document ``yamldecode`` parses (characters).
MAX_YAML = MAX_STRING
#: Most values a YAML document may expand to, counting every use of an alias.
MAX_YAML_NODES = 10 * MAX_ITEMS

_SURROGATE = re.compile("[\ud800-\udfff]")
_HTML = re.compile("[<>&\u2028\u2029]")
_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def utf8(s: str) -> bytes:
    """``s`` as UTF-8; a lone surrogate (which a Go string cannot hold) becomes U+FFFD, as in Go."""
    return _SURROGATE.sub("\ufffd", s).encode("utf-8")


# --- JSON ----------------------------------------------------------------------------------------


def _json_string(s: str) -> str:
    text = json.dumps(_SURROGATE.sub("\ufffd", s), ensure_ascii=False)
    return _HTML.sub(lambda m: _HTML_ESCAPES[m[0]], text)


def json_encode(value: Any) -> str:
    """``jsonencode(value)``; :class:`NotKnown` if ``value`` holds an unknown or the text passes the bound."""
    parts: list[str] = []
    size = 0

    def emit(s: str) -> None:
        nonlocal size
        parts.append(s)
        size += len(s)
        check_size(size)

    def walk(v: Any, depth: int) -> None:
        if isinstance(v, Unknown) or depth > MAX_DEPTH:
            raise NotKnown
        if v is None:
            emit("null")
        elif isinstance(v, bool):
            emit("true" if v else "false")
        elif is_number(v):
            emit(number_text(v))
        elif isinstance(v, str):
            emit(_json_string(v))
        elif isinstance(v, list):
            emit("[")
            for i, item in enumerate(v):
                if i:
                    emit(",")
                walk(item, depth + 1)
            emit("]")
        elif isinstance(v, dict):
            emit("{")
            for i, key in enumerate(sorted(v)):
                emit(("," if i else "") + _json_string(key) + ":")
                walk(v[key], depth + 1)
            emit("}")
        else:
            raise EvalError(f"cannot encode {type_name(v)} as JSON")

    walk(value, 0)
    return "".join(parts)


@register("jsonencode")
def _jsonencode(value: Any) -> Any:
    return json_encode(value)


def _json_number(text: str) -> Any:
    try:
        return parse_number(text)
    except NotKnown:
        return UNKNOWN


def _json_constant(name: str) -> Any:
    raise EvalError(f"invalid JSON: {name} is not a JSON value")


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise EvalError(f"duplicate {quote(key)} property in JSON object")
        out[key] = value
    return out


def _sanitized(v: Any, depth: int = 0) -> Any:
    """A decoded value checked for depth, lone surrogates replaced as Go's decoder does."""
    if depth > MAX_DEPTH:
        raise NotKnown
    if isinstance(v, str):
        return _SURROGATE.sub("\ufffd", v)
    if isinstance(v, list):
        return [_sanitized(x, depth + 1) for x in v]
    if isinstance(v, dict):
        return {_SURROGATE.sub("\ufffd", k): _sanitized(x, depth + 1) for k, x in v.items()}
    return v


@register("jsondecode")
def _jsondecode(s: Any) -> Any:
    text = string(s)
    try:
        value = json.loads(
            text,
            parse_int=_json_number,
            parse_float=_json_number,
            parse_constant=_json_constant,
            object_pairs_hook=_json_object,
        )
    except json.JSONDecodeError as exc:
        raise EvalError(f"invalid JSON: {exc.msg} at offset {exc.pos}") from None
    except RecursionError:
        raise NotKnown from None
    return _sanitized(value)


# --- YAML ----------------------------------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_STR, _BINARY, _BOOL, _INT, _FLOAT, _NULL, _TIMESTAMP = (
    _TAG + t for t in ("str", "binary", "bool", "int", "float", "null", "timestamp")
)
_RESOLVABLE = frozenset({"", _STR, _BINARY, _BOOL, _INT, _FLOAT, _NULL, _TIMESTAMP})
#: go-cty-yaml's table of plain scalars with a fixed meaning (an infinity is unknown here).
_YAML_CONSTANTS: dict[str, Any] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"), UNKNOWN),
}
_YAML_HINT = {
    **dict.fromkeys("+-", "S"),
    **dict.fromkeys("0123456789", "D"),
    **dict.fromkeys("yYnNtTfFoO~", "M"),
    ".": ".",
}
_YAML_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_YAML_TIME = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:(?:([Tt])| )([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_GO_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)")
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: PyYAML's own emitter, not libyaml's: both port libyaml, but only the older one go-yaml ported
#: (and PyYAML's) ends a document holding a plain scalar with "...", as Terraform's output does.
_YAML_DUMPER: Any = yaml.SafeDumper


def _yaml_timestamp(s: str) -> str | None:
    """A YAML timestamp in the layouts go-cty-yaml accepts, as RFC 3339 (no fractional seconds)."""
    m = _YAML_TIME.fullmatch(s)
    if m is None:
        return None
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    hour, minute, second = (int(m[i]) if m[i] else 0 for i in (5, 6, 7))
    zone = m[8]
    if (m[4] and not zone) or (not m[4] and m[5] and zone):  # T needs a zone, the space form has none
        return None
    if not (1 <= month <= 12 and 1 <= day <= _days(year, month) and hour < 24 and minute < 60 and second < 60):
        return None
    if zone in (None, "+00:00", "-00:00"):
        zone = "Z"
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{zone}"


def _days(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _go_int(s: str) -> int | None:
    """Go's ``strconv.ParseInt(s, 0, 64)`` (``0x``, ``0o``, ``0b`` and a leading ``0`` for octal)."""
    if not _GO_INT.fullmatch(s):
        return None
    sign = -1 if s.startswith("-") else 1
    body = s.lstrip("+-").lower()
    if body.startswith(("0x", "0o", "0b")):
        n = int(body[2:], {"x": 16, "o": 8, "b": 2}[body[1]])
    else:
        n = int(body, 8) if len(body) > 1 else int(body)
    n *= sign
    return n if -(2**63) <= n < 2**64 else None


def _yaml_scalar(tag: str | None, value: str, style: str | None) -> Any:
    """A scalar resolved as go-cty-yaml's ``resolveScalar`` does."""
    tag = tag or ""
    if tag not in _RESOLVABLE:
        shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
        raise EvalError(f"unsupported tag {quote(shown)}")
    hint = "N" if value == "" else _YAML_HINT.get(value[0], "")
    if hint and tag not in (_STR, _BINARY):
        if style in ("'", '"'):
            return value
        if value in _YAML_CONSTANTS:
            return _YAML_CONSTANTS[value]
        if tag == "" and value in (".nan", ".NaN", ".NAN"):
            raise EvalError("floating point NaN is not supported")
        if hint == ".":
            try:
                return _json_number(value)
            except EvalError:
                pass
        elif hint in "DS":
            if tag in ("", _TIMESTAMP):
                stamp = _yaml_timestamp(value)
                if stamp is not None:
                    return stamp
            if _YAML_INT.fullmatch(value):
                tag = _INT
            elif _YAML_FLOAT.fullmatch(value):
                tag = _FLOAT
    if tag in (_STR, _BINARY):
        if tag == _BINARY:
            try:
                base64.b64decode(value.replace("\n", "").replace("\r", ""), validate=True)
            except (binascii.Error, ValueError):
                raise EvalError(f"cannot parse {quote(value)} as !!binary: not valid base64") from None
        return value
    if tag == _BOOL:
        if not isinstance(_YAML_CONSTANTS.get(value, 0), bool):
            raise EvalError(f"cannot parse {quote(value)} as !!bool")
        return _YAML_CONSTANTS[value]
    if tag in (_INT, _FLOAT):
        plain = value.replace("_", "")
        try:
            return _json_number(plain)
        except EvalError:
            n = _go_int(plain)
            if n is None:
                raise EvalError(f"cannot parse {quote(value)} as !!{tag[len(_TAG) :]}") from None
            return n
    if tag == _TIMESTAMP:
        stamp = _yaml_timestamp(value)
        if stamp is None:
            raise EvalError(f"cannot parse {quote(value)} as !!timestamp")
        return stamp
    if tag == _NULL:
        return None
    return value


class _YamlReader:
    """Builds a value from PyYAML events the way go-cty-yaml builds one from libyaml's."""

    def __init__(self, events: Iterator[Any]) -> None:
        self.events = events
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.pending: set[str] = set()
        self.nodes = 0

    def next(self) -> Any:
        try:
            return next(self.events)
        except StopIteration:
            raise EvalError("unexpected end of YAML stream") from None

    def document(self) -> Any:
        if not isinstance(self.next(), ev.StreamStartEvent):
            raise EvalError("missing stream start token")
        if not isinstance(self.next(), ev.DocumentStartEvent):
            raise EvalError("missing start of document")
        value, _ = self.value(self.next(), 0)
        end = self.next()
        if isinstance(end, ev.DocumentStartEvent):
            raise EvalError("only a single document is allowed")
        if not isinstance(end, ev.DocumentEndEvent):
            raise EvalError("unexpected extra content after value")
        end = self.next()
        if isinstance(end, ev.DocumentStartEvent):
            raise EvalError("only a single document is allowed")
        if not isinstance(end, ev.StreamEndEvent):
            raise EvalError("unexpected extra content after value")
        return value

    def value(self, event: Any, depth: int) -> tuple[Any, int]:
        """The value starting at ``event`` and how many values it expands to."""
        if depth > MAX_DEPTH:
            raise NotKnown
        self.nodes += 1
        if isinstance(event, ev.AliasEvent):
            anchor_name = event.anchor or ""
            if anchor_name in self.pending:
                raise EvalError(f"cannot refer to anchor {quote(anchor_name)} from inside its own definition")
            if anchor_name not in self.anchors:
                raise EvalError(f"reference to undefined anchor {quote(anchor_name)}")
            value, size = self.anchors[anchor_name]
            self.nodes += size
        else:
            anchor = getattr(event, "anchor", None)
            if anchor:
                self.pending.add(anchor)
            if isinstance(event, ev.ScalarEvent):
                value, size = _yaml_scalar(event.tag, event.value, event.style or None), 1
            elif isinstance(event, ev.MappingStartEvent):
                value, size = self.mapping(event, depth)
            elif isinstance(event, ev.SequenceStartEvent):
                value, size = self.sequence(event, depth)
            elif isinstance(event, ev.DocumentStartEvent):
                raise EvalError("only a single document is allowed")
            else:
                raise EvalError(f"expecting value but found {type(event).__name__}")
            if anchor:
                self.pending.discard(anchor)
                self.anchors[anchor] = (value, size)
        if self.nodes > MAX_YAML_NODES:
            raise NotKnown
        return value, size

    def sequence(self, start: Any, depth: int) -> tuple[list[Any], int]:
        if start.tag not in (None, _TAG + "seq"):
            raise EvalError(f"can't interpret sequence as {start.tag}")
        items: list[Any] = []
        size = 1
        while not isinstance(event := self.next(), ev.SequenceEndEvent):
            value, n = self.value(event, depth + 1)
            items.append(value)
            size += n
        return items, size

    def mapping(self, start: Any, depth: int) -> tuple[dict[str, Any], int]:
        if start.tag not in (None, _TAG + "map"):
            raise EvalError(f"can't interpret mapping as {start.tag}")
        out: dict[str, Any] = {}
        size = 1
        while not isinstance(key := self.next(), ev.MappingEndEvent):
            if isinstance(key, ev.ScalarEvent) and (
                (key.tag is None and key.value == "<<") or key.tag == _TAG + "merge"
            ):
                merged, n = self.value(self.next(), depth + 1)
                size += n
                for part in merged if isinstance(merged, list) else [merged]:
                    if not isinstance(part, dict):
                        raise EvalError(f"cannot merge {type_name(part)} into mapping")
                    out.update(part)
                continue
            if not isinstance(key, ev.ScalarEvent):
                raise EvalError("only strings are allowed as mapping keys")
            name = _yaml_scalar(key.tag, key.value, key.style or None)
            if name is None:
                raise EvalError("mapping key cannot be null")
            if isinstance(name, Unknown):
                raise EvalError("mapping key must be known")
            value, n = self.value(self.next(), depth + 1)
            out[string(name)] = value
            size += n
        return out, size


@register("yamldecode")
def _yamldecode(src: Any) -> Any:
    text = _SURROGATE.sub("\ufffd", string(src, "src"))  # a Go string cannot hold a lone surrogate
    check_size(len(text), MAX_YAML)
    try:
        return _YamlReader(yaml.parse(text or "\n", Loader=_YAML_LOADER)).document()
    except yaml.YAMLError as exc:
        raise EvalError("invalid YAML: " + " ".join(str(exc).split())) from None


def _yaml_events(value: Any, out: list[Any], depth: int) -> None:
    if isinstance(value, Unknown) or depth > MAX_DEPTH or len(out) > MAX_VISITS:
        raise NotKnown
    if value is None or isinstance(value, bool) or is_number(value):
        text = (
            "null"
            if value is None
            else ("true" if value else "false")
            if isinstance(value, bool)
            else number_text(value)
        )
        out.append(ev.ScalarEvent(None, None, (True, True), text, style=None))
    elif isinstance(value, str):
        out.append(ev.ScalarEvent(None, None, (True, True), value, style="|" if "\n" in value else '"'))
    elif isinstance(value, list):
        out.append(ev.SequenceStartEvent(None, None, True, flow_style=False))
        for item in value:
            _yaml_events(item, out, depth + 1)
        out.append(ev.SequenceEndEvent())
    elif isinstance(value, dict):
        out.append(ev.MappingStartEvent(None, None, True, flow_style=False))
        for key in sorted(value):
            _yaml_events(key, out, depth + 1)
            _yaml_events(value[key], out, depth + 1)
        out.append(ev.MappingEndEvent())
    else:
        raise EvalError(f"cannot encode {type_name(value)} as YAML")


@register("yamlencode")
def _yamlencode(value: Any) -> Any:
    events: list[Any] = [ev.StreamStartEvent(), ev.DocumentStartEvent(explicit=False)]
    _yaml_events(value, events, 0)
    check_size(sum(len(getattr(e, "value", None) or "") for e in events))
    events += [ev.DocumentEndEvent(explicit=False), ev.StreamEndEvent()]
    text: str = yaml.emit(events, Dumper=_YAML_DUMPER, allow_unicode=True)
    if text == '--- ""\n':  # PyYAML marks an empty document explicitly; go-yaml does not
        text = '""\n'
    check_size(len(text))
    return text


# --- CSV, base64, URLs, text encodings -----------------------------------------------------------


@register("csvdecode")
def _csvdecode(s: Any) -> Any:
    text = string(s)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [row for row in reader if row]
    except csv.Error as exc:
        raise EvalError(f"invalid CSV: {exc}") from None
    if not rows:
        raise EvalError("missing header line")
    header = rows[0]
    if len(set(header)) != len(header):
        duplicate = next(h for h in header if header.count(h) > 1)
        raise EvalError(f"duplicate column name {quote(duplicate)}")
    check_size(len(rows) * len(header), MAX_ITEMS)
    out: list[Any] = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise EvalError(f"record {n}: wrong number of fields")
        out.append(dict(zip(header, row, strict=True)))
    return out


@register("base64encode")
def _base64encode(s: Any) -> Any:
    data = utf8(string(s))
    check_size(len(data) * 4 // 3 + 4)
    return base64.b64encode(data).decode("ascii")


def _b64decode(s: str) -> bytes:
    """Go's ``base64.StdEncoding.DecodeString``: strict alphabet and padding, newlines ignored."""
    return base64.b64decode(s.replace("\r", "").replace("\n", ""), validate=True)


@register("base64decode")
def _base64decode(s: Any) -> Any:
    text = string(s)
    try:
        data = _b64decode(text)
    except (binascii.Error, ValueError):
        raise EvalError(f"failed to decode base64 data {quote(text)}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise EvalError("the result of decoding the provided string is not valid UTF-8") from None


@register("urlencode")
def _urlencode(s: Any) -> Any:
    data = utf8(string(s))
    check_size(len(data) * 3)
    return urllib.parse.quote_plus(data, safe="")


#: Python codecs whose IANA names Terraform's ``textencodebase64`` accepts (text encodings only:
#: Python's bytes-to-bytes codecs such as zlib or base64 must never be reachable from a config).
_TEXT_CODECS = re.compile(
    r"utf-(?:8|16|32)(?:-[lb]e)?|ascii|iso8859-[0-9]{1,2}|cp(?:125[0-8]|437|850|852|855|857|858|860|861|862|863"
    r"|864|865|866|869|874)|koi8-[ru]|shift_jis|euc_jp|euc_kr|gbk|gb18030|gb2312|big5|iso2022_jp|mac-roman|latin-1"
)


def _text_codec(name: str) -> str:
    try:
        codec = codecs.lookup(name).name
    except (LookupError, UnicodeError):
        codec = ""
    if not _TEXT_CODECS.fullmatch(codec):
        raise EvalError(f"{quote(name)} is not a supported IANA encoding name or alias in this Terraform version")
    return codec


@register("textencodebase64")
def _textencodebase64(s: Any, encoding: Any) -> Any:
    text, codec = string(s, "string"), _text_codec(string(encoding, "encoding"))
    check_size(len(text) * 6)
    try:
        if codec in ("utf-16", "utf-32"):  # Go writes a big-endian byte order mark
            data = (
                codecs.BOM_UTF16_BE + text.encode("utf-16-be")
                if codec == "utf-16"
                else codecs.BOM_UTF32_BE + text.encode("utf-32-be")
            )
        else:
            data = text.encode(codec)
    except UnicodeEncodeError:
        raise EvalError(f"the given string contains characters that cannot be represented in {codec}") from None
    return base64.b64encode(data).decode("ascii")


@register("textdecodebase64")
def _textdecodebase64(source: Any, encoding: Any) -> Any:
    text, codec = string(source, "source"), _text_codec(string(encoding, "encoding"))
    try:
        data = _b64decode(text)
    except (binascii.Error, ValueError):
        raise EvalError("the given value is not valid base64") from None
    if codec in ("utf-16", "utf-32"):  # Go: the byte order mark decides, else big-endian
        boms = (
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
            if codec == "utf-16"
            else (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
        )
        if not data.startswith(boms):
            codec += "-be"
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise EvalError(f"the given string contains symbols that are not defined for {codec}") from None


# --- hashes and UUIDs ----------------------------------------------------------------------------


def _digest(algorithm: str, s: Any) -> bytes:
    text = string(s)
    check_size(len(text), MAX_HASH_INPUT)
    return hashlib.new(algorithm, utf8(text)).digest()


@register("md5")
def _md5(s: Any) -> Any:
    return _digest("md5", s).hex()


@register("sha1")
def _sha1(s: Any) -> Any:
    return _digest("sha1", s).hex()


@register("sha256")
def _sha256(s: Any) -> Any:
    return _digest("sha256", s).hex()


@register("sha512")
def _sha512(s: Any) -> Any:
    return _digest("sha512", s).hex()


@register("base64sha256")
def _base64sha256(s: Any) -> Any:
    return base64.b64encode(_digest("sha256", s)).decode("ascii")


@register("base64sha512")
def _base64sha512(s: Any) -> Any:
    return base64.b64encode(_digest("sha512", s)).decode("ascii")


_UUID_NAMESPACES = {
    "dns": uuid.NAMESPACE_DNS,
    "url": uuid.NAMESPACE_URL,
    "oid": uuid.NAMESPACE_OID,
    "x500": uuid.NAMESPACE_X500,
}


@register("uuidv5")
def _uuidv5(namespace: Any, name: Any) -> Any:
    ns, text = string(namespace, "namespace"), string(name, "name")
    space = _UUID_NAMESPACES.get(ns)
    if space is None:
        try:
            space = uuid.UUID(ns)
        except ValueError as exc:
            raise EvalError(f"uuidv5() doesn't support namespace {ns} ({exc})") from None
    check_size(len(text), MAX_HASH_INPUT)
    return str(uuid.uuid5(space, utf8(text).decode("utf-8")))

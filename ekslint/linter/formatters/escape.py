"""Make text from a scan safe for each output: terminals and CI logs, Markdown, JSON.

Nearly everything a finding says can come from the scanned repository: object names, label and
annotation values, image names, file and folder names, the text of a ``# Source:`` comment. A
manifest is untrusted input (a pull request from anyone), so no output may let it:

* start a line of its own: a raw newline or carriage return in a text line forges findings, and
  in a GitHub Actions log a line starting with ``::`` is a workflow command (``::add-mask::``,
  ``::stop-commands::``, ``::error::``); the runner also obeys the older ``##[command]`` form
  anywhere in a line;
* drive the terminal: ESC (``\\x1b[...``) and the 8-bit CSI (U+009B) recolour, move the cursor,
  erase lines or set the window title;
* reorder what the reader sees: bidirectional overrides, embeddings, isolates and marks
  (Trojan Source, CVE-2021-42574) make text display in an order other than its logical one;
* break the encoding: a file name that is not UTF-8 reaches Python as lone surrogates
  (``os.fsdecode``), which cannot be written as UTF-8 at all;
* leak a credential: credential rules mask what they find, but another rule may quote the same
  value (an image name, an annotation value), so shapes that are credentials whatever surrounds
  them are masked in every output (:func:`redact`).

Each output escapes in its own way (see the formatters); this module holds the shared pieces.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, TextIO

from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.token_shapes import mask_tokens
from ekslint.linter.url_passwords import url_passwords

# Only printable()'s pattern is needed by every run (notes); the others are compiled when a
# report of their kind is written or a message holds what they mask (LazyPattern).
#: What :func:`printable` escapes: C0 controls, DEL and C1 controls, line and paragraph
#: separators, bidi controls and marks, and surrogates (only ever lone in a Python str).
_UNPRINTABLE = LazyPattern("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = LazyPattern("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: The old workflow-command form; the runner finds it anywhere in a line of a step's output.
_V1_COMMAND = "##["

#: What JSON output escapes beyond ``json.dumps``: the same invisible characters, minus C0
#: controls (``json.dumps`` escapes those already), and lone surrogates (see :func:`json_text`).
_JSON_UNSAFE = LazyPattern("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

#: Credential shapes that are never anything else (the detectors of ``rules/secrets/_credentials``).
_AWS_KEY_ID = LazyPattern(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")
_JWT = LazyPattern(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}")
_MASK = "****"


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # one byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control, separator, bidi and surrogate character written as a visible
    Python-style escape (``\\n``, ``\\x1b``, ``\\u202e``; a byte of a non-UTF-8 file name as
    ``\\xff``), so that one finding stays one line and shows what the file really holds.

    Backslashes are left alone, so ``\\n`` in the output may also be a backslash and an ``n`` in
    the manifest: rule messages already quote names with ``repr`` and read the same way.
    """
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(_visible, text)


def log_text(text: str) -> str:
    """Text for a terminal or a CI log (the text format, stderr): :func:`printable`, and no
    ``##[command]`` (the old workflow-command form, obeyed anywhere in a line) left intact.

    What starts each line is the caller's business: the text format starts with the file name
    (see ``TextFormatter``), stderr lines with ``ekslint:``.
    """
    text = printable(text)
    if _V1_COMMAND in text:
        text = text.replace(_V1_COMMAND, "##\\[")
    return text


#: What XML 1.0 cannot hold even as a character reference and :func:`printable` leaves alone:
#: the noncharacters U+FFFE and U+FFFF (the ``Char`` production of the XML 1.0 spec).
_XML_NONCHARACTER = LazyPattern("[\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text for an XML attribute or element (the JUnit report): :func:`printable`, and
    U+FFFE/U+FFFF as visible escapes too.

    XML 1.0 forbids C0 controls other than tab and line breaks, lone surrogates and those two
    noncharacters anywhere, even written as ``&#...;``, and ElementTree writes them raw, so one
    such character in a manifest would make the whole report unreadable to a CI. Markup
    characters are ElementTree's to escape.
    """
    text = printable(text)
    if _XML_NONCHARACTER.search(text) is None:
        return text
    return _XML_NONCHARACTER.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def log_line(text: str) -> str:
    """A whole line for a terminal or a CI log whose start is the input's own (a line of
    ``ekslint fix --diff`` shows a manifest line after one character): :func:`log_text`, and a
    backslash before a leading ``::``, which the runner reads as a workflow command once it has
    trimmed the leading blanks (as ``##[`` becomes ``##\\[``)."""
    text = log_text(text)
    body = text.lstrip()
    if body.startswith("::"):
        return text[: len(text) - len(body)] + "\\" + body
    return text


def no_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (a byte of a non-UTF-8 file name) replaced by U+FFFD, for
    outputs that must be valid UTF-8 and must keep everything else exactly (GitHub's ``file=``)."""
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub("\ufffd", text)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"


def json_text(dumped: str) -> str:
    """Finish the output of ``json.dumps(..., ensure_ascii=False)``.

    DEL, C1 controls, line separators and bidi controls become ``\\uXXXX`` escapes: the parsed
    value is unchanged, but ``cat report.json`` in a terminal (or a JSON viewer) shows nothing
    invisible or reordered. Lone surrogates become U+FFFD: RFC 8259 leaves them undefined, many
    parsers reject ``\\udcff``, and a raw one cannot be encoded at all; the one place such a
    name must be exact, the SARIF ``uri``, percent-encodes its bytes instead.
    """
    if _JSON_UNSAFE.search(dumped) is None:
        return dumped
    return _JSON_UNSAFE.sub(_json_escape, dumped)


def _mask_key_id(match: re.Match[str]) -> str:
    key = match.group()
    return key[:4] + "*" * (len(key) - 8) + key[-4:]


def redact(text: str) -> str:
    """Mask credentials that have an unmistakable shape, wherever a message quotes them.

    The credential rules never put a secret in a message, but another rule can quote the same
    value (an access key id used as an image name or an annotation value is reported by
    ``latest-image-tag`` or ``lb-annotation-invalid`` too). So every output masks AWS access
    key ids (``AKIA************WXYZ``, as the AWS console shows them), JSON Web Tokens, the
    password of a ``scheme://user:password@host`` URL and the well-known token formats of
    :mod:`ekslint.linter.token_shapes` (``ghp_****``). Nothing else is touched: these shapes
    do not occur in ordinary text, so no message loses anything but the secret.
    """
    if "AKIA" in text or "ASIA" in text:
        text = _AWS_KEY_ID.sub(_mask_key_id, text)
    if "eyJ" in text:
        text = _JWT.sub("eyJ" + _MASK, text)
    if "://" in text and "@" in text:
        parts: list[str] = []
        done = 0
        for url in url_passwords(text, host=False):  # linear time, whatever the text
            parts += [text[done : url.password_start], _MASK]
            done = url.password_end
        text = "".join(parts) + text[done:]
    return mask_tokens(text)


#: Stands for a long list in a document written by :func:`write_json_list`; no value of a
#: report can equal it.
LIST_MARK = "\x00ekslint-list\x00"


def write_json_list(stream: TextIO, document: Any, items: Iterable[Any], level: int) -> None:
    """Write ``json.dumps(document, indent=2)`` (then :func:`json_text`) with :data:`LIST_MARK`
    in ``document`` replaced by the list of ``items``, one item at a time.

    For the results of the JSON and SARIF reports: every result at once as dicts (or sarif-om
    objects) and as one string took more memory than the scan itself on a big manifest. The
    list sits at nesting ``level`` of the document; the text is the same as one ``json.dumps``.
    """
    head, tail = json.dumps(document, indent=2, ensure_ascii=False).split(json.dumps(LIST_MARK))
    stream.write(json_text(head))
    pad, written = "  " * level, False
    for item in items:
        stream.write(("[\n" if not written else ",\n") + pad + json_text(indented_json(item, level)))
        written = True
    stream.write(("\n" + "  " * (level - 1) + "]") if written else "[]")
    stream.write(json_text(tail) + "\n")


def indented_json(value: Any, level: int) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` as it reads at nesting ``level``.

    With ``indent``, ``json.dumps`` uses its pure-Python encoder, whose nested closures form a
    reference cycle on every call: with the collector off for the run (see ``cli.main``), one
    call per finding kept 30 MB per 10,000 findings alive. Scalars go through the C encoder.
    """
    pad = "  " * (level + 1)
    if isinstance(value, dict) and value:
        items = (
            f"{pad}{json.dumps(str(k), ensure_ascii=False)}: {indented_json(v, level + 1)}" for k, v in value.items()
        )
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(pad + indented_json(v, level + 1) for v in value) + "\n" + "  " * level + "]"
    if isinstance(value, str):
        return _encode_str(value)
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


#: ``json.dumps(text, ensure_ascii=False)`` without its per-call set-up (a report has a few
#: hundred thousand strings).
_encode_str = json.encoder.encode_basestring

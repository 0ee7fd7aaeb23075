"""What counts as a credential: by key name, by value shape, and what is only a placeholder.

Shared by the family F rules so that ``secret-in-configmap``, ``secret-in-env``,
``aws-static-credentials`` and ``plaintext-secret`` agree. The goal is *no false alarms on real
repositories*, so every detector is paired with the look-alikes it must ignore:

* **Names** are split into words whatever their style (``DB_PASSWORD``, ``db-password``,
  ``dbPassword``, ``spring.datasource.password``) and judged by their *last* word, the head of an
  English compound: ``DB_PASSWORD`` is a password, ``PASSWORD_MIN_LENGTH`` is a length,
  ``secretName``/``secretRef`` name a Kubernetes Secret, ``token_url`` is a URL, ``*_FILE`` and
  ``*_PATH`` are paths. Flag-like words (``use-token``, ``enable-secret``, ``ALLOW_EMPTY_PASSWORD``)
  and public keys never count. A bare ``key`` (``TLS_KEY``, ``key:`` in an affinity term) is only a
  *weak* name: it counts when the value is a high-entropy string. A credential word *before* the
  last word (``SECRET_KEY_BASE``, ``SECRET_BLAH``, ``DB_PASSWORD_PRIMARY``) counts only when no
  word after it makes the name a setting (``SECRET_ID``, ``TOKEN_ENDPOINT``, ``TOKEN_TTL``) and the
  value itself looks like a secret (random, a known token format, or a password-like word that is
  not a multi-word name, a dotted identifier or a setting such as ``disabled``).
* **Values** that are never credentials: empty, numbers, booleans, file paths, URLs without a
  password, the template expressions and fill-ins that every rule skips
  (:mod:`ekslint.linter.placeholders`: ``${VAR}``, ``$VAR``, ``$(VAR)``, ``{{ .. }}``, ``<...>``,
  ``[...]``, ``%(x)s``, ``%VAR%``...), references (``ENC(..)``, ``arn:...``, ``vault:``),
  well-known placeholders (``changeme``, ``REPLACE_ME``,
  ``xxx``, ``***``, ``TODO``, ``dummy``, anything containing ``example``, values made only of
  generic words such as ``my-password`` or ``your_api_key``, SCREAMING_SNAKE names such as
  ``GOOGLE_API_KEY_VAL``), code that reads the value elsewhere (``os.environ["X"]``) and the name
  of a Kubernetes Secret under a ``...Secret`` key.
* **Value shapes** that are credentials under any key: AWS access key ids, AWS secret access keys
  (beside a key id or under an AWS-secret key name), PEM private keys, JWTs, URLs with
  ``user:password@`` and well-known token formats (GitHub, GitLab, Slack, Stripe live, Google
  API, npm, SendGrid). The AWS documentation keys (``...EXAMPLE``) are placeholders.

Messages never include a secret: :func:`mask_key_id` shows at most the first and last four
characters of an access key id (the part AWS itself shows), everything else is described by kind.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal, NamedTuple

from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.placeholders import is_placeholder as shared_placeholder
from ekslint.linter.token_shapes import TOKEN_SHAPES, may_hold_token
from ekslint.linter.url_passwords import url_passwords

NameKind = Literal["strong", "weak", "connection"]

_SEP = re.compile(r"[^A-Za-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TRAILING_DIGITS = re.compile(r"(?<=[a-z])\d+$")

#: Trailing words that do not change what a name holds (``PASSWORD_VALUE``, ``token_b64``).
_NEUTRAL_TAIL = frozenset({"value", "val", "b64", "base64", "encoded", "plain", "plaintext", "raw", "str"})
#: Words that make a name a switch or a setting about a credential, not the credential.
_FLAG_WORDS = frozenset(
    {
        "use",
        "enable",
        "enabled",
        "disable",
        "disabled",
        "require",
        "requires",
        "required",
        "allow",
        "allowed",
        "skip",
        "generate",
        "generated",
        "random",
        "empty",
        "rotate",
        "mount",
        "automount",
        "auto",
        "no",
        "is",
        "has",
        "should",
        "insecure",
        "validate",
        "verify",
        "check",
        "ignore",
        "include",
        "exclude",
        "show",
        "hide",
        "print",
        "log",
        "inject",
        "sync",
        "reset",
        "expire",
        "expired",
        "forward",
        "propagate",
        "min",
        "max",
        "length",
        "policy",
        "public",
        "pub",
    }
)
#: Words that turn ``...Secret`` into a reference to a Kubernetes Secret (``existingSecret``, ``tls-secret``).
_REF_QUALIFIERS = frozenset(
    {
        "existing",
        "tls",
        "ssl",
        "cert",
        "certificate",
        "pull",
        "imagepull",
        "image",
        "registry",
        "docker",
        "sealed",
        "external",
        "k8s",
        "kube",
        "kubernetes",
        "name",
        "ref",
        "kind",
    }
)
#: ``<word> key`` pairs that name a secret key (``api_key``, ``SECRET_ACCESS_KEY``, ``signingKey``).
_STRONG_KEY_QUALIFIERS = frozenset(
    {
        "api",
        "secret",
        "private",
        "access",
        "encryption",
        "encrypt",
        "signing",
        "sign",
        "master",
        "auth",
        "session",
        "hmac",
        "jwt",
        "cipher",
        "shared",
        "preshared",
        "license",
        "account",
        "storage",
        "subscription",
        "admin",
        "ssh",
        "gpg",
        "pgp",
        "aes",
        "webhook",
        "consumer",
        "sas",
        "primary",
        "secondary",
        "cookie",
        "csrf",
        "xsrf",
        "recaptcha",
        "client",
        "app",
        "service",
        "deploy",
    }
)
#: One-word compounds ending a name (``APIKEY``, ``OWNERPASSWORD``, ``clientsecret``).
_STRONG_SUFFIXES = (
    "password",
    "passwd",
    "passphrase",
    "apikey",
    "secretkey",
    "privatekey",
    "accesskey",
    "authkey",
    "masterkey",
    "signingkey",
    "encryptionkey",
    "secretaccesskey",
)


def words(name: str) -> list[str]:
    """Split a key in any naming style into lower-case words (trailing digits dropped)."""
    out: list[str] = []
    for part in _SEP.split(name):
        for word in _CAMEL.split(part):
            if word:
                out.append(_TRAILING_DIGITS.sub("", word.lower()))
    return out


#: Every name :func:`credential_name` accepts holds one of these, in lower case: the words its
#: rules look for (``...pass...``, ``...key``, ``...secret``, ``...token``, ``cred...``,
#: ``conn...``, ``pwd``, ``salt``, ``hmac``, ``auth``, ``psk``). Keep the two in step.
_CREDENTIAL_WORD_PARTS = ("pass", "pwd", "key", "secret", "token", "cred", "conn", "salt", "hmac", "auth", "psk")


def may_name_credential(text: str) -> bool:
    """Could a key in ``text`` name a credential? False for most lines of an embedded file,
    which :func:`pair_hits` then skips without looking for ``key = value`` pairs."""
    low = text.lower()
    return any(part in low for part in _CREDENTIAL_WORD_PARTS)


@lru_cache(maxsize=4096)
def credential_name(name: str) -> NameKind | None:
    """Whether a key names a credential: ``strong`` (any real value counts), ``weak`` (only a
    high-entropy value counts), ``connection`` (a connection string: counts with a password in it).

    Remembered per name: the same keys (``name``, ``image``, ``host``) come back on every line
    of every embedded file."""
    kind = _credential_name(name)
    assert kind is None or may_name_credential(name), f"{name!r}: add its word to _CREDENTIAL_WORD_PARTS"
    return kind


def _credential_name(name: str) -> NameKind | None:
    ws = [w for w in words(name) if w]
    while len(ws) > 1 and (ws[-1] in _NEUTRAL_TAIL or ws[-1].isdigit()):
        ws.pop()
    if not ws:
        return None
    if any(w in _FLAG_WORDS for w in ws):
        return None
    head = ws[-1]
    prev = ws[-2] if len(ws) > 1 else ""
    if (
        ws[-2:] == ["connection", "string"]
        or head in ("connectionstring", "connstring", "connstr")
        or ws[-2:] == ["conn", "str"]
        or ws[-2:] == ["conn", "string"]
    ):
        return "connection"
    if ws == ["passwd"]:
        return None  # the Unix user database: nsswitch.conf "passwd: files", getent passwd
    if head.endswith(_STRONG_SUFFIXES) or head in ("pwd", "pass"):
        return "strong"
    if head == "secret" or (head.endswith("secret") and len(head) <= 24):
        return None if any(w in _REF_QUALIFIERS for w in ws) else "strong"
    if head in ("token", "credentials", "credential", "creds") or (head.endswith("token") and len(head) <= 24):
        return "strong"
    if head == "key":
        return "strong" if prev in _STRONG_KEY_QUALIFIERS else "weak"
    if head == "id" and (ws[-3:-1] == ["access", "key"] or prev == "accesskey"):
        return "strong"
    if head in ("salt", "hmac", "auth", "psk"):
        return "weak"
    return None


@lru_cache(maxsize=4096)
def is_aws_secret_name(name: str) -> bool:
    """``aws_secret_access_key``, ``AWS_SECRET_KEY``, ``secretAccessKey``: where AWS secret keys go."""
    joined = "".join(words(name))
    return "secretaccesskey" in joined or ("aws" in joined and "secret" in joined)


#: Words after a credential word that make the name a setting about the credential, not the
#: credential: where it is (``SECRET_PATH``, ``TOKEN_ENDPOINT``), what names it (``SECRET_ID``,
#: ``SECRET_NAME``), how it is made, kept or checked (``PASSWORD_HASH_ALGORITHM``, ``TOKEN_TTL``,
#: ``SECRET_STORE_TYPE``) or who uses it (``AUTH_PROXY_IMAGE``).
_SETTING_TAILS = frozenset(
    {
        "url",
        "uri",
        "urls",
        "endpoint",
        "endpoints",
        "host",
        "hostname",
        "server",
        "port",
        "address",
        "path",
        "paths",
        "dir",
        "directory",
        "folder",
        "file",
        "files",
        "filename",
        "location",
        "volume",
        "name",
        "names",
        "id",
        "ids",
        "arn",
        "ref",
        "refs",
        "reference",
        "kind",
        "type",
        "class",
        "provider",
        "providers",
        "store",
        "backend",
        "engine",
        "manager",
        "service",
        "source",
        "vault",
        "bucket",
        "table",
        "queue",
        "topic",
        "namespace",
        "label",
        "labels",
        "selector",
        "annotation",
        "field",
        "property",
        "prop",
        "env",
        "var",
        "variable",
        "config",
        "conf",
        "cfg",
        "configuration",
        "setting",
        "settings",
        "option",
        "options",
        "param",
        "parameter",
        "mode",
        "level",
        "format",
        "encoding",
        "charset",
        "algorithm",
        "algo",
        "alg",
        "cipher",
        "method",
        "strategy",
        "scheme",
        "protocol",
        "version",
        "image",
        "role",
        "issuer",
        "audience",
        "aud",
        "scope",
        "scopes",
        "header",
        "prefix",
        "suffix",
        "pattern",
        "regex",
        "template",
        "len",
        "size",
        "count",
        "limit",
        "ttl",
        "expiry",
        "expires",
        "expiration",
        "lifetime",
        "timeout",
        "interval",
        "period",
        "duration",
        "age",
        "days",
        "hours",
        "minutes",
        "seconds",
        "delay",
        "refresh",
        "cache",
        "rotation",
        "hash",
        "hashed",
        "digest",
        "checksum",
        "encrypted",
        "question",
        "hint",
        "history",
        "complexity",
        "strength",
        "attempts",
        "retries",
        "user",
        "username",
        "login",
        "email",
        "owner",
        "group",
        "region",
        "zone",
        "description",
        "serializer",
        "deserializer",
        "serde",
        "proxy",
        "plugin",
        "module",
        "handler",
        "filter",
        "mapping",
        "lookup",
        "cookie",
        "request",
        "response",
        "status",
        "state",
        "metrics",
        "groups",
        "authentication",
        "authorization",
        "auth",
    }
)
#: Values that say how a credential is handled, not what it is (``PASSWORD_AUTHENTICATION:
#: disabled``, ``SECRET_BLAH: kubernetes``), under a name that only mentions one.
_SETTING_VALUES = frozenset(
    {
        "enabled",
        "disabled",
        "required",
        "optional",
        "strict",
        "internal",
        "external",
        "readonly",
        "readwrite",
        "plaintext",
        "encrypted",
        "bcrypt",
        "argon2id",
        "pbkdf2",
        "kubernetes",
    }
)


@lru_cache(maxsize=4096)
def inner_credential_name(name: str) -> tuple[NameKind, str] | None:
    """A credential word that is not the last word of ``name``: ``SECRET_KEY_BASE`` (Rails),
    ``SECRET_BLAH``, ``DB_PASSWORD_PRIMARY``, ``SESSION_KEY_MATERIAL``. Returns the kind of the
    longest credential-naming head of the name (``strong`` or ``weak``) and that head, unless a
    word after it is a setting word (``SECRET_ID``, ``TOKEN_ENDPOINT``: :data:`_SETTING_TAILS`)
    or any word is a flag word (``MAX_TOTAL_TOKENS``). Only for names :func:`credential_name`
    rejects, and only counted with a value that looks like a secret (:func:`named_credential`)."""
    ws = words(name)
    if len(ws) < 2 or any(w in _FLAG_WORDS for w in ws):
        return None
    for i in range(len(ws) - 1, 0, -1):
        if any(w in _SETTING_TAILS for w in ws[i:]):
            continue
        head = "_".join(ws[:i])
        kind = _credential_name(head)
        if kind in ("strong", "weak"):
            return kind, head
    return None


# --- values -------------------------------------------------------------------------------------

#: Stand-ins that only credential values use, beyond the template expressions and fill-ins that
#: every rule skips (:func:`ekslint.linter.placeholders.is_placeholder`). Each alternative runs in
#: linear time (see that module).
_CREDENTIAL_STAND_INS = LazyPattern(
    r"\bENC\(|^![A-Za-z]|\(\.[*+]\)|\.\*|\\[dws]"
    # SCREAMING_SNAKE names (GOOGLE_API_KEY_VAL, HF_TOKEN) and upper-case words ending like a
    # credential noun (nvapi-NVKEY, MY_TOKEN) stand for the value, they are not one
    r"|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|(?:^|[^A-Za-z0-9])[A-Z]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD)(?:$|[^A-Za-z0-9])"
    # code that reads the value from elsewhere: os.environ["X"], getenv("X"), process.env.X
    r"|^[A-Za-z_][\w.]*\s*[\[(]|\bos\.environ\b|\bprocess\.env\b"
)
_PLACEHOLDER_MARKERS = (
    "changeme",
    "change-me",
    "change_me",
    "change me",
    "replace_me",
    "replace-me",
    "replaceme",
    "placeholder",
    "example",
    "redacted",
    "dummy",
    "xxxx",
    "****",
    "your",
    "insert",
    "fill-in",
    "fill_in",
    "fillme",
    "fake",
)
_PLACEHOLDER_WORDS = frozenset(
    {
        "todo",
        "tbd",
        "fixme",
        "none",
        "null",
        "nil",
        "na",
        "notset",
        "unset",
        "empty",
        "secret",
        "secrets",
        "password",
        "passwd",
        "pass",
        "pwd",
        "token",
        "apikey",
        "key",
        "hidden",
        "masked",
        "undefined",
        "default",
        "required",
        "optional",
        "string",
        "value",
        "xxx",
        "changeit",
        "generated",
        "random",
        "notused",
        "unused",
    }
)
#: Words a value can be made of and still only name the slot (``my-password``, ``secret-key``).
_GENERIC_PARTS = frozenset(
    {
        "my",
        "your",
        "the",
        "a",
        "some",
        "sample",
        "here",
        "value",
        "secret",
        "password",
        "passwd",
        "pass",
        "pw",
        "pwd",
        "token",
        "key",
        "api",
        "access",
        "private",
        "bearer",
        "auth",
        "client",
        "user",
        "username",
        "admin",
    }
)
_BLOCK_INDICATOR = LazyPattern(r"^[|>][+-]?\d?[+-]?$")
_REFERENCE_PREFIXES = (
    "arn:",
    "vault:",
    "ref+",
    "sm://",
    "akv://",
    "gcp:",
    "ssm:",
    "secretsmanager:",
    "file:",
    "env:",
    "k8s:",
    "projects/",
    "secret/",
    "kv/",
    "azurekeyvault:",
    "keyvault:",
)
_NUMBER = LazyPattern(r"^[+-]?\d+(?:[.,_]\d+)*(?:[eE][+-]?\d+)?[kKmMgGsShHdD%]?$")
_BOOLEAN = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n"})
_PATH = LazyPattern(r"^(?:~|\.{1,2})?/[A-Za-z0-9._@%{}$\-]+(?:/[A-Za-z0-9._@%{}$\-]*)*$|^[A-Za-z]:\\")
_URL = LazyPattern(r"^[A-Za-z][A-Za-z0-9+.\-]*://\S*$")
_K8S_NAME = LazyPattern(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def is_placeholder(value: str) -> bool:
    """A value that only stands in for a credential (or is obviously not one)."""
    v = value.strip().strip("\"'").strip()
    if not v:
        return True
    low = v.lower()
    if shared_placeholder(v) or _CREDENTIAL_STAND_INS.search(v):
        return True
    if any(marker in low for marker in _PLACEHOLDER_MARKERS):
        return True
    parts = [p for p in re.split(r"[^a-z0-9]+", low) if p]
    if len(parts) > 1 and all(p in _GENERIC_PARTS for p in parts):
        return True  # my-password, your_api_key, my-secret-pw: says what goes there, is not it
    alnum = re.sub(r"[^a-z0-9]", "", low)
    if not alnum or alnum in _PLACEHOLDER_WORDS or len(set(low)) == 1 or _BLOCK_INDICATOR.match(v):
        return True
    return low.startswith(_REFERENCE_PREFIXES)


def is_credential_value(value: object, name: str | None = None) -> bool:
    """Could this value be a real credential (not empty, a placeholder, number, boolean, path, URL
    without a password, or the name of a Kubernetes Secret under a ``...Secret`` key)?"""
    if not isinstance(value, str):
        return False  # YAML numbers and booleans: PASSWORD_MIN_LENGTH: 12, use-token: true
    v = value.strip().strip("\"'").strip()
    if is_placeholder(v) or _NUMBER.match(v) or v.lower() in _BOOLEAN or _PATH.match(v):
        return False
    if _URL.match(v) and not url_password(v):
        return False
    if name is not None:
        ws = words(name)
        secretish = ("secret", "secrets", "creds", "credentials", "credential")
        if (
            ws
            and (ws[-1].endswith("secret") or ws[-1] in ("credentials", "creds"))
            and _K8S_NAME.match(v)
            and any(part in secretish for part in re.split(r"[-.]", v))
        ):
            return False  # secret: my-app-secret names a Kubernetes Secret
    return True


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values()) if n else 0.0


_TOKENISH = LazyPattern(r"^[A-Za-z0-9+/=_\-]{16,}$")


def high_entropy(value: str) -> bool:
    """A random-looking token: >= 16 token characters, letters and digits, >= 3.5 bits/char."""
    v = value.strip().strip("\"'")
    if not _TOKENISH.match(v):
        return False
    classes = sum(bool(re.search(p, v)) for p in (r"[a-z]", r"[A-Z]", r"\d"))
    return classes >= 2 and bool(re.search(r"\d", v)) and entropy(v) >= 3.5


#: Values that are never a password: a multi-word lower-case name (``kubernetes-secrets``,
#: ``my_app``), a dotted identifier or host name (``org.apache.Foo``, ``sts.amazonaws.com``).
_WORDY = LazyPattern(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$|^[A-Za-z_][\w-]*(?:\.[A-Za-z_$][\w$-]*)+$")


def looks_secret(value: str) -> bool:
    """Does a value under a name that only *mentions* a credential look like one? A random
    string (:func:`high_entropy`), a well-known token (:data:`TOKEN_SHAPES`), or a password-like
    single word of at least 8 characters that is not a multi-word name, a dotted identifier or a
    setting (:data:`_SETTING_VALUES`)."""
    v = value.strip().strip("\"'")
    if high_entropy(v) or any(shape.pattern.fullmatch(v) for shape in TOKEN_SHAPES):
        return True
    if len(v) < 8 or any(ch.isspace() for ch in v) or v.lower() in _SETTING_VALUES:
        return False
    return not _WORDY.match(v)


# --- value detectors ----------------------------------------------------------------------------

AWS_KEY_ID = LazyPattern(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")
AWS_SECRET_KEY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_JWT = LazyPattern(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}")
#: A PEM private-key header; :func:`_pem_blocks` finds its body.
_PEM = LazyPattern(r"-----BEGIN (?P<type>[A-Z0-9 ]*?)PRIVATE KEY(?: BLOCK)?-----")
_PEM_BODY = re.compile(r"[A-Za-z0-9+/=]{32,}")
_CONN_PASSWORD = LazyPattern(r"(?i)(?:^|[;\s])(?:password|pwd)\s*=\s*(?P<pw>[^;]*)")


def url_password(value: str) -> str | None:
    """The password of the first ``scheme://user:password@host`` URL in ``value`` that is not a
    placeholder, or ``None``."""
    for url in url_passwords(value):
        pw = value[url.password_start : url.password_end]
        if not is_placeholder(pw) and not is_placeholder(pw.strip("*")):
            return pw
    return None


def connection_password(value: str) -> bool:
    """A connection string with a real password: ``Server=..;Password=s3cr3t`` or a URL with one."""
    if url_password(value):
        return True
    return any(is_credential_value(m.group("pw")) for m in _CONN_PASSWORD.finditer(value))


def is_aws_secret_key(token: str) -> bool:
    """The shape of an AWS secret access key: 40 base64 characters mixing cases and digits."""
    return (
        len(token) == 40
        and AWS_SECRET_KEY.fullmatch(token) is not None
        and "EXAMPLE" not in token
        and bool(re.search(r"[a-z]", token))
        and bool(re.search(r"[A-Z]", token))
        and bool(re.search(r"\d", token))
    )


def mask_key_id(key_id: str) -> str:
    """``AKIA************MPLE``: the prefix and the last four characters, as the AWS console shows."""
    return key_id[:4] + "*" * (len(key_id) - 8) + key_id[-4:]


class Hit(NamedTuple):
    """A credential found in a text: what it is, and where (0-based line and column in the text)."""

    what: str
    line: int = 0
    col: int = 0
    key: str | None = None
    aws: bool = False


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start


def key_ids(text: str) -> list[re.Match[str]]:
    """The AWS access key ids in ``text``, the documentation's ``...EXAMPLE`` keys left out."""
    if "AKIA" not in text and "ASIA" not in text:
        return []  # what nearly every value says: skip the regular expression
    return [m for m in AWS_KEY_ID.finditer(text) if "EXAMPLE" not in m.group()]


def may_hold_aws_key(text: str) -> bool:
    """A quick test that :func:`aws_hits` may find something in ``text``: a key id starts with
    ``AKIA``/``ASIA``, and a secret key is a run of 40 base64 characters (which a whole-text
    search finds wherever the line-by-line one does). Most values are neither."""
    return "AKIA" in text or "ASIA" in text or (len(text) >= 40 and AWS_SECRET_KEY.search(text) is not None)


def aws_hits(text: str, name: str | None = None, *, beside_key_id: bool = False) -> list[Hit]:
    """AWS access key ids and secret access keys in ``text``: every key id; a 40-character secret key
    when the text (or the mapping it sits in: ``beside_key_id``) also holds a key id, or when the key
    is named like one (``aws_secret_access_key``), also inside embedded ``key = value`` lines."""
    hits: list[Hit] = []
    if not may_hold_aws_key(text):
        return hits
    ids = key_ids(text)
    for m in ids:
        line, col = _line_col(text, m.start())
        hits.append(Hit(f"an AWS access key id ({mask_key_id(m.group())})", line, col, name, aws=True))
    any_secret = bool(ids) or beside_key_id or (name is not None and is_aws_secret_name(name))
    if not any_secret and "secret" not in text.lower():
        return hits  # no line can name a secret key (see below)
    lines = text.split("\n")
    for i, line_text in enumerate(lines):
        secret_line = any_secret
        if not secret_line and ("secret" in line_text.lower()):
            secret_line = any(is_aws_secret_name(k) for k, _, _ in _pairs(line_text))
        if not secret_line:
            continue
        for m in AWS_SECRET_KEY.finditer(line_text):
            if is_aws_secret_key(m.group()):
                hits.append(Hit("an AWS secret access key", i, m.start(), name, aws=True))
    return hits


_PEM_END = "-----END"
#: Longest PEM body read (a 4096-bit RSA key is about 3,200 characters).
_PEM_MAX_BODY = 4000


def _pem_blocks(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each PEM private-key header and its body: the text up to the next ``-----END``, or to the end
    of the text (before a final newline), when that is at most :data:`_PEM_MAX_BODY` characters
    on; a header with neither is not a key block.

    The body is not a lazy ``.{0,4000}?`` in the pattern: at every header of a text made of
    headers, that read 4,000 characters before failing (0.3 s per 100 KB). Here the next
    ``-----END`` is looked up once for all the headers before it.
    """
    text_end = len(text) - 1 if text.endswith("\n") else len(text)  # where the old pattern's $ matched
    next_end = -1  # the first -----END at or after the current body's start (len(text) + 1: none)
    pos = 0
    while (m := _PEM.search(text, pos)) is not None:
        start = m.end()
        if next_end < start:
            found = text.find(_PEM_END, start)
            next_end = found if found >= 0 else len(text) + 1
        end = min(next_end, text_end)
        if end - start > _PEM_MAX_BODY:
            pos = m.start() + 1
            continue
        yield m, text[start:end]
        pos = end + len(_PEM_END) if end == next_end else end


def value_hits(text: str) -> list[Hit]:
    """Credentials recognisable by their shape alone, wherever they are in ``text``."""
    hits = aws_hits(text)
    # Each pattern runs only where the text it cannot match without is present.
    for m, body in _pem_blocks(text) if "PRIVATE KEY" in text else ():
        body = body.replace("\\n", "\n")
        if _PEM_BODY.search(body) and "EXAMPLE" not in body:
            line, col = _line_col(text, m.start())
            kind = m.group("type").strip()
            hits.append(Hit(f"a PEM {kind + ' ' if kind else ''}private key", line, col))
    for m in _JWT.finditer(text) if "eyJ" in text else ():
        line, col = _line_col(text, m.start())
        hits.append(Hit("a JSON Web Token", line, col))
    for shape in TOKEN_SHAPES if may_hold_token(text) else ():
        for m in shape.pattern.finditer(text):
            if not is_placeholder(m.group()) and entropy(m.group()) >= 3.0:
                line, col = _line_col(text, m.start())
                hits.append(Hit(shape.what, line, col))
    for url in url_passwords(text) if "://" in text and "@" in text else ():
        pw = text[url.password_start : url.password_end]
        if not is_placeholder(pw) and not is_placeholder(pw.strip("*")):
            line, col = _line_col(text, url.start)
            what = f"a URL with the password of user {url.user!r}" if url.user else "a URL with a password"
            hits.append(Hit(what, line, col))
    return hits


# --- key/value pairs inside embedded files -----------------------------------------------------

_LINE_PAIR = LazyPattern(
    r"^(?P<indent>\s*(?:export\s+|-\s+|set\s+)?)[\"']?(?P<key>[A-Za-z_][\w.\-]{0,100}?)[\"']?"
    r"\s*(?:(?P<eq>=)|:(?=\s|$))\s*(?P<value>.*)$"
)
_JSON_PAIR = LazyPattern(r"\"(?P<key>[A-Za-z_][\w.\-]{0,100})\"\s*:\s*\"(?P<value>(?:[^\"\\]|\\.)*)\"")
_XML_PAIR = LazyPattern(r"<(?P<key>[A-Za-z_][\w.\-]{0,100})>(?P<value>[^<]{1,500})</(?P=key)>")
_FLAG_PAIR = LazyPattern(r"(?:^|\s)--?(?P<key>[A-Za-z][\w.\-]{0,100})[= ](?P<value>\"[^\"]*\"|'[^']*'|\S+)")
_SYSPROP_PAIR = LazyPattern(r"(?:^|\s)-D(?P<key>[A-Za-z][\w.\-]{0,100})=(?P<value>\"[^\"]*\"|'[^']*'|\S+)")


#: A YAML comment: a ``#`` after a blank (the blanks before it go with it).
_YAML_COMMENT = re.compile(r"\s#")


def _clean(value: str, *, yaml_like: bool) -> str:
    v = value.strip()
    if v[:1] in ('"', "'"):
        end = v.find(v[0], 1)
        return v[1:end] if end > 0 else v[1:]
    if yaml_like:
        comment = _YAML_COMMENT.search(v)  # not split on \s+#: each blank of a run retried the whole run
        if comment is not None:
            v = v[: comment.start()].rstrip()
    return v.rstrip(",;").strip()


def _pairs(line: str) -> list[tuple[str, str, int]]:
    """``(key, value, column)`` pairs on one line of an embedded file (properties, ini, env, YAML,
    JSON, XML elements, ``--flag=value`` and ``-Dprop=value`` arguments)."""
    out: list[tuple[str, str, int]] = []
    # Each pattern is only run on lines holding the text it needs (a quote, "</", "=" or ":",
    # "-D", "-"): most lines of an embedded file lack most of them.
    for rx, needed in ((_JSON_PAIR, '"'), (_XML_PAIR, "</")):
        if needed in line:
            out.extend((m.group("key"), m.group("value"), m.start()) for m in rx.finditer(line))
    if out:
        return out
    m = _LINE_PAIR.match(line) if "=" in line or ":" in line else None
    if m and not m.group("value").startswith("//"):
        out.append((m.group("key"), _clean(m.group("value"), yaml_like=m.group("eq") is None), len(m.group("indent"))))
    for rx, needed in ((_SYSPROP_PAIR, "-D"), (_FLAG_PAIR, "-")):
        if needed in line:
            out.extend(
                (m.group("key"), _clean(m.group("value"), yaml_like=False), m.start("key")) for m in rx.finditer(line)
            )
    return out


_NOUNS = {"strong": "a credential", "weak": "a secret value", "connection": "a connection string with a password"}


def describe_name(name: str) -> str:
    """``a password``, ``a token``, ``an API key``... for a credential-like key name."""
    ws = words(name)
    head = ws[-1] if ws else ""
    joined = "".join(ws)
    if head == "id" and "accesskey" in joined:
        return "an access key id"
    if head.endswith("key"):
        for part, text in (
            ("api", "an API key"),
            ("secret", "a secret key"),
            ("private", "a private key"),
            ("access", "an access key"),
        ):
            if part in joined:
                return text
        return "a secret key"
    for noun, text in (
        ("password", "a password"),
        ("passwd", "a password"),
        ("passphrase", "a passphrase"),
        ("pass", "a password"),
        ("pwd", "a password"),
        ("secret", "a secret"),
        ("token", "a token"),
        ("cred", "credentials"),
    ):
        if noun in head:
            return text
    return _NOUNS.get(credential_name(name) or "strong", "a credential")


def named_credential(name: str, value: object) -> str | None:
    """What ``name: value`` holds when the *key* names a credential and the value is a real one.

    A name with a credential word before its last word (``SECRET_KEY_BASE``, ``SECRET_BLAH``: see
    :func:`inner_credential_name`) counts only with a value that looks like a secret: a strong
    word with :func:`looks_secret`, a weak one with :func:`high_entropy`."""
    kind = credential_name(name)
    if kind is None:
        inner = inner_credential_name(name)
        if inner is None or not is_credential_value(value, name):
            return None
        assert isinstance(value, str)
        kind, head = inner
        return describe_name(head) if (looks_secret if kind == "strong" else high_entropy)(value) else None
    if not is_credential_value(value, name):
        return None
    assert isinstance(value, str)
    if kind == "weak" and not high_entropy(value):
        return None
    if kind == "connection":
        return _NOUNS["connection"] if connection_password(value) else None
    return describe_name(name)


def pair_hits(text: str) -> list[Hit]:
    """Credentials in the ``key = value`` / ``key: value`` / ``"key": "value"`` lines of a text."""
    hits: list[Hit] = []
    for i, line in enumerate(text.split("\n")):
        if len(line) > 4000 or not may_name_credential(line):
            continue  # a key of the line names a credential only if the line holds its word
        for key, value, col in _pairs(line):
            what = named_credential(key, value)
            if what:
                hits.append(Hit(f"{what} under {key!r}", i, col, key))
                break
    return hits


def scan_value(name: str, value: str) -> list[Hit]:
    """Every credential in the string value of key ``name``: one hit per line at most.

    A multi-line value is an embedded file, scanned line by line; a single-line value counts when
    its key names a credential, when its shape is a credential, or when it embeds ``key=value``
    pairs that are (``-Dspring.datasource.password=...``, ``{"token": "..."}``).
    """
    text = value.strip("\n")
    if "\n" not in text.strip():
        what = named_credential(name, text.strip())
        if what:
            return [Hit(what, key=name)]
        found = value_hits(text)
        if found:
            return [found[0]]
        paired = pair_hits(text)
        return paired[:1]
    offset = len(value) - len(value.lstrip("\n"))
    hits = value_hits(text) + pair_hits(text)
    seen: set[int] = set()
    out: list[Hit] = []
    for hit in hits:  # value shapes first: "an AWS access key id" says more than "a credential"
        if hit.line not in seen:
            seen.add(hit.line)
            out.append(Hit(hit.what, hit.line + offset, hit.col, hit.key, hit.aws))
    return sorted(out, key=lambda h: (h.line, h.col))


def decode_base64(value: object) -> str | None:
    """A Secret ``data`` / ConfigMap ``binaryData`` value as text, or ``None`` (not base64, binary)."""
    if not isinstance(value, str):
        return None
    try:
        raw = base64.b64decode("".join(value.split()), validate=True)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None

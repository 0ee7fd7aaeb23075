"""plaintext-secret: a ``Secret`` manifest with its ``data``/``stringData`` committed.

Secret ``data`` is base64, not encryption: anyone who can read the repository can read the
secret, forever (Git history). External Secrets, Sealed Secrets or the Secrets Store CSI driver
keep only a reference or ciphertext in Git. A Secret is reported when at least one entry holds
something worth protecting (Helm and kustomize ``secretGenerator`` output included); entries that
are empty or placeholders (``${PASSWORD}``, ``changeme``, ``<base64-encoded-...>``), plain
settings (``url``, ``username``, ``type``, ``region``, booleans, numbers) and embedded files with
no credential in them (a CA bundle, Diffie-Hellman parameters, a datasource list without a
password) hold nothing secret and do not count.
"""

import base64
import binascii
from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.secrets._credentials import (
    credential_name,
    is_credential_value,
    is_placeholder,
    scan_value,
    words,
)

#: Last words of keys that hold settings, not secrets (Argo CD repository Secrets, cloud configs).
_SETTINGS = frozenset(
    {
        "url",
        "uri",
        "name",
        "type",
        "project",
        "insecure",
        "oci",
        "lfs",
        "username",
        "user",
        "login",
        "email",
        "region",
        "description",
        "namespace",
        "endpoint",
        "host",
        "hostname",
        "server",
        "port",
        "database",
        "db",
        "dbname",
        "schema",
        "protocol",
        "scheme",
        "group",
        "id",
        "arn",
        "path",
        "dir",
        "version",
        "kind",
        "mode",
        "zone",
        "location",
        "expiration",
        "groups",
        "crt",
        "cert",
        "certificate",
        "ca",
        "bundle",
    }
)


def _sensitive(key: str, value: object, encoded: bool) -> bool:
    """Does this entry hold something worth protecting?"""
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return False
    if not isinstance(value, str):
        return False  # a YAML list or mapping is not a valid value (schema-invalid), nothing to leak
    text = value
    if encoded:
        try:
            raw = base64.b64decode("".join(value.split()), validate=True)
        except (binascii.Error, ValueError):
            return False  # not base64: a placeholder written in clear (the API server rejects it anyway)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            # binary content (a keystore) is a real value, unless the "base64" is a word written in
            # clear that happens to decode (root_password: password)
            return bool(raw) and not is_placeholder(value)
    if "\n" in text.strip():  # an embedded file: sensitive when it holds a credential
        if scan_value(key, text):
            return True
        # a multi-line value under a credential key (an SSH key, a credentials file), unless it is a
        # PEM block without a body ("-----BEGIN ... KEY-----\n...\n-----END"), which the scan rejected
        return credential_name(key) is not None and "-----BEGIN" not in text and not is_placeholder(text)
    if scan_value(key, text):  # a credential by name or shape, or inside a JSON/env-style value
        return True
    ws = words(key)
    if ws and ws[-1] in _SETTINGS:
        return False
    return is_credential_value(text) and not is_placeholder(text)


@rule(
    id="plaintext-secret",
    title="Secrets should not be committed with their data",
    level=Level.NOTE,
    targets=(K8sObject,),
    kinds=("Secret",),
    tags=("security", "secrets"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    for field in ("data", "stringData"):
        data = obj.get(field)
        if not isinstance(data, dict):
            continue
        keys = [str(k) for k, v in data.items() if _sensitive(str(k), v, field == "data")]
        if not keys:
            continue
        shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
        how = "base64 is an encoding, not encryption" if field == "data" else "stringData is plain text"
        yield Finding(
            f"{obj.ref} commits {field} ({shown}): {how}; keep the values out of the repository "
            "with External Secrets, Sealed Secrets or the Secrets Store CSI driver",
            (field,),
        )

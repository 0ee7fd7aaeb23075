"""secret-in-configmap: a credential in a ConfigMap's ``data`` or ``binaryData``.

ConfigMaps are for non-confidential data: they are not encrypted with the cluster's KMS key, RBAC
rarely restricts reading them, and they are printed by ``kubectl describe``. Credentials are found
by key name (``DB_PASSWORD``, ``apiKey``; ``SECRET_KEY_BASE`` with a secret-looking value) and by
value shape (AWS keys, PEM private keys, JWTs, ``user:password@`` URLs, known token formats);
embedded files are scanned line by line and the finding points at the line inside the block. The
secret itself is never printed.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.nodes import LMap
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.secrets._blocks import line_in_scalar
from ekslint.rules.secrets._credentials import decode_base64, scan_value

_FIX = "move it to a Secret (better: an external secret store, or IRSA/EKS Pod Identity for AWS access)"


@rule(
    id="secret-in-configmap",
    title="ConfigMaps must not hold credentials",
    level=Level.ERROR,
    targets=(K8sObject,),
    kinds=("ConfigMap",),
    tags=("security", "secrets"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    for field in ("data", "binaryData"):
        data = obj.get(field)
        if not isinstance(data, LMap):
            continue
        for key, value in data.items():
            text = value if field == "data" else decode_base64(value)
            if not isinstance(text, str) or not text.strip():
                continue
            for hit in scan_value(str(key), text):
                pos = None
                if field == "data" and "\n" in text.strip("\n"):
                    pos = line_in_scalar(obj.file, data.vpos[key], text, hit.line, hit.col)
                where = f"{field} key {str(key)!r}" + (f" line {hit.line + 1}" if "\n" in text.strip("\n") else "")
                yield Finding(
                    f"{obj.ref}: {where} holds {hit.what}; ConfigMaps are not confidential: {_FIX}",
                    (field, key),
                    pos=pos,
                )

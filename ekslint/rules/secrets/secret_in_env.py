"""secret-in-env: a container env var that names a credential and sets it as a literal ``value``.

A literal in ``env[].value`` lives in the manifest, in Git, in the ReplicaSet history and in every
``kubectl get -o yaml``; ``valueFrom.secretKeyRef`` keeps it in a Secret (and out of the repo when
the Secret comes from an external store). A name with a credential word before its last word
(``SECRET_KEY_BASE``) counts when the value looks like a secret, and a well-known token format
counts under any name. Placeholders (``$(VAR)``, ``${VAR}``, ``[password]``, ``changeme``),
numbers, booleans and paths are not credentials. The secret itself is never printed.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.secrets._credentials import scan_value


@rule(
    id="secret-in-env",
    title="Credentials must not be literal env values",
    level=Level.ERROR,
    targets=(Workload,),
    tags=("security", "secrets"),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c in w.containers:
        env = c.spec.get("env")
        for i, var in enumerate(env if isinstance(env, list) else []):
            if not isinstance(var, dict) or "value" not in var or "valueFrom" in var:
                continue
            name, value = str(var.get("name", "")), var.get("value")
            if not isinstance(value, str):
                continue  # YAML numbers/booleans: not credentials (and yaml-implicit-type's business)
            hits = scan_value(name, value)
            if hits:
                what = hits[0].what
                yield Finding(
                    f"{w.ref}: {c.describe} sets env {name!r} to {what} as a literal value; use "
                    "valueFrom.secretKeyRef (with the Secret from an external store) instead",
                    c.path + ("env", i, "value"),
                )

"""schema-invalid: an object that fails the OpenAPI schema of its kind at the target version."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.input._schema import plain_text, problems


@rule(id="schema-invalid", title="Objects must match the schema of their kind", level=Level.ERROR,
      targets=(K8sObject,), tags=("input", "schema"))
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    for p in problems(obj, ctx):
        if p.kind == "type" and "string" in p.expected and isinstance(p.instance, (bool, int, float)) and (
            p.coerced or plain_text(obj, p.path) is not None
        ):
            # An unquoted yes/1.10/8080 where a string is wanted: yaml-implicit-type explains it (the API
            # server rejects it; eksctl turns it into text, which is fine unless the text changed).
            continue
        yield Finding(p.message, p.path)

"""schema-invalid: an object that fails the OpenAPI schema of its kind at the target version."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.input._ports import port_problems
from ekslint.rules.input._schema import plain_text, problems


@rule(
    id="schema-invalid",
    title="Objects must match the schema of their kind",
    level=Level.ERROR,
    targets=(K8sObject,),
    tags=("input", "schema"),
)
def check(obj: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    for p in problems(obj, ctx):
        if (
            p.kind == "type"
            and "string" in p.expected
            and isinstance(p.instance, (bool, int, float))
            and (p.coerced or ("yaml-implicit-type" in ctx.active and plain_text(obj, p.path) is not None))
        ):
            # eksctl turns the value into text (fine unless the text changed); an unquoted
            # yes/1.10/8080 the API server rejects is explained by yaml-implicit-type when it runs.
            continue
        yield Finding(p.message, p.path)
    for message, path in port_problems(obj):  # what the API server's validation adds to the schema
        yield Finding(message, path)

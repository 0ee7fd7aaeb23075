"""duplicate-env: a container that defines the same env var twice.

With a repeated name only the last entry takes effect, silently: the value a reader sees first
is not the one the process gets. ``kubectl apply`` merges ``env`` by name, so later edits to one
of the copies can be lost, and server-side apply can refuse the list
("duplicate entries for key [name=...]").
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.nodes import LSeq
from ekslint.linter.registry import Finding, Level, rule


@rule(
    id="duplicate-env",
    title="Containers should not define an env var twice",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("correctness",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c in w.containers:
        env = c.spec.get("env")
        if not isinstance(env, list):
            continue
        seen: dict[str, int] = {}
        for i, item in enumerate(env):
            name = item.get("name") if isinstance(item, dict) else None
            if not isinstance(name, str):
                continue
            if name in seen:
                first = seen[name]
                where = f" (first at line {env.ipos[first].line})" if isinstance(env, LSeq) else ""
                yield Finding(
                    f"{c.describe} defines env var {name!r} again{where}: only the last value takes "
                    "effect, and server-side apply can refuse duplicate names; keep one entry",
                    (*c.path, "env", i),
                )
            else:
                seen[name] = i

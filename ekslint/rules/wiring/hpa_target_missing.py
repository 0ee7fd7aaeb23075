"""hpa-target-missing: an HPA whose ``scaleTargetRef`` is not defined.

An HPA pointing at a workload that does not exist (a typo, a renamed Deployment, the wrong kind)
scales nothing and only reports ``FailedGetScale``: the service it was meant to protect never
scales out. Partial input: reported only when the scan holds an object of the referenced kind in
the HPA's namespace, shipped with it (same file, same folder, or a folder above or below).
Placeholder names (``${APP}``, ``{{ .Release.Name }}-api``) are unknown: a target named by one is
not judged, nor is any target beside an object of that kind named by one.
"""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import K8sObject, Workload
from ekslint.linter.placeholders import is_placeholder
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.scheduling._hpa import HPA_GK, scale_target
from ekslint.rules.wiring._refs import is_fragment, scope_evidence


@rule(
    id="hpa-target-missing",
    title="HPA scaleTargetRef should name an existing workload",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=(HPA_GK,),
    tags=("autoscaling",),
)
def check(hpa: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    target = scale_target(hpa)
    if target is None:
        return
    kind, name = target
    if is_placeholder(name):
        return  # filled in later
    ns = hpa.effective_namespace
    same_kind = ctx.index.of_kind(kind, namespace=ns)
    if any(o.name == name or is_placeholder(o.name) for o in same_kind):
        return  # defined, or maybe the one named by a placeholder
    # Partial input: silent unless objects of that kind are shipped with the HPA.
    shipped = [o for o in scope_evidence(ctx, hpa, same_kind) if not (isinstance(o, Workload) and is_fragment(o))]
    if not shipped:
        return
    yield Finding(
        f"scaleTargetRef {kind}/{name} is not defined in namespace {hpa.shown_namespace!r} (the scan has "
        f"{len(shipped)} other {kind}(s) there beside this HPA): {hpa.ref} scales nothing; fix the "
        "name or kind",
        ("spec", "scaleTargetRef", "name"),
    )

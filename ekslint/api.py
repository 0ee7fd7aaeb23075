"""The public API for rule plugins: everything a rule needs, importable from one module.

Names here are stable across minor versions of ekslint (they change only with a major version,
and a removal is announced a minor version ahead); anything imported from ``ekslint.linter``
directly is internal and may change in any release.

A rule is a function decorated with :func:`rule` that yields :class:`Finding` objects for one
target (an object view such as :class:`Workload`, a :class:`SourceFile`, a :class:`Cluster`
or the :class:`ScanIndex` of the whole scan)::

    from ekslint.api import Finding, Level, RuleContext, Workload, rule

    @rule(
        id="acme/required-team-label",
        title="Workloads carry the owning team's label",
        level=Level.WARNING,
        targets=(Workload,),
        help_url="https://wiki.acme.example/k8s/required-team-label",
    )
    def check(w: Workload, ctx: RuleContext):
        if "team" not in w.labels:
            yield Finding(f"{w.ref} has no 'team' label: who gets paged?", path=("metadata",))

The engine resolves ``path`` (keys and indexes inside the target object) to the line and column
of the finding, applies levels, config, suppressions, baselines and every output format, exactly
as for the built-in rules. Rules must be pure: no I/O, no network, no global state.
"""

from __future__ import annotations

from ekslint.linter.cluster.model import Addon, Cluster, FargateProfile, Field, NodeGroup, Site, Subnet
from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex
from ekslint.linter.loader import SourceFile
from ekslint.linter.model import ClusterConfig, Container, K8sObject, Workload
from ekslint.linter.nodes import NodePath, Pos
from ekslint.linter.registry import Finding, Level, NoOptions, RuleMeta, rule
from ekslint.linter.selectors import label_selector_matches

__all__ = [
    "Addon",
    "Cluster",
    "ClusterConfig",
    "Container",
    "FargateProfile",
    "Field",
    "Finding",
    "K8sObject",
    "Level",
    "NoOptions",
    "NodeGroup",
    "NodePath",
    "Pos",
    "RuleContext",
    "RuleMeta",
    "ScanIndex",
    "Site",
    "SourceFile",
    "Subnet",
    "Workload",
    "label_selector_matches",
    "rule",
]

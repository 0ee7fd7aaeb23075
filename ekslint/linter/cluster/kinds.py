"""What rules and the engine name of the cluster model without building it.

A rule that judges clusters declares ``targets=(ClusterDefinition,)``; every
:class:`~ekslint.linter.cluster.model.Cluster` is one. The model's dataclasses take about 13 ms to
create, which a one-manifest pre-commit run should not pay: rule modules import the model only
for type checking, and the engine only when the scan holds a cluster definition.
"""

from typing import Any

#: The sources a cluster can be defined in.
EKSCTL, TERRAFORM, CLOUDFORMATION = "eksctl", "terraform", "cloudformation"


class ClusterDefinition:
    """The base of :class:`~ekslint.linter.cluster.model.Cluster`: what rule targets name."""

    __slots__ = ()
    #: Where the cluster is defined (a :class:`~ekslint.linter.cluster.model.Site`).
    site: Any

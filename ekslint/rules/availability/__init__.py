"""Rules of family availability: whether drains, managed node group updates and Karpenter
consolidation can move pods without an outage, and without hanging.

The cross-object rules here (PodDisruptionBudget vs the workloads it selects, HPA floors) follow
the disruption controller's own arithmetic. Shared logic, so every rule counts pods the same way:
``_workloads`` (desired replica counts, autoscalers, the pod template a workload runs), ``_pdb``
(PDB selectors and budgets), ``_probes`` (which containers probes apply to) and ``_overlays``
(Kustomize patches, labels and namespaces, which the rules must not judge from the base alone).
"""

"""Controllers that elect a leader unless told not to, and one that must run alone.

Each default is read from the project's own code:

* cluster-autoscaler: kubernetes/autoscaler ``cluster-autoscaler/main.go`` sets ``LeaderElect =
  true`` before binding ``--leader-elect``. Its cloud-provider forks keep that ``main.go``.
* AWS Load Balancer Controller: kubernetes-sigs/aws-load-balancer-controller
  ``pkg/config/runtime_config.go``, ``--enable-leader-election`` defaults to true; the v1 ALB
  Ingress Controller (image ``aws-alb-ingress-controller``, also the name of early v2 images) has
  ``defaultLeaderElection = true``.
* Karpenter: kubernetes-sigs/karpenter ``pkg/operator/options``, ``--disable-leader-election``
  (env ``DISABLE_LEADER_ELECTION``) defaults to false.
* cert-manager: ``internal/apis/config/{controller,cainjector}/v1alpha1`` defaults,
  ``leaderElectionConfig.enabled: true`` (flag ``--leader-elect``). Its webhook has no leader
  election: every replica answers.
* external-dns has no leader election at all: the proposal
  (kubernetes-sigs/external-dns ``docs/proposal/001-leader-election.md``) is ``not-planned``, and
  the maintainers ask for exactly one replica (issues #2430, #5978): two would write the same
  records.

Images are matched on the last segments of their repository path (registry and tag dropped), so
mirrors (``602401143452.dkr.ecr…/eks/aws-load-balancer-controller``) and forks that keep the
name match too.
"""

from __future__ import annotations

#: Repository path suffix -> the controller, for images that elect a leader by default.
LEADER_ELECTED_IMAGES: dict[str, str] = {
    "cluster-autoscaler": "cluster-autoscaler",
    "aws-load-balancer-controller": "the AWS Load Balancer Controller",
    "aws-alb-ingress-controller": "the AWS Load Balancer Controller",
    "karpenter/controller": "Karpenter",
    "cert-manager-controller": "cert-manager's controller",
    "cert-manager-cainjector": "cert-manager's cainjector",
}

#: Repository path suffix -> the controller, for images that must run as one replica.
SINGLETON_IMAGES: dict[str, str] = {
    "external-dns": "external-dns",
}

#: Boolean flags that switch leader election on (Go flag syntax: ``-x``, ``--x``, ``--x=false``):
#: client-go's ``--leader-elect``, the CSI sidecars' ``--leader-election``, kubebuilder v2's
#: and the LBC's ``--enable-leader-election``. ``--leader-elect-lease-duration``,
#: ``--leader-election-id`` and ingress-nginx's ``--election-id`` configure an election; they
#: do not switch it on.
ENABLE_FLAGS = frozenset({"leader-elect", "leader-election", "enable-leader-election"})
#: Boolean flags that switch it off (Karpenter, Contour).
DISABLE_FLAGS = frozenset({"disable-leader-election"})
#: Environment variables that switch it off (Karpenter reads its flags from the environment too).
DISABLE_ENV = frozenset({"DISABLE_LEADER_ELECTION"})

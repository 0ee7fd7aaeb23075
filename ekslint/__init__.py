"""ekslint: a static analyser for Kubernetes manifests and Amazon EKS cluster configs."""

__version__ = "0.1.0"

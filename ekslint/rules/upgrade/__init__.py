"""Rules of family upgrade: upgrade readiness against the target Kubernetes version."""

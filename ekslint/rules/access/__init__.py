"""Rules of family access (H): IAM and RBAC grants.

Who may do what in the cluster is written in four places a static scan can read: the ``aws-auth``
ConfigMap (IAM principals to Kubernetes groups), RBAC roles and their bindings, and the IRSA
annotation on ServiceAccounts. Kubernetes' own bootstrap RBAC objects (``system:*``,
``cluster-admin``, labelled ``kubernetes.io/bootstrapping: rbac-defaults``) appear in cluster dumps
but are reconciled by the API server, so :mod:`._rbac` keeps the rules from reporting them.
"""

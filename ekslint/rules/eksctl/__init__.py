"""Rules of family L (EKS cluster definitions): what eksctl, Terraform or CloudFormation would build.

A cluster definition is read for what it *creates*, defaults included: an unset eksctl
``vpc.clusterEndpoints.publicAccess`` or Terraform ``endpoint_public_access`` is a public
endpoint, an ``ssh.publicKeyName`` alone opens SSH, a node group without ``maxSize`` gets its
desired capacity. The rules read the source-neutral cluster model (:mod:`ekslint.linter.cluster`),
whose adapters hold each source's defaults with where they come from, so these rules stay
short and agree on them whatever the source.
"""

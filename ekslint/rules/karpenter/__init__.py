"""Rules of family K (Karpenter): NodePools and EC2NodeClasses, plus the IMDS settings they share
with eksctl node groups.

Field shapes and defaults come from the Karpenter v1 CRDs (``shared/reference/karpenter-crds/``,
aws/karpenter-provider-aws v1.14.1). The v1beta1 shapes of the fields read here are the same, so
both versions are checked; v1alpha5 Provisioners are left to ``removed-api``.
"""

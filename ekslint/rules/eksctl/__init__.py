"""Rules of family L (eksctl ClusterConfig): what ``eksctl create cluster -f`` would build.

An eksctl config is read for what it *creates*, defaults included: an unset
``vpc.clusterEndpoints.publicAccess`` is a public endpoint, an ``ssh.publicKeyName`` alone opens
SSH, a node group without ``maxSize`` gets its desired capacity. :mod:`ekslint.linter.eksctl`
holds that model (with the source of every default), so these rules stay short and agree on it.
"""

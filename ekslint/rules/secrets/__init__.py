"""Rules of family secrets (F): credentials committed in manifests.

ConfigMaps, env literals and even Secret manifests end up in Git, in ``kubectl get -o yaml`` output
and in CI logs; a credential written there is readable by everyone who can read the repository.
Detection (key names, value shapes, placeholders, masking) lives in :mod:`._credentials` so that the
four rules agree on what a credential is; :mod:`._blocks` maps a line inside an embedded file back
to its line in the manifest.
"""

"""The Kubernetes CEL libraries cel-expr-python does not have, as custom functions.

cel-expr-python (cel-cpp) brings the standard library, the strings extension (``format``
included), bindings, math, encoders and optional types. Kubernetes adds its own libraries on top
(k8s.io/apiserver/pkg/cel/library); ekslint implements these, so that an expression written for
a cluster runs here unchanged: lists and sets (:mod:`.lists`), regex ``find``/``findAll``
(:mod:`.lists`), URLs (:mod:`.url`), IPs and CIDRs (:mod:`.net`), quantities (:mod:`.quantity`)
and semantic versions (:mod:`.semver`). Not implemented, and reported as such: the authorizer
library (it asks the cluster's RBAC) and the ``format.*`` validators library (``validate``
returns an optional value, which a Python function cannot hand back through cel-expr-python).
"""

from __future__ import annotations

from functools import cache

from cel_expr_python import cel

from ekslint.linter.cel.library import lists, net, quantity, semver, url
from ekslint.linter.cel.library.wrapped import Functions

#: Names of Kubernetes CEL functions ekslint knows it does not implement, and why.
UNSUPPORTED: dict[str, str] = {
    "authorizer": "authorizer checks ask the cluster's RBAC, which a static scan does not have",
    "format": "the format library (format.dns1123Label()…) is not implemented",
}


@cache
def functions() -> Functions:
    fns = Functions()
    for module in (lists, quantity, semver, net, url):
        module.register(fns)
    return fns


def extension() -> cel.CelExtension:
    return cel.CelExtension("ekslint.kubernetes", functions().declarations())

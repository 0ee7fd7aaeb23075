"""The CEL environment ekslint compiles every check and policy expression in.

One environment serves config checks and ValidatingAdmissionPolicies: the variables a policy
sees on the API server (``object``, ``oldObject``, ``request``, ``params``, ``namespaceObject``,
``variables``, ``authorizer``), all dynamically typed as in a policy (``object.namex`` type-checks;
misspelt functions and wrong argument types do not), the extensions Kubernetes enables (strings
with ``format``, bindings, math, optional types) and ekslint's implementation of Kubernetes' own
libraries (:mod:`ekslint.linter.cel.library`).
"""

from __future__ import annotations

from functools import cache

from cel_expr_python import cel
from cel_expr_python.ext import ext_bindings, ext_encoders, ext_math, ext_optional, ext_strings

from ekslint.linter.cel.library import extension

#: Variables of a ValidatingAdmissionPolicy expression; checks see the same names.
VARIABLES = ("object", "oldObject", "request", "params", "namespaceObject", "authorizer", "authorizer.requestResource")


@cache
def cel_env() -> cel.Env:
    dyn = cel.Type.DYN
    variables = dict.fromkeys(VARIABLES, dyn)
    variables["variables"] = cel.Type.Map(cel.Type.STRING, dyn)
    return cel.NewEnv(
        variables=variables,
        extensions=[
            ext_strings.ExtStrings(),
            ext_bindings.ExtBindings(),
            ext_math.ExtMath(),
            ext_encoders.ExtEncoders(),
            ext_optional.ExtOptional(),
            extension(),
        ],
    )

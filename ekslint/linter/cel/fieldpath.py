"""``fieldPath`` of a validation: the JSONPath-like place a failure points at.

A ValidatingAdmissionPolicy writes ``spec.replicas``, ``spec.containers[0].image`` or
``metadata.labels['app.kubernetes.io/name']`` (a key in brackets, single or double quotes, for
keys with dots); ekslint resolves it to a node of the object and so to a line
(:func:`ekslint.linter.nodes.locate`; a missing field points at the deepest part that exists).

Config checks may also write ``[*]`` once (``spec.template.spec.containers[*].image``): when the
validation fails, ekslint finds which items make it fail, evaluating it on the object with that
list cut down to one item, and reports each at its own line. A policy's fieldPath has no ``[*]``
(the API server would refuse it), so it is accepted only in checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ekslint.linter.nodes import NodePath

_STEP = re.compile(r"""\.?([A-Za-z_$][A-Za-z0-9_\-$]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]|\[(\*)\]""")
WILDCARD = "*"


class FieldPathError(ValueError):
    pass


@dataclass(frozen=True)
class FieldPath:
    """A parsed fieldPath; ``wildcard`` is the index of its ``[*]`` step, if any."""

    text: str
    steps: tuple[str | int, ...]
    wildcard: int | None = None

    @property
    def list_path(self) -> NodePath:
        """The path of the list a ``[*]`` stands in."""
        return self.steps[: self.wildcard] if self.wildcard is not None else self.steps

    def at(self, index: int | None = None) -> NodePath:
        """The node path, with ``[*]`` replaced by ``index`` (or cut there when ``None``)."""
        if self.wildcard is None:
            return self.steps
        if index is None:
            return self.steps[: self.wildcard]
        return (*self.steps[: self.wildcard], index, *self.steps[self.wildcard + 1 :])


def parse_field_path(text: object, *, allow_wildcard: bool) -> FieldPath:
    if not isinstance(text, str) or not text.strip():
        raise FieldPathError("fieldPath must be a non-empty string like spec.template.spec.containers[0].image")
    steps: list[str | int] = []
    wildcard: int | None = None
    i = 0
    while i < len(text):
        m = _STEP.match(text, i)
        if m is None or m.end() == i:
            raise FieldPathError(f"fieldPath {text!r}: cannot read it at column {i + 1}")
        name, index, single, double, star = m.groups()
        if star is not None:
            if not allow_wildcard:
                raise FieldPathError(f"fieldPath {text!r}: [*] is for ekslint checks, not admission policies")
            if wildcard is not None:
                raise FieldPathError(f"fieldPath {text!r}: only one [*] is allowed")
            wildcard = len(steps)
            steps.append(WILDCARD)
        elif index is not None:
            steps.append(int(index))
        else:
            steps.append(name if name is not None else single if single is not None else double)
        i = m.end()
    if not steps or isinstance(steps[0], int) or steps[0] == WILDCARD:
        raise FieldPathError(f"fieldPath {text!r} must start with a field name")
    return FieldPath(text, tuple(steps), wildcard)

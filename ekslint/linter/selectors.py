"""Label selector matching with Kubernetes' own semantics.

``LabelSelector`` (``matchLabels`` + ``matchExpressions``, ANDed): an empty selector ``{}`` matches
everything, a missing (null) selector matches nothing. A Service's plain map selector matches when
every pair is present; an empty or missing one manages no endpoints, so it matches nothing.
Malformed selectors (unknown operators, wrong types) match nothing: the API server would reject
them, and a rule must not build further conclusions on them. Placeholders (``app: ${APP}``, see
:mod:`ekslint.linter.placeholders`) are compared as written here; a rule that claims "matches
nothing" asks :func:`placeholder_may_match` first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ekslint.linter.placeholders import holds_placeholder, is_placeholder


def label_str(value: Any) -> str:
    """A label value as text, the way selectors compare them (YAML ``true`` is ``"true"``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def is_valid_label_selector(selector: Any) -> bool:
    """True when ``selector`` has the shape of a LabelSelector the API server accepts."""
    if not isinstance(selector, Mapping):
        return False
    labels = selector.get("matchLabels", {})
    exprs = selector.get("matchExpressions", [])
    if labels is None:
        labels = {}
    if exprs is None:
        exprs = []
    if not isinstance(labels, Mapping) or not isinstance(exprs, list):
        return False
    for expr in exprs:
        if not isinstance(expr, Mapping) or not isinstance(expr.get("key"), str):
            return False
        op, values = expr.get("operator"), expr.get("values")
        if op in ("In", "NotIn"):
            if not isinstance(values, list) or not values:
                return False
        elif op in ("Exists", "DoesNotExist"):
            if values:
                return False
        else:
            return False
    return True


def label_selector_matches(selector: Any, labels: Mapping[str, Any]) -> bool:
    """Does a LabelSelector select an object with ``labels``?"""
    return is_valid_label_selector(selector) and valid_selector_matches(selector, labels)


def valid_selector_matches(selector: Mapping[str, Any], labels: Mapping[str, Any]) -> bool:
    """:func:`label_selector_matches` for a selector already known to be valid (a caller that
    has just checked it need not have it checked twice)."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if key not in labels or label_str(labels[key]) != label_str(value):
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op = expr["key"], expr["operator"]
        values = {label_str(v) for v in expr.get("values") or []}
        present = key in labels
        if op == "In" and not (present and label_str(labels[key]) in values):
            return False
        if op == "NotIn" and present and label_str(labels[key]) in values:
            return False
        if op == "Exists" and not present:
            return False
        if op == "DoesNotExist" and present:
            return False
    return True


def is_empty_label_selector(selector: Any) -> bool:
    """``{}`` (or only empty parts): valid, and selects every pod in the namespace."""
    return isinstance(selector, Mapping) and not selector.get("matchLabels") and not selector.get("matchExpressions")


def map_selector_matches(selector: Any, labels: Mapping[str, Any]) -> bool:
    """Does a Service-style ``{key: value}`` selector select ``labels``? Empty selects nothing."""
    if not isinstance(selector, Mapping) or not selector:
        return False
    return all(key in labels and label_str(labels[key]) == label_str(v) for key, v in selector.items())


def placeholder_may_match(selector: Any, labels: Mapping[str, Any], *, map_selector: bool = False) -> bool:
    """Could a placeholder make ``selector`` select ``labels`` once rendered?

    True when the selector (a LabelSelector, or a Service-style map with ``map_selector``) holds
    a placeholder key or value, or ``labels`` hold one where the selector looks: a placeholder
    label key (it may become any key), or a placeholder value of a key the selector reads.
    Whether it matches is then unknown, so "matches nothing" must not be claimed.
    """
    if not isinstance(selector, Mapping):
        return False
    return holds_placeholder(selector) or placeholder_labels_may_match(selector, labels, map_selector=map_selector)


def placeholder_labels_may_match(
    selector: Mapping[str, Any], labels: Mapping[str, Any], *, map_selector: bool = False
) -> bool:
    """:func:`placeholder_may_match` for a selector already known to hold no placeholder: the
    labels' side only (a loop over many workloads asks it of one selector)."""
    if any(is_placeholder(k) for k in labels):
        return True
    keys: list[Any]
    if map_selector:
        keys = list(selector)
    else:
        match_labels = selector.get("matchLabels")
        exprs = selector.get("matchExpressions")
        keys = list(match_labels) if isinstance(match_labels, Mapping) else []
        keys += [e.get("key") for e in exprs if isinstance(e, Mapping)] if isinstance(exprs, list) else []
    return any(isinstance(k, str) and k in labels and is_placeholder(labels[k]) for k in keys)

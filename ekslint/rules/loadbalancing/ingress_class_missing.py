"""ingress-class-missing: an Ingress that names no class where no default class can be counted on.

An Ingress without ``spec.ingressClassName`` (or the legacy ``kubernetes.io/ingress.class``
annotation) is served only through the cluster's default IngressClass. Two kinds of evidence say
that there is none, or that relying on it is a slip:

* the scan holds IngressClasses and none is marked default;
* the scan holds no IngressClass (the usual case: the controller's chart installs it, possibly
  as the default), but other Ingresses shipped with this one name their class. Then the class-less
  one was almost certainly meant to name it too.

"Shipped with" is :func:`~ekslint.rules.wiring._refs.in_scope`: the same file, a Kustomization of
the scan that applies both, or the same folder or a folder above or below. The namespace is not
compared: the class is a cluster-wide choice, and one app's Ingresses often span namespaces.
Sibling folders are not compared either: a monorepo or a folder of examples holds projects for
different clusters and controllers (on the corpus, GKE samples whose class-less Ingresses GKE
serves beside samples annotated ``gce``, and admission-policy test inputs beside nginx examples;
comparing the whole scan or a namespace would report them all).

Otherwise the rule follows the partial-input policy and stays silent. Kustomize patches are
not judged (a patch names only what it changes), but one that names a class is evidence;
a base whose class an overlay patch sets is skipped.
"""

import weakref
from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex
from ekslint.linter.model import K8sObject
from ekslint.linter.registry import Finding, Level, rule
from ekslint.rules.availability._overlays import is_patch, overlay_mentions, overridden
from ekslint.rules.loadbalancing._lbc import (
    DEFAULT_CLASS_ANNOTATION,
    INGRESS_KINDS,
    LEGACY_CLASS_ANNOTATION,
    all_ingresses,
    ann_path,
    ann_str,
    ingress_classes,
    is_default_class,
)
from ekslint.rules.wiring._refs import scope_evidence

#: How many Ingresses of each class the message names.
SHOWN = 2


def named_class(ing: K8sObject) -> str | None:
    """The class an Ingress names: the legacy annotation (which controllers read first), else the field."""
    legacy = (ann_str(ing, LEGACY_CLASS_ANNOTATION) or "").strip()
    if legacy:
        return legacy
    name = ing.spec.get("ingressClassName")
    return name.strip() if isinstance(name, str) and name.strip() else None


#: Per scan: the Ingresses that name a class, in scan order. A Kustomize patch that names one
#: counts: the Ingress it is merged into is built with that class.
_NAMING: weakref.WeakKeyDictionary[ScanIndex, list[K8sObject]] = weakref.WeakKeyDictionary()
#: Per scan: id of a file -> the class-naming Ingresses shipped with its objects (in_scope
#: depends only on the two files, so every class-less Ingress of a file has the same peers).
_PEERS: weakref.WeakKeyDictionary[ScanIndex, dict[int, list[K8sObject]]] = weakref.WeakKeyDictionary()


def _naming(ctx: RuleContext) -> list[K8sObject]:
    found = _NAMING.get(ctx.index)
    if found is None:
        found = _NAMING[ctx.index] = [ing for ing in all_ingresses(ctx.index) if named_class(ing) is not None]
    return found


def _peers(ing: K8sObject, ctx: RuleContext) -> list[K8sObject]:
    per_scan = _PEERS.setdefault(ctx.index, {})
    key = id(ing.file)  # the file lives as long as the scan's index
    if key not in per_scan:
        per_scan[key] = scope_evidence(ctx, ing, _naming(ctx))
    return per_scan[key]


def _describe(peers: list[K8sObject]) -> str:
    """``alb (Ingress/shop/web, Ingress/shop/api and 3 more)``, one group per class."""
    by_class: dict[str, list[str]] = {}
    for p in peers:
        by_class.setdefault(str(named_class(p)), []).append(p.ref)
    groups = []
    for cls, refs in sorted(by_class.items(), key=lambda item: (-len(item[1]), item[0])):
        shown = ", ".join(refs[:SHOWN])
        more = f" and {len(refs) - SHOWN} more" if len(refs) > SHOWN else ""
        groups.append(f"{cls} ({shown}{more})")
    return "; ".join(groups)


@rule(
    id="ingress-class-missing",
    title="Ingresses should name their IngressClass",
    level=Level.WARNING,
    targets=(K8sObject,),
    kinds=INGRESS_KINDS,
    tags=("networking",),
)
def check(ing: K8sObject, ctx: RuleContext) -> Iterator[Finding]:
    if named_class(ing) is not None or is_patch(ing, ctx):
        return
    if overridden(ing, ctx, ("spec", "ingressClassName"), ann_path(LEGACY_CLASS_ANNOTATION)):
        return  # an overlay patch names the class
    if overlay_mentions(ing, ctx, "ingressClassName", "ingress.class"):
        return  # so may a targeted patch (inline or JSON 6902, where "/" is spelled "~1")
    classes = ingress_classes(ctx.index)
    if classes:
        if any(is_default_class(ic) for ic in classes):
            return
        names = ", ".join(sorted({str(ic.name) for ic in classes}))
        yield Finding(
            f"{ing.ref} sets no spec.ingressClassName and none of the IngressClasses in the scan ({names}) "
            f'is annotated {DEFAULT_CLASS_ANNOTATION}: "true", so the AWS Load Balancer Controller (and '
            "any controller not told to watch class-less Ingresses) ignores it; set spec.ingressClassName",
            ("spec", "ingressClassName"),
        )
        return
    peers = _peers(ing, ctx)
    if not peers:
        return  # partial input: the cluster's classes, and its default, live elsewhere
    used = sorted({str(named_class(p)) for p in peers})
    fix = f"set spec.ingressClassName: {used[0]}" if len(used) == 1 else "set spec.ingressClassName to the one meant"
    yield Finding(
        f"{ing.ref} sets no spec.ingressClassName, but the Ingresses shipped with it name their class "
        f"({_describe(peers)}): a class-less Ingress is served only through the cluster's default "
        f"IngressClass, and the AWS Load Balancer Controller ignores it when there is none; {fix}",
        ("spec", "ingressClassName"),
    )

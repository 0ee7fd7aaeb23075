"""latest-image-tag: an image with no tag or ``:latest`` and no digest.

Only the tag that will really be pulled counts: a Kustomize ``images:`` entry (``newTag`` or
``digest``) in a kustomization that builds the manifest replaces it, Skaffold replaces the images
it builds with the tag of the build, and ``ko://`` references become digests. A template
expression anywhere (``${IMAGE}``, ``$REGISTRY/app:latest``, ``{{ .Values.image }}``: see
:mod:`ekslint.linter.placeholders`) leaves the whole reference unknown until rendered; fill-in
names (``<image>``, ``{IMAGE}``, ``IMAGE_URL``) are not image references yet and are left alone
unless they spell out ``:latest``.

A manifest that kustomizations list is judged once per build (each overlay that applies it):
the image goes through the ``images:`` entries of every step of that build in kustomize's
order, so one overlay that pins the tag does not hide another that keeps ``:latest`` or sets
``newTag: latest``. The finding is at the line that decides: the manifest's ``image:`` when no
entry sets the tag, or the ``newTag: latest`` of the kustomization that sets it. A manifest that
no kustomization in view lists keeps the older guess: any ``images:`` entry of a kustomization
above it or in the scan that names the image counts (one list often retags a whole repository).
"""

import weakref
from collections.abc import Iterator
from typing import Any, NamedTuple

from ekslint.linter.context import RuleContext
from ekslint.linter.index import ScanIndex
from ekslint.linter.kustomize_context import Build, Kustomization, kustomize
from ekslint.linter.lazyre import LazyPattern
from ekslint.linter.model import Container, Workload
from ekslint.linter.nodes import locate
from ekslint.linter.placeholders import has_template
from ekslint.linter.registry import Finding, Level, rule

#: A repository path as the distribution spec allows it (lower case only). Anything else in an
#: untagged reference is a placeholder for a deploy-time substitution.
_REPO_PATH = LazyPattern(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")


def split_image(image: str) -> tuple[str, str | None, bool]:
    """Return (name, tag, has_digest) of a reference like ``registry:5000/app:1.2@sha256:…``.

    A ``:`` before the last ``/`` is a registry port, not a tag.
    """
    name, _, digest = image.partition("@")
    head, _, last = name.rpartition("/")
    if ":" in last:
        last, _, tag = last.partition(":")
        return (f"{head}/{last}" if head else last), tag, bool(digest)
    return name, None, bool(digest)


def image_tag(image: str) -> tuple[str | None, bool]:
    """Return (tag, has_digest) of an image reference."""
    _, tag, digest = split_image(image)
    return tag, digest


def not_an_image_name(name: str) -> bool:
    """A repository path the distribution spec rejects (upper case, ``<>``, ``{}``): a fill-in such
    as ``<image>``, ``IMAGE_URL`` or ``{REPO}/app``, not an image name yet."""
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]  # the registry host may be upper case (DNS is not case-sensitive)
    return not _REPO_PATH.match("/".join(parts))


def _kustomize_tag(name: str, overrides: list[dict[str, Any]]) -> tuple[bool, bool]:
    """(pinned, tagged latest) according to the kustomize ``images:`` entries naming ``name``.

    Each entry counts on its own (the result is an "any" over the entries), so the answer for
    several lists of entries is the "or" of the answers for each.
    """
    pinned = latest = False
    for entry in overrides:
        entry_name = entry.get("name")
        if not isinstance(entry_name, str) or split_image(entry_name)[0] != name:
            continue
        new_tag = entry.get("newTag")
        if entry.get("digest"):
            pinned = True
        elif new_tag is not None and str(new_tag) != "":
            if str(new_tag) == "latest":
                latest = True
            else:
                pinned = True
    return pinned, latest


#: Per scan: image name -> :func:`_kustomize_tag` of the ``images:`` entries of every
#: kustomization in the scan. Every file consults all of them; grouped once by name, a
#: container's image is looked up instead of compared with each entry.
_SCANNED: weakref.WeakKeyDictionary[ScanIndex, dict[str, tuple[bool, bool]]] = weakref.WeakKeyDictionary()


def _scanned_tag(name: str, ctx: RuleContext) -> tuple[bool, bool]:
    """(pinned, tagged latest) by the ``images:`` entries of the scan's kustomizations."""
    tags = _SCANNED.get(ctx.index)
    if tags is None:
        by_name: dict[str, list[dict[str, Any]]] = {}
        for entry in kustomize(ctx).scanned_images():
            entry_name = entry.get("name")
            if isinstance(entry_name, str):
                by_name.setdefault(split_image(entry_name)[0], []).append(entry)
        tags = _SCANNED[ctx.index] = {n: _kustomize_tag(n, entries) for n, entries in by_name.items()}
    return tags.get(name, (False, False))


class Retag(NamedTuple):
    """What the ``images:`` entries of one build make of an image: pinned (a tag other than
    latest, or a digest), and the entry that set the tag last (``None``: the manifest's own)."""

    pinned: bool
    by: tuple[Kustomization, int] | None


def retag(name: str, tag: str | None, build: Build) -> Retag:
    """Run ``name:tag`` through the ``images:`` entries of ``build``, step by step as kustomize
    does: each entry that names the image as it is at that point (after the renames of earlier
    entries) renames it, retags it or pins it to a digest (a digest wins over ``newTag``)."""
    pinned, by = tag not in (None, "latest"), None
    for k in build.steps:
        entries = k.data.get("images")
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                continue
            if split_image(entry["name"])[0] != name:
                continue
            new_name, new_tag = entry.get("newName"), entry.get("newTag")
            if entry.get("digest"):
                pinned, by = True, (k, i)
            elif new_tag is not None and str(new_tag) != "":
                pinned, by = str(new_tag) != "latest", (k, i)
            if isinstance(new_name, str) and new_name:
                name = split_image(new_name)[0]
    return Retag(pinned, by)


def _shown(k: Kustomization) -> str:
    return k.source.display if k.source is not None else f"{k.folder.name}/"


def _judge_builds(c: Container, name: str, tag: str | None, builds: tuple[Build, ...]) -> Iterator[Finding] | None:
    """Findings for a container whose manifest ``builds`` apply, or ``None`` when every build
    keeps the manifest's tag (then it is judged as written)."""
    kept: dict[str, None] = {}  # roots that keep the manifest's tag
    pinned: dict[str, None] = {}
    retagged: dict[tuple[int, int], tuple[Kustomization, int]] = {}  # the entries that set :latest
    for b in builds:
        r = retag(name, tag, b)
        if r.pinned:
            pinned[_shown(b.root)] = None
        elif r.by is None:
            kept[_shown(b.root)] = None
        else:
            retagged.setdefault((id(r.by[0]), r.by[1]), r.by)
    if not pinned and not retagged:
        return None
    if tag is None and not_an_image_name(name):
        kept = {}  # not an image name yet: only an images: entry that sets :latest says something
    return _build_findings(c, kept, pinned, retagged)


def _build_findings(
    c: Container,
    kept: dict[str, None],
    pinned: dict[str, None],
    retagged: dict[tuple[int, int], tuple[Kustomization, int]],
) -> Iterator[Finding]:
    image = str(c.spec.get("image")).strip()
    if kept:
        head = (
            f"{c.describe} uses image {image!r} without a tag, which means :latest,"
            if split_image(image)[1] is None
            else f"{c.describe} uses {image!r}"
        )
        but = f" ({', '.join(pinned)} pin{'s' if len(pinned) == 1 else ''} it)" if pinned else ""
        yield Finding(
            f"{head} in the build of {', '.join(kept)}{but}: :latest changes under you and makes rollbacks "
            "impossible; pin a version tag or a digest here, or in the images: entry of that build",
            c.path + ("image",),
        )
    for k, i in retagged.values():
        entry = k.data["images"][i]
        if k.source is None:  # a kustomization read from disk: no position to point at
            yield Finding(
                f"{c.describe} uses image {image!r}, which {_shown(k)} retags :latest (newTag: latest); pin a "
                "version tag or a digest in its images: entry",
                c.path + ("image",),
            )
            continue
        # Every container of the build that uses the image is retagged by this one line: the same
        # message, about the entry and not the container, is reported once.
        path = ("images", i, "newTag")
        from ekslint.linter.cluster.model import Site  # 9 ms of a one-file scan: only retagging builds get here

        yield Finding(
            f"images: entry {entry['name']!r} retags the image :latest (newTag: latest) for everything this "
            "kustomization builds: :latest changes under you and makes rollbacks impossible; pin a version tag "
            "or a digest",
            site=Site(k.source, pos=locate(k.data, path), node=f"images[{i}].newTag"),
        )


@rule(
    id="latest-image-tag",
    title="Images should be pinned to a tag or digest",
    level=Level.WARNING,
    targets=(Workload,),
    tags=("reliability",),
)
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c in w.containers:
        image = c.spec.get("image")
        if not isinstance(image, str) or not image.strip() or "$" in image or has_template(image):
            continue  # missing (schema), or a template filled in at deploy time (any "$": v$VERSION)
        image = image.strip()
        if image.startswith("ko://"):
            continue  # ko builds it and writes the digest
        name, tag, digest = split_image(image)
        if digest:
            continue
        path = c.path + ("image",)
        if w.file.path is not None:
            view = kustomize(ctx)
            if name in view.skaffold_images(w.file.path):
                continue  # Skaffold deploys the tag it built
            builds = view.builds(w.file.path)
            if builds:  # the builds decide; when all of them keep the tag, it is judged as written
                judged = _judge_builds(c, name, tag, builds)
                if judged is not None:
                    yield from judged
                    continue
            else:  # images: entries of the kustomizations that may build the file, or of any in the scan
                pinned, latest = _kustomize_tag(name, view.covering_images(w.file.path))
                scan_pinned, scan_latest = _scanned_tag(name, ctx)
                pinned, latest = pinned or scan_pinned, latest or scan_latest
                if pinned:
                    continue
                if latest and tag != "latest":
                    yield Finding(
                        f"{c.describe} uses image {name!r}, which a kustomization retags :latest (newTag: "
                        "latest); pin a version tag or a digest in its images: entry",
                        path,
                    )
                    continue
        if tag is None:
            if not_an_image_name(name):
                continue
            yield Finding(
                f"{c.describe} uses image {image!r} without a tag, which means :latest; pin a version tag or a digest",
                path,
            )
        elif tag == "latest":
            yield Finding(
                f"{c.describe} uses {image!r}: :latest changes under you and makes rollbacks "
                "impossible; pin a version tag or a digest",
                path,
            )

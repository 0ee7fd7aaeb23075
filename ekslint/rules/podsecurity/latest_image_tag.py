"""latest-image-tag: an image with no tag or ``:latest`` and no digest."""

from collections.abc import Iterator

from ekslint.linter.context import RuleContext
from ekslint.linter.model import Workload
from ekslint.linter.registry import Finding, Level, rule


def image_tag(image: str) -> tuple[str | None, bool]:
    """Return (tag, has_digest) of an image reference like ``registry:5000/app:1.2@sha256:…``."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.rpartition(":")[2] if ":" in last else None
    return tag, bool(digest)


@rule(id="latest-image-tag", title="Images should be pinned to a tag or digest", level=Level.WARNING,
      targets=(Workload,), tags=("reliability",))
def check(w: Workload, ctx: RuleContext) -> Iterator[Finding]:
    for c in w.containers:
        image = c.spec.get("image")
        if not isinstance(image, str) or not image.strip() or "$" in image or "{{" in image:
            continue  # missing (schema), or a placeholder filled in at deploy time
        tag, digest = image_tag(image.strip())
        if digest:
            continue
        if tag is None:
            yield Finding(f"{c.describe} uses image {image!r} without a tag, which means :latest; "
                          "pin a version tag or a digest", c.path + ("image",))
        elif tag == "latest":
            yield Finding(f"{c.describe} uses {image!r}: :latest changes under you and makes rollbacks "
                          "impossible; pin a version tag or a digest", c.path + ("image",))
